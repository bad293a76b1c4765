import type { SqliteMigration } from '../migration.js';

/**
 * IAM roles, their inline policies, and long-term access keys.
 * - Role names are unique case-insensitively (IAM: "Role names are not distinguished by case"),
 *   hence `COLLATE NOCASE`; names are ASCII-only (`[\w+=,.@-]+`) so NOCASE's ASCII folding is exact.
 * - Inline policies go with their role but must be deleted first (IAM DeleteConflict), so the
 *   foreign key RESTRICTs rather than cascades.
 * - Secret access keys are stored recoverable because SigV4 verification needs the secret
 *   itself (AWS SigV4 is an HMAC); protect the database file accordingly.
 */
export const iamMigration: SqliteMigration = {
  id: 1,
  name: 'iam',
  statements: [
    `CREATE TABLE iam_roles (
      role_id TEXT PRIMARY KEY,
      role_name TEXT NOT NULL COLLATE NOCASE UNIQUE,
      path TEXT NOT NULL,
      arn TEXT NOT NULL,
      assume_role_policy_document TEXT NOT NULL,
      description TEXT,
      max_session_duration INTEGER NOT NULL,
      create_date TEXT NOT NULL,
      tags_json TEXT NOT NULL DEFAULT '[]'
    )`,
    `CREATE TABLE iam_role_policies (
      role_id TEXT NOT NULL REFERENCES iam_roles(role_id) ON DELETE RESTRICT,
      policy_name TEXT NOT NULL,
      policy_document TEXT NOT NULL,
      PRIMARY KEY (role_id, policy_name)
    )`,
    `CREATE TABLE iam_access_keys (
      access_key_id TEXT PRIMARY KEY,
      secret_access_key TEXT NOT NULL,
      user_name TEXT NOT NULL,
      user_arn TEXT NOT NULL,
      user_id TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
      create_date TEXT NOT NULL
    )`,
    `CREATE INDEX iam_access_keys_by_user ON iam_access_keys (user_name, create_date)`,
  ],
};
