import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './database.js';

/** Frames in the WAL at which the serving connection checkpoints by itself (the fallback). */
export const FALLBACK_AUTOCHECKPOINT_FRAMES = 4000;
const DEFAULT_INTERVAL_MS = 200;

export interface WalCheckpointerStats {
  /** PASSIVE checkpoints the worker ran, and WAL frames they copied into the database file. */
  runs: number;
  framesCopied: number;
}

/**
 * Copies the write-ahead log into the database file from a worker thread with its own
 * connection, so the serving connection rarely checkpoints itself (issue [scale] hot path).
 *
 * Why: SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold (1,000
 * frames by default, a few hundred CreateSessions here): it copies every page changed since the
 * last one and fsyncs the log and the database file, with the event loop blocked for all of it,
 * every request waiting. A PASSIVE checkpoint from another connection does the same copy without
 * taking the write lock (sqlite.org/wal.html "Checkpointing"; pragma wal_checkpoint): writers go
 * on, and since it runs less often than every 1,000 frames a page changed many times in between
 * (the chain head, the right edge of each index) is copied once.
 *
 * The serving connection keeps an automatic checkpoint at {@link FALLBACK_AUTOCHECKPOINT_FRAMES}:
 * a PASSIVE checkpoint cannot finish while commits keep arriving, and only a checkpoint that
 * reaches the end of the log lets the next writer start the log over; that fallback checkpoint
 * finds most frames already copied, so it is short. It is also what bounds the log should the
 * worker ever fail: the worker is an optimisation, never needed for correctness or durability
 * (a checkpoint moves committed frames; the log itself is fsync'd by WalFileSync before any answer).
 */
export class WalCheckpointer {
  readonly stats: WalCheckpointerStats = { runs: 0, framesCopied: 0 };
  private constructor(private readonly worker: Worker) {}

  /**
   * Starts the worker for the file database `db` (WAL mode); `onError` hears a worker failure
   * (the serving connection then checkpoints by itself, as SQLite does by default).
   */
  static start(db: SqliteDatabase, opts: { intervalMs?: number; onError?: (err: Error) => void } = {}): WalCheckpointer {
    db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_FRAMES}`);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: db.name, modulePath: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: opts.intervalMs ?? DEFAULT_INTERVAL_MS },
    });
    // A background helper: it must not keep the process alive.
    worker.unref();
    const c = new WalCheckpointer(worker);
    worker.on('message', (m: { log: number; checkpointed: number; copied: number }) => {
      c.stats.runs++;
      c.stats.framesCopied += m.copied;
    });
    worker.on('error', (err) => {
      // SQLite's own default: the serving connection checkpoints every 1,000 frames.
      try {
        if (db.open) db.pragma('wal_autocheckpoint = 1000');
      } catch {
        // The database is closing; nothing to restore.
      }
      opts.onError?.(err);
    });
    return c;
  }

  /** Stops the worker (before the serving connection closes). */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * The worker, as CommonJS source (runs the same from the TypeScript sources and the build).
 * It reports each checkpoint that copied frames: `log` frames in the WAL, `checkpointed` of them
 * now in the database file (pragma wal_checkpoint's result).
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
let done = 0;
const tick = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r && r.busy === 0) {
      // After a restart of the log by the writer the counts start again from zero.
      const copied = r.checkpointed >= done ? r.checkpointed - done : r.checkpointed;
      done = r.checkpointed;
      if (copied > 0) parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed, copied });
    }
  } catch (err) {
    // SQLITE_BUSY and the like: try again next time.
    if (!err || err.code !== 'SQLITE_BUSY' && err.code !== 'SQLITE_LOCKED') throw err;
  }
  setTimeout(tick, workerData.intervalMs);
};
setTimeout(tick, workerData.intervalMs);
`;
