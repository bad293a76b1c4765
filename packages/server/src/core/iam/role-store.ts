import type { Role, RoleInlinePolicy, Tag } from './role.js';

/**
 * Storage port for IAM roles. Role names are unique case-insensitively (IAM), so adapters
 * compare names with lower-casing. Methods say what they do in domain terms; policy (limits,
 * validation, error wording) lives in the services, atomicity in the adapters.
 */
export interface RoleStore {
  /** 'exists' when a role with that name (case-insensitive) already exists. */
  createRole(role: Role): Promise<'created' | 'exists'>;
  getRole(roleName: string): Promise<Role | undefined>;
  /** Ordered by role name; `marker` is opaque (the last name returned). */
  listRoles(opts: { pathPrefix?: string; marker?: string; maxItems: number }): Promise<{ roles: Role[]; marker?: string }>;
  updateRole(roleName: string, patch: { description?: string; maxSessionDuration?: number; assumeRolePolicyDocument?: string }): Promise<Role | undefined>;
  /**
   * Refuses while managed policies are attached ('has-attached-policies') or inline policies
   * exist ('has-policies'), like IAM's DeleteConflict.
   */
  deleteRole(roleName: string): Promise<'deleted' | 'not-found' | 'has-policies' | 'has-attached-policies'>;
  /**
   * Adds or overwrites tags (keys compared case-insensitively; the new key's spelling wins) in
   * one transaction; 'limit' when the role would end up with more than `maxTags`.
   */
  tagRole(roleName: string, tags: readonly Tag[], maxTags: number): Promise<'ok' | 'not-found' | 'limit'>;
  /** Removes the tags with these keys (case-insensitive); absent keys are ignored, like IAM. */
  untagRole(roleName: string, keys: readonly string[]): Promise<'ok' | 'not-found'>;
  putRolePolicy(roleName: string, policy: RoleInlinePolicy): Promise<'ok' | 'role-not-found'>;
  getRolePolicy(roleName: string, policyName: string): Promise<RoleInlinePolicy | undefined>;
  listRolePolicies(roleName: string): Promise<RoleInlinePolicy[]>;
  deleteRolePolicy(roleName: string, policyName: string): Promise<'deleted' | 'not-found'>;
}
