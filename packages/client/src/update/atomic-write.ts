import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';

/** @internal */
export interface LockOptions {
  /** How long to wait for another writer; default 10 s. */
  timeoutMs?: number;
  /** A lock file older than this is considered abandoned (its process died); default 30 s. */
  staleMs?: number;
}

/**
 * Creates `dir` (and parents) with mode 0700: the official helper calls `MkdirAll(dir, 0600)`,
 * which creates a directory without the search bit that its owner cannot then use
 * (signing-helper-spec §5, §11).
 * @internal
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Runs `fn` holding `<path>.lock`, an exclusive-create lock file (O_CREAT|O_EXCL is atomic on
 * local filesystems, POSIX open(2)), so two `update` processes cannot interleave their
 * read-modify-write. A lock left by a crashed process is broken after `staleMs`.
 * @internal
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const staleMs = options.staleMs ?? 30_000;
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(lockPath).mtimeMs > staleMs) rmSync(lockPath, { force: true });
      } catch {
        // removed meanwhile by its owner
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lockPath}`);
      await sleep(50 + Math.random() * 50);
    }
  }
  try {
    return await fn();
  } finally {
    closeSync(fd);
    rmSync(lockPath, { force: true });
  }
}

/**
 * Replaces `path` with `content` so a reader sees either the old or the new file, never a
 * truncated one: write a temporary file in the same directory (same filesystem, so rename(2)
 * is atomic), fsync it, rename it over the target, then fsync the directory so the rename
 * survives a crash. The file is created with `mode` (0600 for credentials).
 * @internal
 */
export function writeFileAtomic(path: string, content: string, mode = 0o600): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename itself is still atomic.
  }
}
