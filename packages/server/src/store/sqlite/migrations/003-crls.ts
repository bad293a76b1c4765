import type { SqliteMigration } from '../migration.js';

/**
 * CRLs of trust anchors (service-spec §7). `enabled` and `trust_anchor_id` are columns so the
 * CreateSession hot path can read the (id, version) pairs of a trust anchor's enabled CRLs
 * without loading documents of up to 300,000 bytes. Deleting a trust anchor deletes its CRLs
 * (ON DELETE CASCADE; AWS leaves it undocumented, service-spec §14.13).
 */
export const crlsMigration: SqliteMigration = {
  id: 3,
  name: 'crls',
  statements: [
    `CREATE TABLE crls (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       id TEXT NOT NULL UNIQUE,
       version INTEGER NOT NULL DEFAULT 1,
       trust_anchor_id TEXT NOT NULL REFERENCES trust_anchors(id) ON DELETE CASCADE,
       enabled INTEGER NOT NULL,
       doc TEXT NOT NULL)`,
    `CREATE INDEX crls_by_trust_anchor ON crls (trust_anchor_id, enabled)`,
  ],
};
