import { findManagedPolicy } from '../iam/managed-policy-lookup.js';
import type { ManagedPolicyStore } from '../iam/managed-policy-store.js';
import type { Role } from '../iam/role.js';
import type { RoleStore } from '../iam/role-store.js';
import { createContextLookup, evaluatePolicies, parsePolicyDocument, type ContextValue, type Decision, type PolicyDocument } from '../policy/index.js';
import type { Clock } from '../ports/clock.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { SessionClaims } from '../sts/session-claims.js';
import type { Principal } from './principal.js';
import { mergeContext, principalContext } from './principal-context.js';

export interface AuthorizerDeps {
  roles: RoleStore;
  policies: ManagedPolicyStore;
  config: ServiceConfig;
  /** aws:CurrentTime / aws:EpochTime come from here (core code never reads the system clock). */
  clock: Clock;
}

export interface AuthorizationRequest {
  /** 'rolesanywhere:CreateProfile', 'iam:GetRole', … */
  action: string;
  /** The target's ARN, or '*' for unscoped actions. */
  resource: string;
  /** Request condition keys from the transport: aws:SourceIp, aws:RequestedRegion, aws:ResourceTag/*, … */
  context?: Record<string, ContextValue>;
}

/** Why a request was refused — for the audit log; the wire only gets `message`. */
export type DenialReason =
  | 'explicit-deny' // a Deny in an identity or session policy matched
  | 'implicit-deny' // no identity policy allows it
  | 'session-policy' // the identity policies allow it, the session policies do not
  | 'role-gone' // the session's role was deleted (or replaced by a same-named role)
  | 'unparsable-policy'; // a stored identity policy no longer parses: fail closed

export type AuthorizationResult = { ok: true } | { ok: false; message: string; reason: DenialReason };

/** Which policy type decided a denial, for IAM's explanation (see notAuthorizedMessage). */
export type DenyingPolicy = 'identity' | 'session';

/**
 * IAM's denial text, as AWS prints it, with the explanation IAM appends since 2021 (IAM User
 * Guide, "Troubleshoot access denied error messages"): "… because no identity-based policy
 * allows the <action> action", "… with an explicit deny in an identity-based policy", and the
 * same for session policies. Without `reason`, the bare sentence.
 */
