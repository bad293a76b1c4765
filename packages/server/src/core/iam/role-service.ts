import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import { parsePolicyDocument } from '../policy/index.js';
import { policyWriteViolation } from './policy-write-rules.js';
import { checkTrustPolicy, checkTrustPrincipals } from './trust-policy-check.js';
import type { Role, RoleInlinePolicy, Tag } from './role.js';
import type { RoleStore } from './role-store.js';
import {
  DeleteConflictError,
  EntityAlreadyExistsError,
  InvalidInputError,
  LimitExceededError,
  MalformedPolicyDocumentError,
  NoSuchEntityError,
} from './iam-errors.js';
import {
  DESCRIPTION,
  MAX_TAGS,
  MARKER,
  MAX_ITEMS,
  MAX_SESSION_DURATION,
  PATH,
  PATH_PREFIX,
  POLICY_DOCUMENT,
  POLICY_NAME,
  ROLE_INLINE_POLICIES_MAX_SIZE,
  ROLE_NAME,
  Violations,
  assertValidTagKeys,
  compareCodeUnits,
  policySize,
  requireRoleName,
  throwIfInvalid,
} from './role-validation.js';
import { newRoleId } from './iam-ids.js';

/**
 * Inputs arrive unvalidated from the wire: a required member may be missing, and IAM then
 * answers ValidationError "Member must not be null", which this service produces.
 */
export interface CreateRoleInput {
  roleName: string | undefined;
  assumeRolePolicyDocument: string | undefined;
  path?: string;
  description?: string;
  maxSessionDuration?: number;
  tags?: Tag[];
}

export interface UpdateRoleInput {
  roleName: string | undefined;
  description?: string;
  maxSessionDuration?: number;
}

export interface PutRolePolicyInput {
  roleName: string | undefined;
  policyName: string | undefined;
  policyDocument: string | undefined;
}

export interface Page {
  marker?: string;
  maxItems?: number;
}

export interface ListRolesResult {
  roles: Role[];
  isTruncated: boolean;
  marker?: string;
}

export interface ListRolePoliciesResult {
  policyNames: string[];
  isTruncated: boolean;
  marker?: string;
}

export interface RoleServiceDeps {
  store: RoleStore;
  clock: Clock;
  random: Random;
  config: ServiceConfig;
}

const DEFAULT_MAX_ITEMS = 100; // IAM API reference, ListRoles MaxItems: "defaults to 100"

/** IAM role management (IAM API reference: CreateRole … DeleteRolePolicy). */
export class RoleService {
  constructor(private readonly deps: RoleServiceDeps) {}

  async createRole(input: CreateRoleInput): Promise<Role> {
    const v = new Violations();
    if (v.required('roleName', input.roleName)) v.string('roleName', input.roleName, ROLE_NAME);
    if (v.required('assumeRolePolicyDocument', input.assumeRolePolicyDocument)) {
      v.string('assumeRolePolicyDocument', input.assumeRolePolicyDocument, POLICY_DOCUMENT);
    }
    v.string('path', input.path, PATH);
    v.string('description', input.description, DESCRIPTION);
    v.integer('maxSessionDuration', input.maxSessionDuration, MAX_SESSION_DURATION);
    v.tags(input.tags);
    throwIfInvalid(v);
    const roleName = input.roleName as string;
    const tags = input.tags ?? [];
    assertValidTagKeys(tags);
    const checked = checkTrustPolicy(input.assumeRolePolicyDocument as string);
    await checkTrustPrincipals(this.deps.store, this.deps.config, checked.policy);
    const trust = checked.document;

    const { partition, accountId } = this.deps.config;
    const path = input.path ?? '/';
    const role: Role = {
      roleId: newRoleId(this.deps.random),
      roleName,
      path,
      arn: `arn:${partition}:iam::${accountId}:role${path}${roleName}`,
      assumeRolePolicyDocument: trust,
      maxSessionDuration: input.maxSessionDuration ?? MAX_SESSION_DURATION.min,
      createDate: this.deps.clock.now(),
      tags: tags.map((t) => ({ key: t.key, value: t.value })),
    };
    if (input.description !== undefined) role.description = input.description;
    if ((await this.deps.store.createRole(role)) === 'exists') throw EntityAlreadyExistsError.role(roleName);
    return role;
  }

