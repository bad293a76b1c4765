import { promptOnTty } from './tty-prompt.js';

/** Where a command writes and what it reads from the environment; injectable for tests. @internal */
export interface CliIo {
  stdout(chunk: string | Uint8Array): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Asks for a secret (passphrase, PIN). Absent: secrets must come from flags or variables. */
  prompt?: (question: string) => Promise<string>;
  /** Ends long-running commands (`serve`, `update`); default: SIGINT or SIGTERM. */
  signal?: AbortSignal;
}

/** @internal */
export function processIo(): CliIo {
  return {
    stdout: (chunk) => void process.stdout.write(chunk),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    prompt: promptOnTty,
  };
}

/** The signal that stops a long-running command: `io.signal`, or SIGINT/SIGTERM. @internal */
export function stopSignal(io: CliIo): AbortSignal {
  if (io.signal !== undefined) return io.signal;
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}
