import type { SqliteMigration } from '../migration.js';

/**
 * Customer managed policies, their versions, and role attachments.
 * - Policy names are unique per account case-insensitively, whatever the path (IAM CreatePolicy:
 *   "Names are not distinguished by case"), hence `COLLATE NOCASE UNIQUE` on the name alone.
 * - Versions live in their own table so CreatePolicyVersion can come later without a rewrite;
 *   today every policy has exactly `v1`, the default.
 * - Attachments name the policy by ARN so built-in AWS managed policies (not stored) can be
 *   attached too. Deleting an attached policy is refused by the adapter (IAM DeleteConflict);
 *   the role foreign key RESTRICTs so a role cannot disappear under its attachments.
 */
export const managedPoliciesMigration: SqliteMigration = {
  id: 10,
  name: 'iam-managed-policies',
  statements: [
    `CREATE TABLE iam_policies (
      policy_id TEXT PRIMARY KEY,
      policy_name TEXT NOT NULL COLLATE NOCASE UNIQUE,
      path TEXT NOT NULL,
      arn TEXT NOT NULL UNIQUE,
      description TEXT,
      default_version_id TEXT NOT NULL,
      create_date TEXT NOT NULL,
      update_date TEXT NOT NULL,
      tags_json TEXT NOT NULL DEFAULT '[]'
    )`,
    `CREATE TABLE iam_policy_versions (
      policy_id TEXT NOT NULL REFERENCES iam_policies(policy_id) ON DELETE CASCADE,
      version_id TEXT NOT NULL,
      document TEXT NOT NULL,
      create_date TEXT NOT NULL,
      PRIMARY KEY (policy_id, version_id)
    )`,
    `CREATE TABLE iam_role_policy_attachments (
      role_id TEXT NOT NULL REFERENCES iam_roles(role_id) ON DELETE RESTRICT,
      policy_arn TEXT NOT NULL,
      policy_name TEXT NOT NULL,
      attached_at TEXT NOT NULL,
      PRIMARY KEY (role_id, policy_arn)
    )`,
    `CREATE INDEX iam_role_policy_attachments_by_policy ON iam_role_policy_attachments (policy_arn)`,
  ],
};
