import { closeSync, existsSync, fchmodSync, fdatasync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, write, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { auditRecordLine, type AuditRecord } from '../../core/audit/audit-record.js';

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);

/** Where the file catches up from: the database, which is the source of truth. */
export interface AuditRecordSource {
  recordsAfter(afterSeq: number, limit: number): AuditRecord[];
  /** The `seq` of the last chained record (0 when none). */
  lastSeq(): number;
}

interface Waiter {
  records: readonly AuditRecord[];
  resolve: () => void;
  reject: (err: Error) => void;
}

const CATCH_UP_PAGE = 500;

/**
 * The append-only JSON-lines copy of the trail, `<data-dir>/audit/audit.jsonl` (mode 0600):
 * one `auditRecordLine` per record, in `seq` order, no gaps, no duplicates.
 *
 * It is written after the database commit of each group and fsync'd (fdatasync) before the
 * group's `record()` promises resolve. Appends that arrive while an fsync is in flight are
 * written together with one further fsync (the file's own group commit).
 *
 * Crash between the database commit and the file write: the database holds records the file
 * lacks, and no caller was answered for them. On open the file is repaired — a torn last line
 * is cut off — and then caught up from the database, so it again equals the chained trail.
 * A file that is AHEAD of the database means the database lost records; opening refuses.
 */
export class AuditJsonlFile {
  /** fsyncs issued (tests and metrics use it to see group commit working). */
  syncs = 0;
  private lastSeq = 0;
  private queue: Waiter[] = [];
  private writing: Promise<void> | undefined;
  private needsRecovery = false;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly source: AuditRecordSource,
  ) {}

  /** Opens (creating with mode 0600) and repairs the file, then appends what the database has beyond it. */
  static open(path: string, source: AuditRecordSource): AuditJsonlFile {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const created = !existsSync(path);
    const fd = openSync(path, 'a+', 0o600);
    try {
      // The mode given to open() is filtered by the umask and ignored for an existing file.
      fchmodSync(fd, 0o600);
      if (created) fsyncDirectory(dirname(path));
      const file = new AuditJsonlFile(path, fd, source);
      file.recover();
      const dbLast = source.lastSeq();
      if (file.lastSeq > dbLast) {
        throw new Error(
          `${path} ends at audit record ${file.lastSeq} but the database ends at ${dbLast}; the database is the source of truth — move the file aside to start a new one`,
        );
      }
      file.catchUpSync();
      return file;
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Resolves once every record is in the file and the file is fsync'd. */
  append(records: readonly AuditRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('audit file is closed'));
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.writing ??= this.drain().finally(() => (this.writing = undefined));
    });
  }

  /** Waits for queued appends, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.writing) await this.writing;
    closeSync(this.fd);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      try {
        if (this.needsRecovery) {
          this.recover();
          this.needsRecovery = false;
        }
        const lines: string[] = [];
        let last = this.lastSeq;
        const add = (r: AuditRecord) => {
          if (r.seq <= last) return; // already in the file (caught up from the database)
          if (r.seq !== last + 1) {
            // A gap: an earlier group failed to reach the file; fill it from the database.
            for (const missing of this.source.recordsAfter(last, r.seq - last - 1)) {
              if (missing.seq > last && missing.seq < r.seq) {
                lines.push(auditRecordLine(missing));
                last = missing.seq;
              }
            }
          }
          lines.push(auditRecordLine(r));
          last = r.seq;
        };
        for (const w of group) for (const r of w.records) add(r);
        if (lines.length > 0) {
          const buf = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
          let off = 0;
          while (off < buf.length) off += (await writeAsync(this.fd, buf, off, buf.length - off, null)).bytesWritten;
          await fdatasyncAsync(this.fd);
          this.syncs++;
          this.lastSeq = last;
        }
        for (const w of group) w.resolve();
      } catch (err) {
        this.needsRecovery = true;
        const e = err instanceof Error ? err : new Error(String(err));
        for (const w of group) w.reject(e);
      }
    }
  }

  /** Cuts a torn last line (a crash mid-write) and reads the last complete record's seq. */
  private recover(): void {
    const size = fstatSync(this.fd).size;
    const tail = readLastLine(this.fd, size);
    if (tail.keepBytes < size) {
      ftruncateSync(this.fd, tail.keepBytes);
      fsyncSync(this.fd);
    }
    if (tail.line === undefined) {
      this.lastSeq = 0;
      return;
    }
    let seq: unknown;
    try {
      seq = (JSON.parse(tail.line) as { seq?: unknown }).seq;
    } catch {
      seq = undefined;
    }
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
      throw new Error(`${this.path}: the last line is not an audit record; move the file aside to start a new one`);
    }
    this.lastSeq = seq;
  }

  private catchUpSync(): void {
    let wrote = false;
    for (;;) {
      const records = this.source.recordsAfter(this.lastSeq, CATCH_UP_PAGE);
      if (records.length === 0) break;
      writeSync(this.fd, `${records.map(auditRecordLine).join('\n')}\n`);
      this.lastSeq = records[records.length - 1]!.seq;
      wrote = true;
    }
    if (wrote) {
      fsyncSync(this.fd);
      this.syncs++;
    }
  }
}

/**
 * The last complete line of the file and how many bytes to keep (everything up to and
 * including its final newline). Reads backwards in chunks, so a large file costs one chunk.
 */
function readLastLine(fd: number, size: number): { line: string | undefined; keepBytes: number } {
  const CHUNK = 64 * 1024;
  let buf = Buffer.alloc(0);
  let pos = size;
  let end = -1; // index in buf of the last '\n'
  while (pos > 0) {
    const n = Math.min(CHUNK, pos);
    pos -= n;
    const chunk = Buffer.alloc(n);
    readSync(fd, chunk, 0, n, pos);
    buf = Buffer.concat([chunk, buf]);
    if (end < 0) end = buf.lastIndexOf(0x0a);
    else end += n;
    if (end > 0 && buf.lastIndexOf(0x0a, end - 1) >= 0) break;
  }
  if (end < 0) return { line: undefined, keepBytes: 0 };
  const start = end > 0 ? buf.lastIndexOf(0x0a, end - 1) + 1 : 0;
  return { line: buf.subarray(start, end).toString('utf8'), keepBytes: pos + end + 1 };
}

/** Makes a new directory entry durable (POSIX needs an fsync of the directory); best effort elsewhere. */
/** Makes a new directory entry durable (a created file's name); best effort where unsupported. */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported on every platform (Windows); the file's own fsync still holds its data.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
