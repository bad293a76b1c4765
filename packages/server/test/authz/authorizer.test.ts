import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passRoleAllowed } from '../../src/core/auth/pass-role.js';
import type { Principal } from '../../src/core/auth/principal.js';
import { TRUST_POLICY } from '../iam/fixtures.js';
import { ADMIN, PROFILE_ARN, allow, deny, policy, roleWith, sessionPrincipal, type SessionOptions } from './authz-fixtures.js';

const TA_ARN = PROFILE_ARN.replace(':profile/', ':trust-anchor/');
const ADMIN_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

interface Case {
  name: string;
  inline?: string[];
  managed?: string[];
  attachArns?: string[];
  roleTags?: Array<{ key: string; value: string }>;
  session?: SessionOptions;
  admin?: boolean;
  action: string;
  resource?: string;
  context?: Record<string, string | string[]>;
  expect: 'allow' | 'explicit-deny' | 'implicit-deny' | 'session-policy';
  /** For an explicit deny: the policy type IAM's message names (default identity-based). */
  deniedBy?: 'session';
}

const LIST_ONLY = policy(allow('rolesanywhere:List*'));
const EVERYTHING_RA = policy(allow('rolesanywhere:*'));

const CASES: Case[] = [
  { name: 'ok/admin may do anything', admin: true, action: 'rolesanywhere:DeleteTrustAnchor', resource: TA_ARN, expect: 'allow' },
  { name: 'fail/no policies at all', action: 'rolesanywhere:ListProfiles', expect: 'implicit-deny' },
  { name: 'ok/inline policy allows', inline: [LIST_ONLY], action: 'rolesanywhere:ListProfiles', expect: 'allow' },
  { name: 'fail/inline List* does not allow Create', inline: [LIST_ONLY], action: 'rolesanywhere:CreateProfile', expect: 'implicit-deny' },
  { name: 'ok/wildcard List* covers every List action', inline: [LIST_ONLY], action: 'rolesanywhere:ListTrustAnchors', expect: 'allow' },
  { name: 'ok/action names match case-insensitively', inline: [LIST_ONLY], action: 'RolesAnywhere:listsubjects', expect: 'allow' },
  { name: 'fail/List* does not cover Get', inline: [LIST_ONLY], action: 'rolesanywhere:GetProfile', resource: PROFILE_ARN, expect: 'implicit-deny' },
  { name: 'ok/attached managed policy allows', managed: [policy(allow('iam:Get*'))], action: 'iam:GetRole', resource: 'arn:aws:iam::123456789012:role/ops', expect: 'allow' },
  { name: 'ok/attached AWS managed AdministratorAccess allows', attachArns: [ADMIN_ARN], action: 'rolesanywhere:CreateProfile', expect: 'allow' },
  { name: 'fail/resource-scoped allow does not cover another resource', inline: [policy(allow('rolesanywhere:GetProfile', PROFILE_ARN))], action: 'rolesanywhere:GetProfile', resource: PROFILE_ARN.replace(/.$/, '0'), expect: 'implicit-deny' },
  { name: 'ok/session policy inside identity allows', inline: [EVERYTHING_RA], session: { sessionPolicy: LIST_ONLY }, action: 'rolesanywhere:ListProfiles', expect: 'allow' },
  { name: 'fail/session policy intersection removes Create', inline: [EVERYTHING_RA], session: { sessionPolicy: LIST_ONLY }, action: 'rolesanywhere:CreateProfile', expect: 'session-policy' },
  { name: 'fail/session policy cannot grant beyond the role', inline: [LIST_ONLY], session: { sessionPolicy: EVERYTHING_RA }, action: 'rolesanywhere:CreateProfile', expect: 'implicit-deny' },
  { name: 'ok/session managed policy ARN (AdministratorAccess) keeps role permissions', inline: [LIST_ONLY], session: { managedPolicyArns: [ADMIN_ARN] }, action: 'rolesanywhere:ListProfiles', expect: 'allow' },
  { name: 'fail/unknown session managed ARN grants nothing', inline: [EVERYTHING_RA], session: { managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }, action: 'rolesanywhere:ListProfiles', expect: 'session-policy' },
  { name: 'fail/explicit deny in a managed policy beats an inline allow', inline: [policy(allow('*'))], managed: [policy(deny('rolesanywhere:Delete*'))], action: 'rolesanywhere:DeleteProfile', resource: PROFILE_ARN, expect: 'explicit-deny' },
  {
    name: 'ok/every request carries aws:SecureTransport true, aws:ViaAWSService false and the resource\'s aws:ResourceAccount',
    inline: [policy(allow('rolesanywhere:*', '*', { Bool: { 'aws:SecureTransport': 'true', 'aws:ViaAWSService': 'false' }, StringEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } }))],
    action: 'rolesanywhere:DeleteProfile',
    resource: PROFILE_ARN,
    expect: 'allow',
  },
  {
    name: 'fail/aws:ResourceAccount is the resource\'s account, not the caller\'s',
    inline: [policy(allow('rolesanywhere:*', '*', { StringEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } }))],
    action: 'rolesanywhere:DeleteProfile',
    resource: PROFILE_ARN.replace(/:\d{12}:/, ':999988887777:'),
    expect: 'implicit-deny',
  },
  { name: 'fail/explicit deny in the session policy', inline: [EVERYTHING_RA], session: { sessionPolicy: policy(allow('*'), deny('rolesanywhere:ListSubjects')) }, action: 'rolesanywhere:ListSubjects', expect: 'explicit-deny', deniedBy: 'session' },
  {
    name: 'ok/ABAC on aws:PrincipalTag/x509Subject/CN',
    inline: [policy(allow('rolesanywhere:*', '*', { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'admin-box' } }))],
    session: { tags: [{ key: 'x509Subject/CN', value: 'admin-box' }] },
    action: 'rolesanywhere:CreateTrustAnchor',
    expect: 'allow',
  },
  {
    name: 'fail/ABAC with another CN',
    inline: [policy(allow('rolesanywhere:*', '*', { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'admin-box' } }))],
    session: { tags: [{ key: 'x509Subject/CN', value: 'web-01' }] },
    action: 'rolesanywhere:CreateTrustAnchor',
    expect: 'implicit-deny',
  },
  {
    name: 'fail/request context cannot forge a principal tag',
    inline: [policy(allow('rolesanywhere:*', '*', { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'admin-box' } }))],
    session: { tags: [{ key: 'x509Subject/CN', value: 'web-01' }] },
    context: { 'aws:principaltag/x509Subject/CN': 'admin-box', 'AWS:PrincipalArn': 'arn:aws:iam::123456789012:role/admin' },
    action: 'rolesanywhere:CreateTrustAnchor',
    expect: 'implicit-deny',
  },
  {
    name: 'ok/role tags are principal tags; session tags override them',
    inline: [policy(allow('rolesanywhere:*', '*', { StringEquals: { 'aws:PrincipalTag/team': 'platform', 'aws:PrincipalTag/env': 'prod' } }))],
    roleTags: [{ key: 'team', value: 'platform' }, { key: 'env', value: 'dev' }],
    session: { tags: [{ key: 'ENV', value: 'prod' }] },
    action: 'rolesanywhere:ListProfiles',
    expect: 'allow',
  },
  {
    name: 'ok/policy variable ${aws:PrincipalTag/...} in Resource',
    inline: [policy(allow('rolesanywhere:GetProfile', 'arn:aws:rolesanywhere:*:*:profile/${aws:PrincipalTag/profile}'))],
    session: { tags: [{ key: 'profile', value: '0ace5b12-24b9-427e-a483-c55884852fbf' }] },
    action: 'rolesanywhere:GetProfile',
    resource: PROFILE_ARN,
    expect: 'allow',
  },
  {
    name: 'ok/aws:SourceIdentity, aws:PrincipalArn (the role ARN), aws:userid, aws:PrincipalAccount',
    inline: [
      policy(
        allow('rolesanywhere:List*', '*', {
          StringEquals: { 'aws:SourceIdentity': 'CN=box', 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/ops', 'aws:PrincipalAccount': '123456789012', 'aws:PrincipalType': 'AssumedRole' },
          StringLike: { 'aws:userid': 'AROA*:01' },
          Null: { 'aws:username': 'true' },
        }),
      ),
    ],
    session: { sourceIdentity: 'CN=box' },
    action: 'rolesanywhere:ListProfiles',
    expect: 'allow',
  },
  {
    name: 'ok/aws:SourceIp and aws:RequestedRegion pass through from the request context',
    inline: [policy(allow('rolesanywhere:List*', '*', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }))],
    context: { 'aws:SourceIp': '10.1.2.3', 'aws:RequestedRegion': 'eu-west-1' },
    action: 'rolesanywhere:ListProfiles',
    expect: 'allow',
  },
  {
    name: 'fail/aws:SourceIp outside the allowed block',
    inline: [policy(allow('rolesanywhere:List*', '*', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }))],
    context: { 'aws:SourceIp': '192.0.2.1' },
    action: 'rolesanywhere:ListProfiles',
    expect: 'implicit-deny',
  },
  {
    name: 'ok/aws:RequestedRegion defaults to the deployment region',
    inline: [policy(allow('rolesanywhere:List*', '*', { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }))],
    action: 'rolesanywhere:ListProfiles',
    expect: 'allow',
  },
  {
    name: 'ok/aws:CurrentTime, aws:EpochTime and aws:TokenIssueTime come from the injected clock and the claims',
    inline: [
      policy(
        allow('rolesanywhere:List*', '*', {
          DateGreaterThan: { 'aws:CurrentTime': '2025-03-01T11:00:00Z', 'aws:TokenIssueTime': '2025-03-01T11:59:00Z' },
          DateLessThan: { 'aws:CurrentTime': '2025-03-01T13:00:00Z' },
          NumericEquals: { 'aws:EpochTime': String(Date.parse('2025-03-01T12:00:00Z') / 1000) },
        }),
      ),
    ],
    action: 'rolesanywhere:ListProfiles',
    expect: 'allow',
  },
];