  async getRole(roleName: string | undefined): Promise<Role> {
    const name = requireRoleName(roleName);
    const role = await this.deps.store.getRole(name);
    if (!role) throw NoSuchEntityError.role(name);
    return role;
  }

  async listRoles(input: Page & { pathPrefix?: string }): Promise<ListRolesResult> {
    const v = new Violations();
    v.string('pathPrefix', input.pathPrefix, PATH_PREFIX);
    v.string('marker', input.marker, MARKER);
    v.integer('maxItems', input.maxItems, MAX_ITEMS);
    throwIfInvalid(v);
    const opts: { pathPrefix?: string; marker?: string; maxItems: number } = {
      maxItems: input.maxItems ?? DEFAULT_MAX_ITEMS,
    };
    if (input.pathPrefix !== undefined) opts.pathPrefix = input.pathPrefix;
    if (input.marker !== undefined) opts.marker = input.marker;
    const page = await this.deps.store.listRoles(opts);
    const result: ListRolesResult = { roles: page.roles, isTruncated: page.marker !== undefined };
    if (page.marker !== undefined) result.marker = page.marker;
    return result;
  }

  async updateRole(input: UpdateRoleInput): Promise<void> {
    const v = new Violations();
    if (v.required('roleName', input.roleName)) v.string('roleName', input.roleName, ROLE_NAME);
    v.string('description', input.description, DESCRIPTION);
    v.integer('maxSessionDuration', input.maxSessionDuration, MAX_SESSION_DURATION);
    throwIfInvalid(v);
    const patch: { description?: string; maxSessionDuration?: number } = {};
    if (input.description !== undefined) patch.description = input.description;
    if (input.maxSessionDuration !== undefined) patch.maxSessionDuration = input.maxSessionDuration;
    const updated = await this.deps.store.updateRole(input.roleName as string, patch);
    if (!updated) throw NoSuchEntityError.role(input.roleName as string);
  }

  async updateAssumeRolePolicy(input: { roleName: string | undefined; policyDocument: string | undefined }): Promise<void> {
    const v = new Violations();
    if (v.required('roleName', input.roleName)) v.string('roleName', input.roleName, ROLE_NAME);
    if (v.required('policyDocument', input.policyDocument)) v.string('policyDocument', input.policyDocument, POLICY_DOCUMENT);
    throwIfInvalid(v);
    const roleName = input.roleName as string;
    // IAM reports a missing role before looking at the document.
    if (!(await this.deps.store.getRole(roleName))) throw NoSuchEntityError.role(roleName);
    const checked = checkTrustPolicy(input.policyDocument as string);
    await checkTrustPrincipals(this.deps.store, this.deps.config, checked.policy);
    const trust = checked.document;
    const updated = await this.deps.store.updateRole(roleName, { assumeRolePolicyDocument: trust });
    if (!updated) throw NoSuchEntityError.role(roleName);
  }

  async deleteRole(roleName: string | undefined): Promise<void> {
    const name = requireRoleName(roleName);
    const outcome = await this.deps.store.deleteRole(name);
    if (outcome === 'not-found') throw NoSuchEntityError.role(name);
    if (outcome === 'has-policies') throw DeleteConflictError.rolePolicies();
    if (outcome === 'has-attached-policies') throw DeleteConflictError.attachedPolicies();
  }

