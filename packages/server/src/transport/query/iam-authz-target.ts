import type { Role, Tag } from '../../core/iam/role.js';
import type { ContextValue } from '../../core/policy/index.js';
import type { ServiceConfig } from '../../core/ports/service-config.js';
import type { IamServices } from './iam-services.js';
import { stringList, tags, type Params } from './query-params.js';

export interface AuthorizationTarget {
  /** What the action acts on, for the policy's Resource element and AWS's denial message. */
  resource: string;
  /** Action-specific condition keys (IAM Service Authorization Reference, "Actions defined by IAM"). */
  context: Record<string, ContextValue>;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const PATH = /^(?:\/|\/[\x21-\x7E]+\/)$/;

/** Actions whose resource is the role named by RoleName (SAR resource type `role*`). */
const ROLE_SCOPED = new Set([
  'GetRole', 'UpdateRole', 'UpdateAssumeRolePolicy', 'DeleteRole', 'PutRolePolicy', 'GetRolePolicy',
  'ListRolePolicies', 'DeleteRolePolicy', 'AttachRolePolicy', 'DetachRolePolicy', 'ListAttachedRolePolicies',
  'TagRole', 'UntagRole', 'ListRoleTags',
]);
/** Actions whose resource is the policy named by PolicyArn (SAR resource type `policy*`). */
const POLICY_SCOPED = new Set(['GetPolicy', 'DeletePolicy', 'GetPolicyVersion', 'ListPolicyVersions', 'CreatePolicyVersion', 'SetDefaultPolicyVersion', 'DeletePolicyVersion']);

/**
 * The resource ARN and condition keys of an IAM Query request, computed before the action runs.
 * Role resources carry the stored role's path (its real ARN) when the role exists; for a role
 * that does not exist the name alone is used, as the path is unknown. Names that fail their
 * pattern are left out so the denial message never echoes arbitrary input.
 */
export async function iamAuthorizationTarget(
  action: string,
  params: Params,
  services: IamServices,
  config: ServiceConfig,
): Promise<AuthorizationTarget> {
  const base = `arn:${config.partition}:iam::${config.accountId}`;
  const context: Record<string, ContextValue> = {};

  if (action === 'CreateRole') {
    const name = safe(params.get('RoleName'), ROLE_NAME);
    const path = safe(params.get('Path'), PATH) ?? '/';
    addRequestTags(context, tags(params));
    return { resource: `${base}:role${path}${name ?? ''}`, context };
  }
  if (action === 'ListRoles') return { resource: `${base}:role/`, context };
  if (ROLE_SCOPED.has(action)) {
    const name = safe(params.get('RoleName'), ROLE_NAME);
    const role = name === undefined ? undefined : await existingRole(services, name);
    // IAM offers a role's tags under both keys (Service Authorization Reference, IAM: iam:ResourceTag/${TagKey}).
    if (role) for (const t of role.tags) context[`aws:ResourceTag/${t.key}`] = context[`iam:ResourceTag/${t.key}`] = t.value;
    if (action === 'AttachRolePolicy' || action === 'DetachRolePolicy') {
      const arn = params.get('PolicyArn');
      if (arn !== undefined) context['iam:PolicyARN'] = arn;
    }
    if (action === 'TagRole') addRequestTags(context, tags(params));
    if (action === 'UntagRole') {
      const keys = stringList(params, 'TagKeys');
      if (keys) context['aws:TagKeys'] = keys;
    }
    return { resource: role?.arn ?? `${base}:role/${name ?? ''}`, context };
  }
  if (action === 'CreatePolicy') {
    const name = safe(params.get('PolicyName'), POLICY_NAME);
    const path = safe(params.get('Path'), PATH) ?? '/';
    addRequestTags(context, tags(params));
    return { resource: `${base}:policy${path}${name ?? ''}`, context };
  }
  if (action === 'ListPolicies') return { resource: `${base}:policy/`, context };
  if (POLICY_SCOPED.has(action)) {
    const arn = params.get('PolicyArn');
    const ok = arn !== undefined && arn.length <= 2048 && /^arn:[^:\s]+:iam::[^:\s]+:policy\/\S*$/.test(arn);
    return { resource: ok ? arn : `${base}:policy/`, context };
  }
  return { resource: '*', context };
}

function safe(value: string | undefined, re: RegExp): string | undefined {
  return value !== undefined && re.test(value) ? value : undefined;
}

async function existingRole(services: IamServices, name: string): Promise<Role | undefined> {
  try {
    return await services.roles.getRole(name);
  } catch {
    return undefined; // NoSuchEntity: the action itself will report it once authorised
  }
}

/** aws:RequestTag/<key> and aws:TagKeys for actions that attach tags (IAM SAR condition keys). */
function addRequestTags(context: Record<string, ContextValue>, list: Tag[] | undefined): void {
  if (!list || list.length === 0) return;
  for (const t of list) if (typeof t.key === 'string' && typeof t.value === 'string') context[`aws:RequestTag/${t.key}`] = t.value;
  context['aws:TagKeys'] = list.map((t) => t.key).filter((k): k is string => typeof k === 'string');
}