export function notAuthorizedMessage(principalArn: string, action: string, resource: string, reason?: DenialReason, by: DenyingPolicy = 'identity'): string {
  const base = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}`;
  if (reason === undefined) return base;
  if (reason === 'explicit-deny') return `${base} with an explicit deny in ${by === 'session' ? 'a session policy' : 'an identity-based policy'}`;
  return `${base} because no ${reason === 'session-policy' ? 'session policy' : 'identity-based policy'} allows the ${action} action`;
}

/**
 * Decides whether an authenticated caller may perform an action on a resource, following the
 * single-account IAM evaluation logic (IAM User Guide, reference_policies_evaluation-logic.html):
 * 1. an explicit Deny in any applicable policy (identity or session) denies;
 * 2. otherwise the identity-based policies (the role's inline policies ∪ its attached managed
 *    policies) must allow;
 * 3. and, when the session carries session policies (its profile's `sessionPolicy` and/or
 *    `managedPolicyArns`, service-spec §3.2/§13.8), they must allow too — the effective
 *    permissions are the intersection ("Session policies", IAM User Guide access_policies.html).
 * No resource-based policies or permissions boundaries exist in Mooring (CreateRole refuses
 * PermissionsBoundary), so those steps are vacuous. The bootstrap admin may do everything.
 */
export class Authorizer {
  constructor(private readonly deps: AuthorizerDeps) {}

  async authorize(principal: Principal, request: AuthorizationRequest): Promise<AuthorizationResult> {
    if (principal.isAdmin) return { ok: true };
    const deny = (reason: DenialReason, by: DenyingPolicy = 'identity'): AuthorizationResult => ({
      ok: false,
      reason,
      message: notAuthorizedMessage(principal.arn, request.action, request.resource, reason, by),
    });
    const session = principal.kind === 'assumed-role' ? principal.session : undefined;
    // Long-term keys other than the bootstrap admin's do not exist, so a non-admin user has
    // no identity policies at all.
    if (!session) return deny('implicit-deny');

    const role = await this.deps.roles.getRole(session.roleName);
    // A role deleted and re-created under the same name is a different role (new AROA id);
    // the old sessions must not inherit its permissions.
    if (!role || role.roleId !== session.roleId) return deny('role-gone');

    const identity = await this.identityPolicies(role);
    if (!identity) return deny('unparsable-policy');
    const sessionPolicies = await this.sessionPolicies(session);

    const now = this.deps.clock.now();
    const context = mergeContext(principalContext(principal, role, now), request.context, requestDefaults(this.deps.config.region, request.resource));
    const evalRequest = { action: request.action, resource: request.resource, context };
    const lookup = createContextLookup(context);
    const identityDecision = evaluatePolicies(identity, evalRequest, lookup).decision;
    const sessionDecision: Decision | undefined = sessionPolicies && evaluatePolicies(sessionPolicies, evalRequest, lookup).decision;

    if (identityDecision === 'explicit-deny') return deny('explicit-deny');
    if (sessionDecision === 'explicit-deny') return deny('explicit-deny', 'session');
    if (identityDecision !== 'allow') return deny('implicit-deny');
    if (sessionDecision !== undefined && sessionDecision !== 'allow') return deny('session-policy');
    return { ok: true };
  }

  /** Inline ∪ attached managed policies; undefined when a stored document fails to parse. */
  private async identityPolicies(role: Role): Promise<PolicyDocument[] | undefined> {
    const texts = (await this.deps.roles.listRolePolicies(role.roleName)).map((p) => p.policyDocument);
    for (const a of (await this.deps.policies.listAttachedRolePolicies(role.roleName)) ?? []) {
      const policy = await findManagedPolicy(this.deps.policies, this.deps.config, a.policyArn);
      if (policy) texts.push(policy.document);
    }
    const out: PolicyDocument[] = [];
    for (const text of texts) {
      const parsed = parsePolicyDocument(text, 'identity');
      if (!parsed.ok) return undefined;
      out.push(parsed.policy);
    }
    return out;
  }

  /**
   * undefined when the session has no session policies (then they do not restrict). A session
   * policy that no longer resolves or parses contributes nothing, which can only narrow the
   * intersection: fail closed.
   */
  private async sessionPolicies(session: SessionClaims): Promise<PolicyDocument[] | undefined> {
    const arns = session.managedPolicyArns ?? [];
    if (session.sessionPolicy === undefined && arns.length === 0) return undefined;
    const texts: string[] = session.sessionPolicy === undefined ? [] : [session.sessionPolicy];
    for (const arn of arns) {
      const policy = await findManagedPolicy(this.deps.policies, this.deps.config, arn);
      if (policy) texts.push(policy.document);
    }
    const out: PolicyDocument[] = [];
    for (const text of texts) {
      const parsed = parsePolicyDocument(text, 'identity');
      if (parsed.ok) out.push(parsed.policy);
    }
    return out;
  }
}

/**
 * Global condition keys every request to this server carries (IAM User Guide, "AWS global
 * condition context keys"): the region, aws:SecureTransport (every API listener is HTTPS),
 * aws:ViaAWSService (no AWS service calls on a principal's behalf here) and, for a resource
 * ARN that names one, aws:ResourceAccount. The transport may set any of them more precisely.
 */
function requestDefaults(region: string, resource: string): Record<string, ContextValue> {
  const account = resource.startsWith('arn:') ? resource.split(':')[4] : undefined;
  return {
    'aws:RequestedRegion': region,
    'aws:SecureTransport': 'true',
    'aws:ViaAWSService': 'false',
    ...(account ? { 'aws:ResourceAccount': account } : {}),
  };
}
