import type { Authorizer } from '../core/auth/authorizer.js';
import { passRoleAllowed } from '../core/auth/pass-role.js';
import type { Principal } from '../core/auth/principal.js';
import { ServiceError } from '../core/errors/service-error.js';
import type { ContextValue } from '../core/policy/index.js';
import type { ServiceConfig } from '../core/ports/service-config.js';
import type { ProfileService } from '../core/roles-anywhere/profile-service.js';
import type { TagService } from '../core/roles-anywhere/tag-service.js';
import { resourceArn, type ResourceKind } from '../core/roles-anywhere/resource-ids.js';

const ID_MEMBERS: ReadonlyArray<[string, ResourceKind]> = [
  ['trustAnchorId', 'trust-anchor'],
  ['profileId', 'profile'],
  ['crlId', 'crl'],
  ['subjectId', 'subject'],
];

/**
 * The resource an operation acts on, as the Service Authorization Reference defines it:
 * the trust anchor, profile, CRL or subject ARN for item operations, the tagged resource for
 * the tagging API, and '*' for Create*, List* and ImportCrl (no resource exists yet).
 */
export function operationResource(config: ServiceConfig, input: Record<string, unknown>): string {
  if (typeof input.resourceArn === 'string') return input.resourceArn;
  for (const [member, kind] of ID_MEMBERS) {
    const v = input[member];
    if (typeof v === 'string' && v.length > 0) return resourceArn(config, kind, v);
  }
  return '*';
}

function requestTags(input: Record<string, unknown>): Array<{ key: string; value: string }> {
  const tags = input.tags;
  if (!Array.isArray(tags)) return [];
  return tags.filter((t): t is { key: string; value: string } => typeof t?.key === 'string' && typeof t?.value === 'string');
}

/**
 * Authorises one control-plane call with the caller's identity (and session) policies
 * (issue [control-plane] item 4). Creating with tags also needs rolesanywhere:TagResource, and
 * CreateProfile / UpdateProfile / EnableProfile need iam:PassRole on the profile's roles
 * (Service Authorization Reference; service-spec §3.2). Denials use IAM's message.
 *
 * Condition keys (SAR, service-spec Appendix C): `aws:SourceIp` always; `aws:ResourceTag/<key>`
 * from the tags of the resource an item operation (or Tag/UntagResource) names, so a Deny on a
 * resource tag protects it; `aws:RequestTag/<key>` and `aws:TagKeys` from the tags a create or
 * TagResource adds, and `aws:TagKeys` from the keys UntagResource removes.
 */
export async function authorizeOperation(
  deps: { authorizer: Authorizer; config: ServiceConfig; profiles: ProfileService; tags: Pick<TagService, 'resourceTags'> },
  principal: Principal,
  opName: string,
  input: Record<string, unknown>,
  sourceIp: string,
): Promise<void> {
  const resource = operationResource(deps.config, input);
  const tags = requestTags(input);
  const context: Record<string, ContextValue> = { 'aws:SourceIp': sourceIp };
  if (resource !== '*') {
    for (const t of (await deps.tags.resourceTags(resource)) ?? []) context[`aws:ResourceTag/${t.key}`] = t.value;
  }
  if (tags.length > 0) {
    context['aws:TagKeys'] = tags.map((t) => t.key);
    for (const t of tags) context[`aws:RequestTag/${t.key}`] = t.value;
  }
  if (opName === 'UntagResource' && Array.isArray(input.tagKeys)) {
    context['aws:TagKeys'] = input.tagKeys.filter((k): k is string => typeof k === 'string');
  }
  const check = async (action: string) => {
    const d = await deps.authorizer.authorize(principal, { action, resource, context });
    if (!d.ok) throw new ServiceError('AccessDeniedException', d.message, d.reason);
  };
  await check(`rolesanywhere:${opName}`);
  if (tags.length > 0 && (opName === 'CreateTrustAnchor' || opName === 'CreateProfile' || opName === 'ImportCrl')) await check('rolesanywhere:TagResource');

  let passed: string[] | undefined;
  if (opName === 'CreateProfile' || opName === 'UpdateProfile') passed = Array.isArray(input.roleArns) ? (input.roleArns as string[]) : undefined;
  if (opName === 'EnableProfile' && typeof input.profileId === 'string') {
    passed = await deps.profiles.get(input.profileId).then((p) => p.roleArns, () => undefined);
  }
  if (passed && passed.length > 0) {
    const r = await passRoleAllowed(deps.authorizer, principal, passed.filter((a) => typeof a === 'string'));
    if (!r.ok) throw new ServiceError('AccessDeniedException', r.message, 'pass-role-denied');
  }
}
