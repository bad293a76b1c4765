import type { SqliteMigration } from '../migration.js';

/**
 * Roles Anywhere resources. Each record is kept as its JSON document plus the columns we
 * filter or order on; `seq` gives listings a stable order for nextToken paging, `version`
 * supports optimistic concurrency.
 */
export const rolesAnywhereMigration: SqliteMigration = {
  id: 2,
  name: 'roles-anywhere',
  statements: [
    `CREATE TABLE trust_anchors (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       id TEXT NOT NULL UNIQUE,
       version INTEGER NOT NULL DEFAULT 1,
       doc TEXT NOT NULL)`,
    `CREATE TABLE profiles (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       id TEXT NOT NULL UNIQUE,
       version INTEGER NOT NULL DEFAULT 1,
       doc TEXT NOT NULL)`,
    `CREATE TABLE subjects (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       id TEXT NOT NULL UNIQUE,
       x509_subject TEXT NOT NULL UNIQUE,
       doc TEXT NOT NULL)`,
    `CREATE TABLE audit_events (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       event_id TEXT NOT NULL UNIQUE,
       event_time TEXT NOT NULL,
       event_name TEXT NOT NULL,
       doc TEXT NOT NULL)`,
    `CREATE INDEX audit_events_time ON audit_events (event_time)`,
  ],
};
