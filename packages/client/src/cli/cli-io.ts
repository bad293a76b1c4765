/** Where a command writes and what it reads from the environment; injectable for tests. @internal */
export interface CliIo {
  stdout(chunk: string | Uint8Array): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

/** @internal */
export function processIo(): CliIo {
  return {
    stdout: (chunk) => void process.stdout.write(chunk),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
  };
}
