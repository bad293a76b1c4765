import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import { PolicyVersions, checkManagedPolicyDocument } from './policy-versions.js';
import { invalidArn, resolveManagedPolicy } from './managed-policy-lookup.js';
import { awsManagedPolicies } from './aws-managed-policies.js';
import {
  DeleteConflictError,
  EntityAlreadyExistsError,
  LimitExceededError,
  NoSuchEntityError,
} from './iam-errors.js';
import { newPolicyId } from './iam-ids.js';
import type { AttachedPolicy, ManagedPolicy, ManagedPolicyWithUsage } from './managed-policy.js';
import type { ManagedPolicyStore } from './managed-policy-store.js';
import { looksLikeArn, parsePolicyArn, policyArn } from './policy-arn.js';
import type { Tag } from './role.js';
import type { RoleStore } from './role-store.js';
import {
  ARN,
  MARKER,
  MAX_ATTACHED_POLICIES_PER_ROLE,
  MAX_ITEMS,
  POLICY_DESCRIPTION,
  POLICY_DOCUMENT,
  POLICY_NAME,
  POLICY_PATH,
  ROLE_NAME,
  Violations,
  assertValidTagKeys,
  compareCodeUnits,
  throwIfInvalid,
} from './role-validation.js';

export interface CreatePolicyInput {
  policyName: string | undefined;
  policyDocument: string | undefined;
  path?: string;
  description?: string;
  tags?: Tag[];
}

export interface ListPoliciesInput {
  scope?: string;
  onlyAttached?: boolean;
  pathPrefix?: string;
  policyUsageFilter?: string;
  marker?: string;
  maxItems?: number;
}

export interface Paged<T> {
  items: T[];
  isTruncated: boolean;
  marker?: string;
}

export interface ManagedPolicyServiceDeps {
  store: ManagedPolicyStore;
  roles: RoleStore;
  clock: Clock;
  random: Random;
  config: ServiceConfig;
}

const DEFAULT_MAX_ITEMS = 100; // IAM API reference, MaxItems: "defaults to 100"
const SCOPES = ['All', 'AWS', 'Local'] as const;
const USAGE = ['PermissionsPolicy', 'PermissionsBoundary'] as const;

/** IAM managed policies and role attachments (IAM API reference: CreatePolicy … ListAttachedRolePolicies). */
export class ManagedPolicyService {
  /** CreatePolicyVersion … DeletePolicyVersion (policy-versions.ts). */
  readonly versions: PolicyVersions;

  constructor(private readonly deps: ManagedPolicyServiceDeps) {
    this.versions = new PolicyVersions(deps);
  }

  async createPolicy(input: CreatePolicyInput): Promise<ManagedPolicyWithUsage> {
    const v = new Violations();
    if (v.required('policyName', input.policyName)) v.string('policyName', input.policyName, POLICY_NAME);
    v.string('path', input.path, POLICY_PATH);
    if (v.required('policyDocument', input.policyDocument)) v.string('policyDocument', input.policyDocument, POLICY_DOCUMENT);
    v.string('description', input.description, POLICY_DESCRIPTION);
    v.tags(input.tags);
    throwIfInvalid(v);
    const tags = input.tags ?? [];
    assertValidTagKeys(tags);
    const document = input.policyDocument as string;
    checkManagedPolicyDocument(document);

    const path = input.path ?? '/';
    const name = input.policyName as string;
    const now = this.deps.clock.now();
    const policy: ManagedPolicy = {
      policyId: newPolicyId(this.deps.random),
      policyName: name,
      path,
      arn: policyArn(this.deps.config, 'Local', path, name),
      defaultVersionId: 'v1',
      document,
      createDate: now,
      updateDate: now,
      tags: tags.map((t) => ({ key: t.key, value: t.value })),
      scope: 'Local',
    };
    if (input.description !== undefined) policy.description = input.description;
    if ((await this.deps.store.createPolicy(policy)) === 'exists') throw EntityAlreadyExistsError.policy(name);
    return { ...policy, attachmentCount: 0 };
  }

  async getPolicy(arn: string | undefined): Promise<ManagedPolicyWithUsage> {
    const policy = await this.resolve(requireArn('policyArn', arn), NoSuchEntityError.policy);
    const counts = await this.deps.store.attachmentCounts();
    return { ...policy, attachmentCount: counts.get(policy.arn) ?? 0 };
  }

  async listPolicies(input: ListPoliciesInput): Promise<Paged<ManagedPolicyWithUsage>> {
    const v = new Violations();
    v.oneOf('scope', input.scope, SCOPES);
    v.string('pathPrefix', input.pathPrefix, POLICY_PATH);
    v.oneOf('policyUsageFilter', input.policyUsageFilter, USAGE);
    v.string('marker', input.marker, MARKER);
    v.integer('maxItems', input.maxItems, MAX_ITEMS);
    throwIfInvalid(v);
    const scope = input.scope ?? 'All';
    const counts = await this.deps.store.attachmentCounts();
    const all: ManagedPolicy[] = [
      ...(scope === 'Local' ? [] : awsManagedPolicies(this.deps.config)),
      ...(scope === 'AWS' ? [] : await this.deps.store.listPolicies()),
    ];
    const prefix = input.pathPrefix;
    const selected = all
      .filter((p) => prefix === undefined || p.path.startsWith(prefix))
      .map((p) => ({ ...p, attachmentCount: counts.get(p.arn) ?? 0 }))
      .filter((p) => !input.onlyAttached || p.attachmentCount > 0)
      // Permissions boundaries are not supported, so no policy is in use as one.
      .filter(() => input.policyUsageFilter !== 'PermissionsBoundary')
      .sort((a, b) => compareCodeUnits(a.arn, b.arn));
    return page(selected, (p) => p.arn, input.marker, input.maxItems);
  }

