import { join } from 'node:path';
import { GroupCommitAuditSink, type AuditGroupWriter, type GroupCommitOptions } from '../shared/group-commit-audit-sink.js';
import { AuditJsonlFile } from './audit-jsonl-file.js';
import type { SqliteDatabase } from './database.js';
import { SqliteAuditStore } from './sqlite-audit-store.js';
import type { SubjectAttemptApplier } from './sqlite-subject-store.js';
import { WalFileSync } from './wal-sync.js';

/** `<data-dir>/audit/audit.jsonl`: the JSON-lines copy of the trail. */
export function auditJsonlPath(dataDir: string): string {
  return join(dataDir, 'audit', 'audit.jsonl');
}

export interface AuditTrail {
  /** Queries, verification, and `list()` for tests. */
  store: SqliteAuditStore;
  file: AuditJsonlFile;
  /** The `AuditSink` to hand to the services; `close()` it before closing the database. */
  sink: GroupCommitAuditSink;
}

/**
 * The embedded backend's side of the group commit. Order per group: database commit, database
 * durable, then the file's lines written; only then does the group resolve. The database is the
 * source of truth (chained, queryable); a crash before the file write leaves records in the
 * database that the file lacks, for requests nobody was answered for, and the file catches up
 * from the database when it is next opened. The file is written only after the database is
 * durable, so it is never ahead of it. A failed file write rejects the group (fail closed) even
 * though the database has the records: the operator asked for both.
 *
 * On a file database in WAL mode the commit runs with `synchronous = NORMAL` and the WAL is
 * fsync'd off the event loop (WalFileSync): the event loop never blocks on a disk flush.
 * Otherwise (`:memory:`, a journal mode other than WAL) the commit is a plain
 * `synchronous = FULL` one. The file is fdatasync'd on its own interval (AuditJsonlFile).
 */
export function sqliteAuditWriter(db: SqliteDatabase, store: SqliteAuditStore, file?: AuditJsonlFile): AuditGroupWriter {
  const wal = !db.memory && String(db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal' ? new WalFileSync(db.name) : undefined;
  return {
    commit: (events, attempts) => (wal ? store.appendBatchUnsynced(events, attempts) : store.appendBatch(events, attempts)),
    async durable(records) {
      if (wal) await wal.sync();
      file?.appendNow(records);
    },
    async close() {
      wal?.close();
      await file?.close();
    },
  };
}

/**
 * The audit trail of one data directory: the chained table in `db` plus the JSON-lines file,
 * written per group by one group-commit sink. Opening chains any unchained rows and brings the
 * file up to date with the database. `subjects` lets CreateSession's subject attempts commit
 * with their audit records.
 */
export function openAuditTrail(
  db: SqliteDatabase,
  dataDir: string,
  opts: GroupCommitOptions & { subjects?: SubjectAttemptApplier; fileSyncIntervalMs?: number } = {},
): AuditTrail {
  const store = new SqliteAuditStore(db, opts.subjects);
  const file = AuditJsonlFile.open(auditJsonlPath(dataDir), store, opts.fileSyncIntervalMs !== undefined ? { syncIntervalMs: opts.fileSyncIntervalMs } : {});
  return { store, file, sink: new GroupCommitAuditSink(sqliteAuditWriter(db, store, file), opts) };
}