for (const c of CASES) {
  test(`${c.name} (authorizer)`, async () => {
    const iam = await roleWith({ inline: c.inline ?? [], managed: c.managed ?? [], attachArns: c.attachArns ?? [], tags: c.roleTags ?? [] });
    const principal: Principal = c.admin ? ADMIN : sessionPrincipal(iam.role, c.session);
    const resource = c.resource ?? '*';
    const r = await iam.authorizer.authorize(principal, { action: c.action, resource, ...(c.context ? { context: c.context } : {}) });
    if (c.expect === 'allow') {
      assert.deepEqual(r, { ok: true });
    } else {
      assert.equal(r.ok, false);
      assert.ok(!r.ok);
      assert.equal(r.reason, c.expect);
      const base = `User: ${principal.arn} is not authorized to perform: ${c.action} on resource: ${resource}`;
      if (c.expect === 'explicit-deny') assert.equal(r.message, `${base} with an explicit deny in ${c.deniedBy === 'session' ? 'a session policy' : 'an identity-based policy'}`);
      else assert.equal(r.message, `${base} because no ${c.expect === 'session-policy' ? 'session policy' : 'identity-based policy'} allows the ${c.action} action`);
    }
  });
}

test('fail/authorizer: the exact AWS denial message for an assumed-role session', async () => {
  const iam = await roleWith({ inline: [LIST_ONLY] });
  const r = await iam.authorizer.authorize(sessionPrincipal(iam.role, { sessionName: 'web-01' }), { action: 'rolesanywhere:CreateProfile', resource: '*' });
  assert.deepEqual(r, {
    ok: false,
    reason: 'implicit-deny',
    message: 'User: arn:aws:sts::123456789012:assumed-role/ops/web-01 is not authorized to perform: rolesanywhere:CreateProfile on resource: * because no identity-based policy allows the rolesanywhere:CreateProfile action',
  });
});