  /** TagRole: adds or overwrites; at most 50 tags per role (IAM quotas "Tags per IAM role"). */
  async tagRole(input: { roleName: string | undefined; tags: Tag[] | undefined }): Promise<void> {
    const v = new Violations();
    if (v.required('roleName', input.roleName)) v.string('roleName', input.roleName, ROLE_NAME);
    if (v.required('tags', input.tags)) v.tags(input.tags);
    throwIfInvalid(v);
    const tags = input.tags as Tag[];
    assertValidTagKeys(tags);
    const outcome = await this.deps.store.tagRole(input.roleName as string, tags, MAX_TAGS);
    if (outcome === 'not-found') throw NoSuchEntityError.role(input.roleName as string);
    if (outcome === 'limit') throw LimitExceededError.quota('TagsPerRole', MAX_TAGS);
  }

  async untagRole(input: { roleName: string | undefined; tagKeys: string[] | undefined }): Promise<void> {
    const v = new Violations();
    if (v.required('roleName', input.roleName)) v.string('roleName', input.roleName, ROLE_NAME);
    if (v.required('tagKeys', input.tagKeys)) v.tagKeys(input.tagKeys);
    throwIfInvalid(v);
    if ((await this.deps.store.untagRole(input.roleName as string, input.tagKeys as string[])) === 'not-found') {
      throw NoSuchEntityError.role(input.roleName as string);
    }
  }

  /** ListRoleTags: the role's tags in stored order; the marker is the count already returned. */
  async listRoleTags(input: Page & { roleName: string | undefined }): Promise<{ tags: Tag[]; isTruncated: boolean; marker?: string }> {
    const v = new Violations();
    if (v.required('roleName', input.roleName)) v.string('roleName', input.roleName, ROLE_NAME);
    v.string('marker', input.marker, MARKER);
    v.integer('maxItems', input.maxItems, MAX_ITEMS);
    throwIfInvalid(v);
    const role = await this.getRole(input.roleName);
    const from = input.marker === undefined ? 0 : Number(input.marker);
    if (!Number.isSafeInteger(from) || from < 0) throw new InvalidInputError('Invalid Marker.');
    const maxItems = input.maxItems ?? DEFAULT_MAX_ITEMS;
    const tags = role.tags.slice(from, from + maxItems);
    const isTruncated = from + maxItems < role.tags.length;
    return isTruncated ? { tags, isTruncated, marker: String(from + maxItems) } : { tags, isTruncated };
  }

  async putRolePolicy(input: PutRolePolicyInput): Promise<void> {
    const v = new Violations();
    if (v.required('roleName', input.roleName)) v.string('roleName', input.roleName, ROLE_NAME);
    if (v.required('policyName', input.policyName)) v.string('policyName', input.policyName, POLICY_NAME);
    if (v.required('policyDocument', input.policyDocument)) v.string('policyDocument', input.policyDocument, POLICY_DOCUMENT);
    throwIfInvalid(v);
    const roleName = input.roleName as string;
    const policy: RoleInlinePolicy = { policyName: input.policyName as string, policyDocument: input.policyDocument as string };
    const role = await this.deps.store.getRole(roleName);
    if (!role) throw NoSuchEntityError.role(roleName);
    const parsed = parsePolicyDocument(policy.policyDocument, 'identity');
    if (!parsed.ok) throw new MalformedPolicyDocumentError(parsed.message);
    const violation = policyWriteViolation(parsed.policy, 'identity');
    if (violation) throw new MalformedPolicyDocumentError(violation);
    // Aggregate inline-policy quota, counted without white space (IAM quotas). Not atomic with
    // the put: two concurrent puts may together overshoot, which IAM also tolerates briefly.
    const others = (await this.deps.store.listRolePolicies(roleName)).filter((p) => p.policyName !== policy.policyName);
    const total = others.reduce((n, p) => n + policySize(p.policyDocument), policySize(policy.policyDocument));
    if (total > ROLE_INLINE_POLICIES_MAX_SIZE) {
      throw new LimitExceededError(`Maximum policy size of ${ROLE_INLINE_POLICIES_MAX_SIZE} bytes exceeded for role ${role.roleName}`);
    }
    if ((await this.deps.store.putRolePolicy(roleName, policy)) === 'role-not-found') throw NoSuchEntityError.role(roleName);
  }