  async deletePolicy(arn: string | undefined): Promise<void> {
    const policyArnValue = requireArn('policyArn', arn);
    // Resolving first gives InvalidInput for non-ARNs; AWS managed policies cannot be deleted
    // and are "not found" among this account's policies.
    const policy = await this.resolve(policyArnValue, NoSuchEntityError.policy);
    if (policy.scope === 'AWS') throw NoSuchEntityError.policy(policyArnValue);
    const outcome = await this.deps.store.deletePolicy(policyArnValue);
    if (outcome === 'not-found') throw NoSuchEntityError.policy(policyArnValue);
    if (outcome === 'attached') throw DeleteConflictError.policyAttached();
    if (outcome === 'versions') {
      throw new DeleteConflictError("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
    }
  }

  async attachRolePolicy(roleName: string | undefined, arn: string | undefined): Promise<void> {
    const { role, policyArn: value } = this.checkRoleAndArn(roleName, arn);
    if (!(await this.deps.roles.getRole(role))) throw NoSuchEntityError.role(role);
    const policy = await this.resolve(value, NoSuchEntityError.notAttachable);
    const outcome = await this.deps.store.attachRolePolicy(
      role,
      { policyName: policy.policyName, policyArn: policy.arn },
      { maxPerRole: MAX_ATTACHED_POLICIES_PER_ROLE, now: this.deps.clock.now(), stored: policy.scope === 'Local' },
    );
    if (outcome === 'role-not-found') throw NoSuchEntityError.role(role);
    if (outcome === 'policy-not-found') throw NoSuchEntityError.notAttachable(value);
    // IAM quotas: "Managed policies attached to an IAM role" (default 10).
    if (outcome === 'limit') throw LimitExceededError.quota('PoliciesPerRole', MAX_ATTACHED_POLICIES_PER_ROLE);
  }

  async detachRolePolicy(roleName: string | undefined, arn: string | undefined): Promise<void> {
    const { role, policyArn: value } = this.checkRoleAndArn(roleName, arn);
    if (!looksLikeArn(value)) throw invalidArn(value);
    const outcome = await this.deps.store.detachRolePolicy(role, value);
    if (outcome === 'role-not-found') throw NoSuchEntityError.role(role);
    if (outcome === 'not-attached') throw NoSuchEntityError.policy(value);
  }

  async listAttachedRolePolicies(input: { roleName: string | undefined; pathPrefix?: string; marker?: string; maxItems?: number }): Promise<Paged<AttachedPolicy>> {
    const v = new Violations();
    if (v.required('roleName', input.roleName)) v.string('roleName', input.roleName, ROLE_NAME);
    v.string('pathPrefix', input.pathPrefix, POLICY_PATH);
    v.string('marker', input.marker, MARKER);
    v.integer('maxItems', input.maxItems, MAX_ITEMS);
    throwIfInvalid(v);
    const attached = await this.deps.store.listAttachedRolePolicies(input.roleName as string);
    if (!attached) throw NoSuchEntityError.role(input.roleName as string);
    const prefix = input.pathPrefix;
    const selected = attached
      .filter((a) => prefix === undefined || (parsePolicyArn(a.policyArn, this.deps.config)?.path ?? '/').startsWith(prefix))
      .sort((a, b) => compareCodeUnits(a.policyArn, b.policyArn));
    return page(selected, (a) => a.policyArn, input.marker, input.maxItems);
  }

  private checkRoleAndArn(roleName: string | undefined, arn: string | undefined): { role: string; policyArn: string } {
    const v = new Violations();
    if (v.required('roleName', roleName)) v.string('roleName', roleName, ROLE_NAME);
    if (v.required('policyArn', arn)) v.string('policyArn', arn, ARN);
    throwIfInvalid(v);
    return { role: roleName as string, policyArn: arn as string };
  }

  private resolve(arn: string, notFound: (arn: string) => NoSuchEntityError): Promise<ManagedPolicy> {
    return resolveManagedPolicy(this.deps.store, this.deps.config, arn, notFound);
  }
}

function requireArn(member: string, arn: string | undefined): string {
  const v = new Violations();
  if (v.required(member, arn)) v.string(member, arn, ARN);
  throwIfInvalid(v);
  return arn as string;
}


/** Marker = the sort key of the last item returned; items after it come next. */
function page<T>(sorted: T[], key: (t: T) => string, marker: string | undefined, maxItems: number | undefined): Paged<T> {
  const from = marker === undefined ? sorted : sorted.filter((t) => compareCodeUnits(key(t), marker) > 0);
  const n = maxItems ?? DEFAULT_MAX_ITEMS;
  const items = from.slice(0, n);
  const last = items[items.length - 1];
  return from.length > n && last !== undefined ? { items, isTruncated: true, marker: key(last) } : { items, isTruncated: false };
}
