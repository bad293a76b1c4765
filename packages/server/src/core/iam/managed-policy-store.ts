import type { AttachedPolicy, ManagedPolicy, PolicyVersion } from './managed-policy.js';

/**
 * Storage port for customer managed policies and role↔policy attachments. Attachments are
 * keyed by policy ARN so they can also point at built-in AWS managed policies, which are not
 * stored. Limits arrive as arguments; the adapter enforces them atomically.
 */
export interface ManagedPolicyStore {
  /** 'exists' when a policy with that name (case-insensitive, any path) already exists. */
  createPolicy(policy: ManagedPolicy): Promise<'created' | 'exists'>;
  getPolicy(arn: string): Promise<ManagedPolicy | undefined>;
  /** Every customer managed policy, ordered by ARN. */
  listPolicies(): Promise<ManagedPolicy[]>;
  /**
   * Refuses ('attached') while any role has the policy attached, and ('versions') while it has
   * versions besides the default (IAM: delete them first).
   */
  deletePolicy(arn: string): Promise<'deleted' | 'not-found' | 'attached' | 'versions'>;
  /** Every version, newest first; undefined when the policy does not exist. */
  listPolicyVersions(arn: string): Promise<PolicyVersion[] | undefined>;
  /**
   * Adds the next version (`v<highest ever + 1>`), atomically refusing ('limit') when the policy
   * already has `maxVersions`; with `setAsDefault` it becomes the default.
   */
  createPolicyVersion(
    arn: string,
    version: { document: string; setAsDefault: boolean },
    opts: { maxVersions: number; now: Date },
  ): Promise<{ versionId: string } | 'not-found' | 'limit'>;
  setDefaultPolicyVersion(arn: string, versionId: string, now: Date): Promise<'ok' | 'not-found' | 'version-not-found'>;
  /** The default version cannot be deleted ('default'). */
  deletePolicyVersion(arn: string, versionId: string): Promise<'deleted' | 'not-found' | 'version-not-found' | 'default'>;
  /**
   * Idempotent; 'limit' when the role already has `maxPerRole` other policies attached. With
   * `stored: true` the policy must exist in the store inside the same transaction, so a
   * concurrent DeletePolicy cannot leave a dangling attachment.
   */
  attachRolePolicy(
    roleName: string,
    policy: AttachedPolicy,
    opts: { maxPerRole: number; now: Date; stored: boolean },
  ): Promise<'ok' | 'role-not-found' | 'policy-not-found' | 'limit'>;
  detachRolePolicy(roleName: string, policyArn: string): Promise<'detached' | 'role-not-found' | 'not-attached'>;
  /** undefined when the role does not exist; ordered by policy ARN. */
  listAttachedRolePolicies(roleName: string): Promise<AttachedPolicy[] | undefined>;
  /** Number of roles each ARN is attached to (ARNs without attachments are absent). */
  attachmentCounts(): Promise<Map<string, number>>;
}
