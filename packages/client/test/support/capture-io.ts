// An in-memory CliIo for running main() in-process.
import type { CliIo } from '../../src/cli/cli-io.js';

export interface CapturedIo extends CliIo {
  out(): string;
  outBytes(): Buffer;
  /** stderr without the `YYYY/MM/DD HH:MM:SS ` prefix of logged lines (go-log.ts). */
  err(): string;
  /** stderr exactly as written. */
  errRaw(): string;
}

/** Drops Go's log prefix from every line that has one. */
export function withoutLogPrefix(text: string): string {
  return text.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, '');
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
    err: () => withoutLogPrefix(err),
    errRaw: () => err,
  };
}
