import type { SqliteMigration } from '../migration.js';

/**
 * Fewer B-trees touched per audit record (issue [scale] hot path). Every index on a random key
 * costs one page write per record, whatever the group size:
 * - `audit_events_time` (migration 002) served no query: time windows use `event_ms` (020);
 * - `audit_events_hash` (020) served only `seqOfHash`, which chain verification calls once, to
 *   describe a break it already found; a scan of the table is fine there.
 */
export const auditWriteIndexesMigration: SqliteMigration = {
  id: 40,
  name: 'audit-write-indexes',
  statements: [`DROP INDEX IF EXISTS audit_events_time`, `DROP INDEX IF EXISTS audit_events_hash`],
};
