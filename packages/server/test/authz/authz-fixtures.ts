// Shared setup for the authoriser tests: a role with policies, and principals for its sessions.
import type { Principal } from '../../src/core/auth/principal.js';
import type { Role } from '../../src/core/iam/role.js';
import { assumedRoleUser } from '../../src/core/sts/credential-minter.js';
import type { SessionClaims } from '../../src/core/sts/session-claims.js';
import { T0, TRUST_POLICY, config, newIamServices } from '../iam/fixtures.js';

export const ACCOUNT = config.accountId;
export const PROFILE_ARN = `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:profile/0ace5b12-24b9-427e-a483-c55884852fbf`;

export function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export function allow(action: string | string[], resource: string | string[] = '*', condition?: object): object {
  return { Effect: 'Allow', Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) };
}

export function deny(action: string | string[], resource: string | string[] = '*'): object {
  return { Effect: 'Deny', Action: action, Resource: resource };
}

export interface SessionOptions {
  sessionName?: string;
  tags?: Array<{ key: string; value: string }>;
  sourceIdentity?: string;
  sessionPolicy?: string;
  managedPolicyArns?: string[];
}

export function sessionPrincipal(role: Role, opts: SessionOptions = {}): Principal {
  const claims: SessionClaims = {
    accessKeyId: 'ASIAEXAMPLEEXAMPLE00',
    secretAccessKey: 'not-a-real-secret',
    accountId: ACCOUNT,
    roleArn: role.arn,
    roleId: role.roleId,
    roleName: role.roleName,
    sessionName: opts.sessionName ?? '01',
    tags: opts.tags ?? [],
    issuedAt: Math.floor(T0.getTime() / 1000),
    expiresAt: Math.floor(T0.getTime() / 1000) + 3600,
  };
  if (opts.sourceIdentity !== undefined) claims.sourceIdentity = opts.sourceIdentity;
  if (opts.sessionPolicy !== undefined) claims.sessionPolicy = opts.sessionPolicy;
  if (opts.managedPolicyArns !== undefined) claims.managedPolicyArns = opts.managedPolicyArns;
  const user = assumedRoleUser('aws', claims);
  return { kind: 'assumed-role', arn: user.arn, userId: user.assumedRoleId, accountId: ACCOUNT, accessKeyId: claims.accessKeyId, isAdmin: false, session: claims };
}

export const ADMIN: Principal = {
  kind: 'user',
  arn: `arn:aws:iam::${ACCOUNT}:user/mooring-admin`,
  userId: 'AIDAEXAMPLEEXAMPLE000',
  accountId: ACCOUNT,
  accessKeyId: 'AKIAEXAMPLEEXAMPLE00',
  isAdmin: true,
};

/** A role 'ops' with the given inline policies and (created + attached) managed policies. */
export async function roleWith(opts: { inline?: string[]; managed?: string[]; attachArns?: string[]; tags?: Array<{ key: string; value: string }> } = {}) {
  const iam = newIamServices();
  const role = await iam.service.createRole({ roleName: 'ops', assumeRolePolicyDocument: TRUST_POLICY, tags: opts.tags ?? [] });
  for (const [i, doc] of (opts.inline ?? []).entries()) {
    await iam.service.putRolePolicy({ roleName: 'ops', policyName: `inline-${i}`, policyDocument: doc });
  }
  for (const [i, doc] of (opts.managed ?? []).entries()) {
    const p = await iam.policyService.createPolicy({ policyName: `managed-${i}`, policyDocument: doc });
    await iam.policyService.attachRolePolicy('ops', p.arn);
  }
  for (const arn of opts.attachArns ?? []) await iam.policyService.attachRolePolicy('ops', arn);
  return { ...iam, role };
}