  async getRolePolicy(roleName: string | undefined, policyName: string | undefined): Promise<{ roleName: string } & RoleInlinePolicy> {
    const v = new Violations();
    if (v.required('roleName', roleName)) v.string('roleName', roleName, ROLE_NAME);
    if (v.required('policyName', policyName)) v.string('policyName', policyName, POLICY_NAME);
    throwIfInvalid(v);
    const role = await this.deps.store.getRole(roleName as string);
    if (!role) throw NoSuchEntityError.role(roleName as string);
    const policy = await this.deps.store.getRolePolicy(role.roleName, policyName as string);
    if (!policy) throw NoSuchEntityError.rolePolicy(policyName as string);
    return { roleName: role.roleName, ...policy };
  }

  async listRolePolicies(input: Page & { roleName: string | undefined }): Promise<ListRolePoliciesResult> {
    const v = new Violations();
    if (v.required('roleName', input.roleName)) v.string('roleName', input.roleName, ROLE_NAME);
    v.string('marker', input.marker, MARKER);
    v.integer('maxItems', input.maxItems, MAX_ITEMS);
    throwIfInvalid(v);
    const roleName = input.roleName as string;
    if (!(await this.deps.store.getRole(roleName))) throw NoSuchEntityError.role(roleName);
    const names = (await this.deps.store.listRolePolicies(roleName)).map((p) => p.policyName).sort(compareCodeUnits);
    const from = input.marker === undefined ? names : names.filter((n) => compareCodeUnits(n, input.marker as string) > 0);
    const maxItems = input.maxItems ?? DEFAULT_MAX_ITEMS;
    const policyNames = from.slice(0, maxItems);
    const isTruncated = from.length > maxItems;
    const result: ListRolePoliciesResult = { policyNames, isTruncated };
    if (isTruncated) result.marker = policyNames[policyNames.length - 1] as string;
    return result;
  }

  async deleteRolePolicy(roleName: string | undefined, policyName: string | undefined): Promise<void> {
    const v = new Violations();
    if (v.required('roleName', roleName)) v.string('roleName', roleName, ROLE_NAME);
    if (v.required('policyName', policyName)) v.string('policyName', policyName, POLICY_NAME);
    throwIfInvalid(v);
    if (!(await this.deps.store.getRole(roleName as string))) throw NoSuchEntityError.role(roleName as string);
    if ((await this.deps.store.deleteRolePolicy(roleName as string, policyName as string)) === 'not-found') {
      throw NoSuchEntityError.rolePolicy(policyName as string);
    }
  }

  /**
   * Resolves `arn:<partition>:iam::<account>:role<path><name>` (IAM ARN format, IAM User Guide
   * reference_identifiers.html). The ARN must be exactly the stored role's ARN, path included,
   * and belong to this deployment's partition and account; anything else is "not found".
   */
  async findRoleByArn(arn: string): Promise<Role | undefined> {
    const parts = arn.split(':');
    if (parts.length !== 6) return undefined;
    const [prefix, partition, service, region, account, resource] = parts as [string, string, string, string, string, string];
    const { config } = this.deps;
    if (prefix !== 'arn' || partition !== config.partition || service !== 'iam' || region !== '' || account !== config.accountId) {
      return undefined;
    }
    if (!resource.startsWith('role/')) return undefined;
    const name = resource.slice(resource.lastIndexOf('/') + 1);
    if (!ROLE_NAME.re.test(name) || name.length > ROLE_NAME.max) return undefined;
    const role = await this.deps.store.getRole(name);
    return role && role.arn === arn ? role : undefined;
  }
}

