import { closeSync, existsSync, fchmodSync, fdatasync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { auditRecordLine, type AuditRecord } from '../../core/audit/audit-record.js';

const fdatasyncAsync = promisify(fdatasync);

/** Where the file catches up from: the database, which is the source of truth. */
export interface AuditRecordSource {
  recordsAfter(afterSeq: number, limit: number): AuditRecord[];
  /** The `seq` of the last chained record (0 when none). */
  lastSeq(): number;
}

const CATCH_UP_PAGE = 500;
/** Default bound on how long a written line waits for its fdatasync. */
export const AUDIT_FILE_SYNC_INTERVAL_MS = 1000;

/**
 * The append-only JSON-lines copy of the trail, `<data-dir>/audit/audit.jsonl` (mode 0600):
 * one `auditRecordLine` per record, in `seq` order, no gaps, no duplicates.
 *
 * Each group's lines are written (write(2), in the caller's turn) after the database commit is
 * durable and before the group's `record()` promises resolve, so a reader of the file (a log
 * shipper, `mooring audit verify`) sees every record whose credentials left the server, and a
 * write that fails (disk full) still fails the group closed. The file is fdatasync'd at most
 * `syncIntervalMs` later (and on close), not once per group: the database, whose WAL IS fsync'd
 * before any answer, is the durable record (issue [revocation-audit] item 3: "a record is durable
 * before the credentials leave the server"), and this copy is rebuilt from it after a power loss
 * (issue [scale]: one fdatasync less per group commit, the largest CPU cost of the file).
 *
 * Crash between the database commit and the file write, or a power loss before the file's
 * fdatasync: the database holds records the file lacks. On open the file is repaired — a torn
 * last line is cut off — and then caught up from the database, so it again equals the chained
 * trail. A file that is AHEAD of the database means the database lost records; opening refuses.
 */
export class AuditJsonlFile {
  /** fdatasyncs issued (tests and metrics use it to see that syncs are not per group). */
  syncs = 0;
  private lastSeq = 0;
  /** Lines written since the last fdatasync started. */
  private dirty = false;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  /** A failed background fdatasync: the next append fails (closed) and re-checks the file. */
  private syncError: Error | undefined;
  private needsRecovery = false;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly source: AuditRecordSource,
    private readonly syncIntervalMs: number,
  ) {}

  /** Opens (creating with mode 0600) and repairs the file, then appends what the database has beyond it. */
  static open(path: string, source: AuditRecordSource, opts: { syncIntervalMs?: number } = {}): AuditJsonlFile {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const created = !existsSync(path);
    const fd = openSync(path, 'a+', 0o600);
    try {
      // The mode given to open() is filtered by the umask and ignored for an existing file.
      fchmodSync(fd, 0o600);
      if (created) fsyncDirectory(dirname(path));
      const file = new AuditJsonlFile(path, fd, source, Math.max(0, opts.syncIntervalMs ?? AUDIT_FILE_SYNC_INTERVAL_MS));
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

  /**
   * Writes the records' lines now (filling any gap from the database) and schedules the
   * fdatasync; throws, having written nothing it could not, when the file cannot be written.
   * Call only after the records are durable in the database (the file is never ahead of it).
   */
  appendNow(records: readonly AuditRecord[]): void {
    if (this.closed) throw new Error('audit file is closed');
    if (this.syncError) {
      const e = this.syncError;
      this.syncError = undefined;
      this.needsRecovery = true;
      throw e;
    }
    if (records.length === 0) return;
    try {
      if (this.needsRecovery) {
        this.recover();
        this.needsRecovery = false;
      }
      const lines: string[] = [];
      let last = this.lastSeq;
      for (const r of records) {
        if (r.seq <= last) continue; // already in the file (caught up from the database)
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
      }
      if (lines.length === 0) return;
      const buf = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
      let off = 0;
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
      this.lastSeq = last;
      this.dirty = true;
      this.syncTimer ??= setTimeout(() => void this.syncNow(), this.syncIntervalMs).unref();
    } catch (err) {
      // A short or failed write may leave a torn line: cut it before the next append.
      this.needsRecovery = true;
      throw err;
    }
  }

  /** fdatasyncs what was written so far (off the event loop); the interval timer calls it. */
  async syncNow(): Promise<void> {
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    while (this.syncing) await this.syncing;
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    this.syncing = fdatasyncAsync(this.fd).then(
      () => {
        this.syncs++;
      },
      (err: unknown) => {
        this.syncError = err instanceof Error ? err : new Error(String(err));
      },
    );
    try {
      await this.syncing;
    } finally {
      this.syncing = undefined;
    }
  }

  /** fdatasyncs what is written, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    while (this.syncing) await this.syncing;
    this.closed = true;
    if (this.dirty) {
      fdatasyncSync(this.fd);
      this.syncs++;
      this.dirty = false;
    }
    closeSync(this.fd);
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