test('fail/authorizer: a session outlives neither its role nor a same-named replacement', async () => {
  const iam = await roleWith({ inline: [LIST_ONLY] });
  const principal = sessionPrincipal(iam.role);
  assert.deepEqual(await iam.authorizer.authorize(principal, { action: 'rolesanywhere:ListProfiles', resource: '*' }), { ok: true });
  await iam.service.deleteRolePolicy('ops', 'inline-0');
  await iam.service.deleteRole('ops');
  await iam.service.createRole({ roleName: 'ops', assumeRolePolicyDocument: TRUST_POLICY });
  await iam.service.putRolePolicy({ roleName: 'ops', policyName: 'all', policyDocument: policy(allow('*')) });
  const r = await iam.authorizer.authorize(principal, { action: 'rolesanywhere:ListProfiles', resource: '*' });
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.reason === 'role-gone');
});

test('ok/authorizer: policy changes take effect for live sessions (no caching)', async () => {
  const iam = await roleWith();
  const principal = sessionPrincipal(iam.role);
  const req = { action: 'iam:GetRole', resource: iam.role.arn };
  assert.equal((await iam.authorizer.authorize(principal, req)).ok, false);
  const p = await iam.policyService.createPolicy({ policyName: 'get', policyDocument: policy(allow('iam:Get*')) });
  await iam.policyService.attachRolePolicy('ops', p.arn);
  assert.equal((await iam.authorizer.authorize(principal, req)).ok, true);
  await iam.policyService.detachRolePolicy('ops', p.arn);
  assert.equal((await iam.authorizer.authorize(principal, req)).ok, false);
});

