// The durable floor (issue [scale] benchmark, "against the physical limit", with the audit rule
// of [revocation-audit]): the transport floor plus the least work that makes one record per
// request durable before the answer. Per request it appends a ~1 KB row to a SQLite table; rows
// of concurrent requests share one transaction and one fdatasync of the WAL (group commit, at
// most one group in flight, the fsync off the event loop), and each answer waits for its group.
// No indexes, no hash chain, no subject, no second copy: what Mooring spends above this is the
// rest of its own work.
import { closeSync, fdatasync, openSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';

const fdatasyncAsync = promisify(fdatasync);

/** A record as large as one CreateSession audit record. */
const RECORD = 'r'.repeat(1000);

export interface DurableLog {
  /** Resolves once the record is committed and the WAL holding it is fsync'd. */
  append(): Promise<void>;
  close(): void;
}

export function openDurableLog(dir: string): DurableLog {
  const file = join(dir, 'floor.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS records (seq INTEGER PRIMARY KEY, doc TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO records (doc) VALUES (?)');
  const commit = db.transaction((n: number) => {
    for (let i = 0; i < n; i++) insert.run(`${RECORD}${i}`);
  });
  let walFd: number | undefined;
  let queue: Array<() => void> = [];
  let running = false;
  const drain = async (): Promise<void> => {
    running = true;
    while (queue.length > 0) {
      const group = queue;
      queue = [];
      commit(group.length);
      walFd ??= openSync(`${file}-wal`, 'r');
      await fdatasyncAsync(walFd);
      for (const done of group) done();
    }
    running = false;
  };
  return {
    append: () =>
      new Promise<void>((resolve) => {
        queue.push(resolve);
        if (!running) setImmediate(() => void (running ? undefined : drain()));
      }),
    close() {
      if (walFd !== undefined) closeSync(walFd);
      db.close();
    },
  };
}
