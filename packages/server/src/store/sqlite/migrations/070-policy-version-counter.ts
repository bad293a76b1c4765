import type { SqliteMigration } from '../migration.js';

/**
 * Managed policy versions (CreatePolicyVersion): IAM numbers them v1, v2, … and never reuses a
 * number, even after DeletePolicyVersion, so the highest number ever issued is kept per policy.
 * Existing policies have only v1.
 */
export const policyVersionCounterMigration: SqliteMigration = {
  id: 70,
  name: 'policy-version-counter',
  statements: [`ALTER TABLE iam_policies ADD COLUMN last_version_number INTEGER NOT NULL DEFAULT 1`],
};
