import type { AccessKeyRecord } from '../../core/iam/access-key-store.js';
import type { ManagedPolicy, PolicyVersion } from '../../core/iam/managed-policy.js';
import type { Role, RoleInlinePolicy, Tag } from '../../core/iam/role.js';

/**
 * Row shapes of the IAM tables, identical in the SQLite and PostgreSQL schemas, and their
 * mapping to domain records: one place, so the two adapters cannot drift apart. Domain objects
 * never carry storage concerns (style-anchors §8 habit 3).
 */
export interface AccessKeyRow {
  access_key_id: string;
  secret_access_key: string;
  user_name: string;
  user_arn: string;
  user_id: string;
  status: 'Active' | 'Inactive';
  create_date: string;
}

export function accessKeyFromRow(row: AccessKeyRow): AccessKeyRecord {
  return {
    accessKeyId: row.access_key_id,
    secretAccessKey: row.secret_access_key,
    userName: row.user_name,
    userArn: row.user_arn,
    userId: row.user_id,
    status: row.status,
    createDate: new Date(row.create_date),
  };
}

export interface RoleRow {
  role_id: string;
  role_name: string;
  path: string;
  arn: string;
  assume_role_policy_document: string;
  description: string | null;
  max_session_duration: number;
  create_date: string;
  tags_json: string;
}

export function roleFromRow(row: RoleRow): Role {
  const role: Role = {
    roleId: row.role_id,
    roleName: row.role_name,
    path: row.path,
    arn: row.arn,
    assumeRolePolicyDocument: row.assume_role_policy_document,
    maxSessionDuration: row.max_session_duration,
    createDate: new Date(row.create_date),
    tags: JSON.parse(row.tags_json) as Tag[],
  };
  if (row.description !== null) role.description = row.description;
  return role;
}

export interface RolePolicyRow {
  policy_name: string;
  policy_document: string;
}

export function rolePolicyFromRow(row: RolePolicyRow): RoleInlinePolicy {
  return { policyName: row.policy_name, policyDocument: row.policy_document };
}

/** `iam_policies` joined with its default version's document. */
export interface ManagedPolicyRow {
  policy_id: string;
  policy_name: string;
  path: string;
  arn: string;
  description: string | null;
  default_version_id: string;
  create_date: string;
  update_date: string;
  tags_json: string;
  document: string;
}

export function managedPolicyFromRow(row: ManagedPolicyRow): ManagedPolicy {
  const p: ManagedPolicy = {
    policyId: row.policy_id,
    policyName: row.policy_name,
    path: row.path,
    arn: row.arn,
    defaultVersionId: row.default_version_id,
    document: row.document,
    createDate: new Date(row.create_date),
    updateDate: new Date(row.update_date),
    tags: JSON.parse(row.tags_json) as Tag[],
    scope: 'Local',
  };
  if (row.description !== null) p.description = row.description;
  return p;
}

/** ListPolicyVersions order: newest first, by version number (v10 after v9). */
export function newestFirst(versions: PolicyVersion[]): PolicyVersion[] {
  return versions.sort((a, b) => Number(b.versionId.slice(1)) - Number(a.versionId.slice(1)));
}
