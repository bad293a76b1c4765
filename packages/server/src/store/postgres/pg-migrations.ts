import type { PgMigration } from './pg-migrate.js';

/**
 * The PostgreSQL schema: the same tables and meanings as the SQLite migrations
 * (store/sqlite/migrations), in PostgreSQL's dialect. Differences, each deliberate:
 * - Case-insensitive unique names (IAM: role and policy names "are not distinguished by case")
 *   are unique indexes on `lower(name)`; names are ASCII-only, so lower() is exact.
 * - Every Roles Anywhere document and every role has a `version` bumped on each write: the
 *   CreateSession caches key on it, and saves use it for optimistic concurrency
 *   (pg-document-table.ts).
 * - The audit table is chained from the first row (no pre-chain rows to adopt), so the hash
 *   columns are NOT NULL.
 * Timestamps are ISO-8601 text, exactly as the SQLite adapters store them, so documents move
 * between the two stores unchanged.
 * Add new steps at the end; never edit an applied one.
 */
export const pgMigrations: readonly PgMigration[] = [
  {
    id: 1,
    name: 'iam',
    statements: [
      `CREATE TABLE iam_roles (
        role_id text PRIMARY KEY,
        role_name text NOT NULL,
        path text NOT NULL,
        arn text NOT NULL,
        assume_role_policy_document text NOT NULL,
        description text,
        max_session_duration integer NOT NULL,
        create_date text NOT NULL,
        tags_json text NOT NULL DEFAULT '[]',
        version integer NOT NULL DEFAULT 1)`,
      `CREATE UNIQUE INDEX iam_roles_name_ci ON iam_roles (lower(role_name))`,
      `CREATE TABLE iam_role_policies (
        role_id text NOT NULL REFERENCES iam_roles(role_id) ON DELETE RESTRICT,
        policy_name text NOT NULL,
        policy_document text NOT NULL,
        PRIMARY KEY (role_id, policy_name))`,
      `CREATE TABLE iam_access_keys (
        access_key_id text PRIMARY KEY,
        secret_access_key text NOT NULL,
        user_name text NOT NULL,
        user_arn text NOT NULL,
        user_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('Active', 'Inactive')),
        create_date text NOT NULL)`,
      `CREATE INDEX iam_access_keys_by_user ON iam_access_keys (user_name, create_date)`,
    ],
  },
  {
    id: 2,
    name: 'roles-anywhere',
    statements: [
      `CREATE TABLE trust_anchors (seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, version integer NOT NULL DEFAULT 1, doc text NOT NULL)`,
      `CREATE TABLE profiles (seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, version integer NOT NULL DEFAULT 1, doc text NOT NULL)`,
      `CREATE TABLE subjects (seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, x509_subject text NOT NULL UNIQUE,
         version integer NOT NULL DEFAULT 1, doc text NOT NULL)`,
      `CREATE TABLE crls (
         seq bigserial PRIMARY KEY,
         id text NOT NULL UNIQUE,
         version integer NOT NULL DEFAULT 1,
         trust_anchor_id text NOT NULL REFERENCES trust_anchors(id) ON DELETE CASCADE,
         enabled boolean NOT NULL,
         doc text NOT NULL)`,
      `CREATE INDEX crls_by_trust_anchor ON crls (trust_anchor_id, enabled)`,
    ],
  },
  {
    id: 10,
    name: 'iam-managed-policies',
    statements: [
      `CREATE TABLE iam_policies (
        policy_id text PRIMARY KEY,
        policy_name text NOT NULL,
        path text NOT NULL,
        arn text NOT NULL UNIQUE,
        description text,
        default_version_id text NOT NULL,
        create_date text NOT NULL,
        update_date text NOT NULL,
        tags_json text NOT NULL DEFAULT '[]')`,
      `CREATE UNIQUE INDEX iam_policies_name_ci ON iam_policies (lower(policy_name))`,
      `CREATE TABLE iam_policy_versions (
        policy_id text NOT NULL REFERENCES iam_policies(policy_id) ON DELETE CASCADE,
        version_id text NOT NULL,
        document text NOT NULL,
        create_date text NOT NULL,
        PRIMARY KEY (policy_id, version_id))`,
      `CREATE TABLE iam_role_policy_attachments (
        role_id text NOT NULL REFERENCES iam_roles(role_id) ON DELETE RESTRICT,
        policy_arn text NOT NULL,
        policy_name text NOT NULL,
        attached_at text NOT NULL,
        PRIMARY KEY (role_id, policy_arn))`,
      `CREATE INDEX iam_role_policy_attachments_by_policy ON iam_role_policy_attachments (policy_arn)`,
    ],
  },
  {
    id: 20,
    name: 'audit-chain',
    statements: [
      `CREATE TABLE audit_events (
         seq bigint PRIMARY KEY,
         event_id text NOT NULL UNIQUE,
         event_time text NOT NULL,
         event_name text NOT NULL,
         doc text NOT NULL,
         previous_hash text NOT NULL,
         hash text NOT NULL,
         event_ms bigint NOT NULL,
         serial text,
         role_arn text)`,
      `CREATE INDEX audit_events_ms ON audit_events (event_ms, seq)`,
      `CREATE INDEX audit_events_serial ON audit_events (serial, seq)`,
      `CREATE INDEX audit_events_role ON audit_events (role_arn, seq)`,
      `CREATE INDEX audit_events_name ON audit_events (event_name, seq)`,
      `CREATE INDEX audit_events_hash ON audit_events (hash)`,
      `CREATE TABLE audit_chain_head (id integer PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash text NOT NULL, event_id text)`,
      `INSERT INTO audit_chain_head (id, seq, hash, event_id) VALUES (1, 0, '${'0'.repeat(64)}', NULL)`,
    ],
  },
  {
    id: 30,
    name: 'notification-state',
    statements: [`CREATE TABLE notification_state (notification_key text PRIMARY KEY, sent_ms bigint NOT NULL)`],
  },
  {
    // One index write less per audit record: seqOfHash runs once per verification failure (to
    // describe it), where a scan is fine (same as SQLite migration 040).
    id: 40,
    name: 'audit-write-indexes',
    statements: [`DROP INDEX IF EXISTS audit_events_hash`],
  },
  {
    // Web console sessions shared by every replica (same shape as SQLite migration 050): the
    // key is the SHA-256 of the cookie id, never the id; the principal has no secret.
    id: 50,
    name: 'console-sessions',
    statements: [
      `CREATE TABLE console_sessions (
         key_hash text PRIMARY KEY,
         principal_json text NOT NULL,
         csrf_token text NOT NULL,
         created_ms bigint NOT NULL,
         expires_ms bigint NOT NULL,
         last_used_ms bigint NOT NULL)`,
      `CREATE INDEX console_sessions_created ON console_sessions (created_ms)`,
    ],
  },
  {
    // Certificate bodies of subject credentials, once per certificate (same shape as SQLite
    // migration 060; see store/rows/subject-rows.ts): subject documents refer to them by SHA-256.
    id: 60,
    name: 'subject-certificates',
    statements: [`CREATE TABLE subject_certificates (sha256 text PRIMARY KEY, pem text NOT NULL)`],
  },
  {
    // The highest managed-policy version number ever issued (same as SQLite migration 070):
    // IAM never reuses a version id after DeletePolicyVersion.
    id: 70,
    name: 'policy-version-counter',
    statements: [`ALTER TABLE iam_policies ADD COLUMN last_version_number integer NOT NULL DEFAULT 1`],
  },
];
