import type { Role } from '../iam/role.js';
import type { ContextValue } from '../policy/index.js';
import type { Principal } from './principal.js';

/**
 * The global condition keys IAM derives from the caller and the clock (IAM User Guide,
 * reference_policies_condition-keys.html). Values the caller cannot influence: they come from
 * the authenticated principal, its sealed session claims and the stored role.
 *
 * - aws:PrincipalArn of a role session is the *role* ARN, not the assumed-role ARN.
 * - aws:PrincipalTag/* of a role session = role tags overlaid by session tags ("session tags
 *   override role tags with the same key"; keys compare case-insensitively).
 * - aws:username exists only for IAM users; aws:TokenIssueTime and aws:SourceIdentity only for
 *   temporary credentials (absent keys matter: negated operators match them).
 */
export function principalContext(principal: Principal, role: Role | undefined, now: Date): Record<string, ContextValue> {
  const ctx: Record<string, ContextValue> = {
    'aws:PrincipalAccount': principal.accountId,
    'aws:userid': principal.userId,
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:PrincipalIsAWSService': 'false',
  };
  const session = principal.session;
  if (principal.kind === 'assumed-role' && session) {
    ctx['aws:PrincipalArn'] = session.roleArn;
    ctx['aws:PrincipalType'] = 'AssumedRole';
    ctx['aws:TokenIssueTime'] = new Date(session.issuedAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (session.sourceIdentity !== undefined) ctx['aws:SourceIdentity'] = session.sourceIdentity;
    const tags = new Map<string, { key: string; value: string }>();
    for (const t of [...(role?.tags ?? []), ...session.tags]) tags.set(t.key.toLowerCase(), t);
    for (const t of tags.values()) ctx[`aws:PrincipalTag/${t.key}`] = t.value;
  } else {
    ctx['aws:PrincipalArn'] = principal.arn;
    ctx['aws:PrincipalType'] = 'User';
    const name = /:user\/(?:.*\/)?([^/]+)$/.exec(principal.arn)?.[1];
    if (name !== undefined) ctx['aws:username'] = name;
  }
  return ctx;
}

/**
 * Merges the transport's request context (aws:SourceIp, aws:RequestedRegion, aws:ResourceTag/*,
 * iam:PassedToService, …) under the principal's keys: a request key that names a
 * principal-derived key (in any case) or an aws:PrincipalTag/ is dropped, so nothing on the
 * request path can impersonate the caller's identity attributes.
 */
export function mergeContext(
  principalKeys: Record<string, ContextValue>,
  requestContext: Record<string, ContextValue> | undefined,
  defaults: Record<string, ContextValue>,
): Record<string, ContextValue> {
  const reserved = new Set(Object.keys(principalKeys).map((k) => k.toLowerCase()));
  const out: Record<string, ContextValue> = {};
  const present = new Set<string>();
  for (const [k, v] of Object.entries(requestContext ?? {})) {
    const lower = k.toLowerCase();
    if (reserved.has(lower) || lower.startsWith('aws:principaltag/')) continue;
    out[k] = v;
    present.add(lower);
  }
  for (const [k, v] of Object.entries(defaults)) if (!present.has(k.toLowerCase())) out[k] = v;
  return { ...out, ...principalKeys };
}
