// An in-memory CliIo for running main() in-process.
import type { CliIo } from '../../src/cli/cli-io.js';

export interface CapturedIo extends CliIo {
  out(): string;
  outBytes(): Buffer;
  err(): string;
}

export function captureIo(env: Record<string, string | undefined> = {}): CapturedIo {
  const out: Buffer[] = [];
  let err = '';
  return {
    env,
    stdout: (chunk) => void out.push(Buffer.from(chunk)),
    stderr: (text) => void (err += text),
    out: () => Buffer.concat(out).toString('utf8'),
    outBytes: () => Buffer.concat(out),
    err: () => err,
  };
}
