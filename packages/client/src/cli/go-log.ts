import type { CliIo } from './cli-io.js';

/**
 * Writes diagnostics the way the official helper does, through Go's `log` package with its
 * default flags (signing-helper-spec §8): each line on stderr is prefixed with the local date
 * and time, `YYYY/MM/DD HH:MM:SS `. Usage errors are cobra's and carry no prefix; they do not
 * come through here.
 * @internal
 */
export function logLines(io: Pick<CliIo, 'stderr'>, text: string, now: Date = new Date()): void {
  const prefix = goLogPrefix(now);
  io.stderr(text.replace(/\n$/, '').split('\n').map((line) => `${prefix}${line}\n`).join(''));
}

/** `log.LstdFlags` (Ldate | Ltime) in local time. @internal */
export function goLogPrefix(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} `;
}
