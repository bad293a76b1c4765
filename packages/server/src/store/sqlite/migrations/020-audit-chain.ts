import type { SqliteMigration } from '../migration.js';

/**
 * Hash-chained, searchable audit trail (issue [revocation-audit] items 3–4).
 * - `previous_hash`/`hash`: the chain link of each record (see core/audit/audit-chain.ts).
 * - `event_ms`, `serial`, `role_arn`: the search columns, filled here for existing rows with
 *   SQLite's own JSON and date functions; `serial` is normalised like `normalizeSerialHex`
 *   (lowercase, no colons, no leading zeros).
 * - `audit_chain_head`: the last link as the writer committed it, updated in the same
 *   transaction as the records, so verification notices a truncated tail.
 * Rows written before this migration (by migration 002's table) keep their seq and content and
 * stay readable; they have no hash yet. Migrations are SQL only and SQLite has no SHA-256, so
 * they are chained — from the genesis hash, in seq order — by `SqliteAuditStore` the first time
 * it opens this database (an idempotent step in one transaction). From then on they are as
 * tamper-evident as any later record; nothing proves what happened to them before.
 */
export const auditChainMigration: SqliteMigration = {
  id: 20,
  name: 'audit-chain',
  statements: [
    `ALTER TABLE audit_events ADD COLUMN previous_hash TEXT`,
    `ALTER TABLE audit_events ADD COLUMN hash TEXT`,
    `ALTER TABLE audit_events ADD COLUMN event_ms INTEGER`,
    `ALTER TABLE audit_events ADD COLUMN serial TEXT`,
    `ALTER TABLE audit_events ADD COLUMN role_arn TEXT`,
    `UPDATE audit_events SET
       event_ms = CAST(ROUND((julianday(event_time) - 2440587.5) * 86400000.0) AS INTEGER),
       serial = CASE WHEN json_extract(doc, '$.userIdentity.certificate.serialNumber') IS NULL THEN NULL
                ELSE COALESCE(NULLIF(ltrim(lower(replace(json_extract(doc, '$.userIdentity.certificate.serialNumber'), ':', '')), '0'), ''), '0') END,
       role_arn = json_extract(doc, '$.requestParameters.roleArn')`,
    `CREATE INDEX audit_events_ms ON audit_events (event_ms, seq)`,
    `CREATE INDEX audit_events_serial ON audit_events (serial, seq)`,
    `CREATE INDEX audit_events_role ON audit_events (role_arn, seq)`,
    `CREATE INDEX audit_events_name ON audit_events (event_name, seq)`,
    `CREATE INDEX audit_events_hash ON audit_events (hash)`,
    `CREATE TABLE audit_chain_head (
       id INTEGER PRIMARY KEY CHECK (id = 1),
       seq INTEGER NOT NULL,
       hash TEXT NOT NULL,
       event_id TEXT)`,
    `INSERT INTO audit_chain_head (id, seq, hash, event_id) VALUES (1, 0, '${'0'.repeat(64)}', NULL)`,
  ],
};