test('fail/authorizer: a non-admin long-term user has no identity policies', async () => {
  const iam = await roleWith();
  const user: Principal = { ...ADMIN, isAdmin: false, arn: 'arn:aws:iam::123456789012:user/other' };
  const r = await iam.authorizer.authorize(user, { action: 'iam:GetRole', resource: '*' });
  assert.ok(!r.ok && r.reason === 'implicit-deny');
});

test('ok/passRoleAllowed: iam:PassRole with iam:PassedToService = rolesanywhere.amazonaws.com', async () => {
  const passable = 'arn:aws:iam::123456789012:role/app/*';
  const iam = await roleWith({
    inline: [policy(allow('iam:PassRole', passable, { StringEquals: { 'iam:PassedToService': 'rolesanywhere.amazonaws.com' } }))],
  });
  const principal = sessionPrincipal(iam.role, { sessionName: 's' });
  const ok = ['arn:aws:iam::123456789012:role/app/a', 'arn:aws:iam::123456789012:role/app/b'];
  assert.deepEqual(await passRoleAllowed(iam.authorizer, principal, ok), { ok: true });
  assert.deepEqual(await passRoleAllowed(iam.authorizer, principal, []), { ok: true });
  assert.deepEqual(await passRoleAllowed(iam.authorizer, ADMIN, ['arn:aws:iam::123456789012:role/anything']), { ok: true });
  assert.deepEqual(await passRoleAllowed(iam.authorizer, principal, [...ok, 'arn:aws:iam::123456789012:role/db']), {
    ok: false,
    message: 'User: arn:aws:sts::123456789012:assumed-role/ops/s is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/db because no identity-based policy allows the iam:PassRole action',
  });
});

test('fail/passRoleAllowed: a PassRole grant for another service does not count', async () => {
  const iam = await roleWith({
    inline: [policy(allow('iam:PassRole', '*', { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } }))],
  });
  const r = await passRoleAllowed(iam.authorizer, sessionPrincipal(iam.role), ['arn:aws:iam::123456789012:role/x']);
  assert.equal(r.ok, false);
});
