import { join } from 'node:path';
import { AuditJsonlFile } from './audit-jsonl-file.js';
import type { SqliteDatabase } from './database.js';
import { GroupCommitAuditSink, type GroupCommitOptions } from './group-commit-audit-sink.js';
import { SqliteAuditStore } from './sqlite-audit-store.js';
import type { SubjectAttemptApplier } from './sqlite-roles-anywhere-stores.js';

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
 * The audit trail of one data directory: the chained table in `db` plus the JSON-lines file,
 * written per group by one group-commit sink. Opening chains any unchained rows and brings the
 * file up to date with the database. `subjects` lets CreateSession's subject attempts commit
 * with their audit records.
 */
export function openAuditTrail(db: SqliteDatabase, dataDir: string, opts: GroupCommitOptions & { subjects?: SubjectAttemptApplier } = {}): AuditTrail {
  const store = new SqliteAuditStore(db, opts.subjects);
  const file = AuditJsonlFile.open(auditJsonlPath(dataDir), store);
  return { store, file, sink: new GroupCommitAuditSink(store, file, opts) };
}
