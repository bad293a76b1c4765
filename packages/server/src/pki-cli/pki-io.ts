// Shared plumbing for the `mooring pki` commands: the injected I/O, usage errors, and file writes
// that never silently replace key material.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';

/** What a `mooring pki` command may touch besides the file system. Injected so tests run in-process. */
export interface PkiIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Read when a file argument is `-` (e.g. `--csr -`). */
  stdin?: AsyncIterable<Buffer | string>;
  /** Clock (default `new Date()`): validity windows and `check` are evaluated at this instant. */
  now?: () => Date;
  /** Base for relative paths (default `process.cwd()`). */
  cwd?: string;
}

/** A bad command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A refused operation (bad input file, existing output, policy violation): exit code 1. */
export class PkiCommandError extends Error {
  override name = 'PkiCommandError';
}

export function resolvePath(io: PkiIo, p: string): string {
  return resolve(io.cwd ?? process.cwd(), p);
}

export function nowOf(io: PkiIo): Date {
  return io.now ? io.now() : new Date();
}

export async function readStdin(io: PkiIo): Promise<Buffer> {
  if (!io.stdin) throw new UsageError('"-" (standard input) is not available here');
  const parts: Buffer[] = [];
  for await (const chunk of io.stdin) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(parts);
}

/**
 * Creates `path` with `content`; refuses to replace an existing file, so a second `init-ca` or an
 * `issue` with a reused prefix can never overwrite a private key. Private keys get mode 0600.
 */
export function writeNewFile(path: string, content: string, opts: { secret?: boolean } = {}): void {
  // 'wx' fails with EEXIST instead of truncating; mode applies at creation (umask can only narrow it).
  try {
    writeFileSync(path, content, { flag: 'wx', mode: opts.secret ? 0o600 : 0o644 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new PkiCommandError(`${path} already exists; refusing to overwrite it`);
    throw e;
  }
}

/** Replaces `path` atomically (write a sibling, then rename): index.json and serial are never half-written. */
export function replaceFile(path: string, content: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, content, { mode: 0o644 });
  renameSync(tmp, path);
}

export function ensureAbsent(paths: readonly string[]): void {
  for (const p of paths) if (existsSync(p)) throw new PkiCommandError(`${p} already exists; refusing to overwrite it`);
}
