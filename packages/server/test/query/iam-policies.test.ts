// Managed policies, role tags and policy-based authorisation through the Query handler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signHmacRequest } from '@mooring/protocol';
import type { RawHttpRequest } from '@mooring/protocol';
import { mintSessionCredentials } from '../../src/core/sts/credential-minter.js';
import { handleQueryRequest } from '../../src/transport/query/handle-query.js';
import { S3_READ_POLICY, T0, TRUST_POLICY, config } from '../iam/fixtures.js';
import { queryFixture } from './harness.js';

type Fx = Awaited<ReturnType<typeof queryFixture>>;
type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

async function call(fx: Fx, service: 'iam' | 'sts', params: Record<string, string>, creds: Creds = fx.admin, sourceIp = '127.0.0.1') {
  const req: RawHttpRequest = {
    method: 'POST',
    path: '/',
    query: '',
    headers: { host: 'mooring.test', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Version: service === 'iam' ? '2010-05-08' : '2011-06-15', ...params }).toString(),
  };
  const signed = signHmacRequest(req, creds, { region: 'us-east-1', service, date: T0 });
  return handleQueryRequest({ ...signed, sourceIp }, fx.deps);
}

function tag(xml: string, name: string): string | undefined {
  const raw = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  return raw?.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function doc(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

async function session(fx: Fx, roleName: string, extra: { sessionPolicy?: string; managedPolicyArns?: string[]; tags?: Array<{ key: string; value: string }> } = {}) {
  const role = await fx.roles.getRole(roleName);
  return mintSessionCredentials(
    { role, sessionName: 'web-01', tags: extra.tags ?? [], durationSeconds: 3600, now: T0, ...extra },
    { codec: fx.codec, random: fx.random, config },
  );
}

test('ok/query-authz: a session with rolesanywhere:List* + iam:Get* may GetRole but not CreateRole', async () => {
  const fx = await queryFixture();
  await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'reader', AssumeRolePolicyDocument: TRUST_POLICY });
  await call(fx, 'iam', { Action: 'PutRolePolicy', RoleName: 'reader', PolicyName: 'ra', PolicyDocument: doc({ Effect: 'Allow', Action: 'rolesanywhere:List*', Resource: '*' }) });
  const created = await call(fx, 'iam', { Action: 'CreatePolicy', PolicyName: 'iam-get', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }) });
  assert.equal(created.status, 200, created.body);
  const attach = await call(fx, 'iam', { Action: 'AttachRolePolicy', RoleName: 'reader', PolicyArn: 'arn:aws:iam::123456789012:policy/iam-get' });
  assert.equal(attach.status, 200, attach.body);

  const s = await session(fx, 'reader');
  const got = await call(fx, 'iam', { Action: 'GetRole', RoleName: 'reader' }, s);
  assert.equal(got.status, 200, got.body);
  assert.equal(tag(got.body, 'RoleName'), 'reader');

  const denied = await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'evil', AssumeRolePolicyDocument: TRUST_POLICY }, s);
  assert.equal(denied.status, 403);
  assert.equal(tag(denied.body, 'Code'), 'AccessDenied');
  assert.equal(
    tag(denied.body, 'Message'),
    'User: arn:aws:sts::123456789012:assumed-role/reader/web-01 is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/evil because no identity-based policy allows the iam:CreateRole action',
  );
  // Nothing was created.
  assert.equal((await call(fx, 'iam', { Action: 'GetRole', RoleName: 'evil' })).status, 404);
  // iam:Get* does not cover iam:ListRoles.
  const list = await call(fx, 'iam', { Action: 'ListRoles' }, s);
  assert.equal(tag(list.body, 'Message'), 'User: arn:aws:sts::123456789012:assumed-role/reader/web-01 is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::123456789012:role/ because no identity-based policy allows the iam:ListRoles action');
});

test('ok/query-authz: the resource in a denial is the stored role ARN, path included', async () => {
  const fx = await queryFixture();
  await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'deep', Path: '/a/b/', AssumeRolePolicyDocument: TRUST_POLICY });
  const s = await session(fx, 'deep');
  const r = await call(fx, 'iam', { Action: 'DeleteRole', RoleName: 'deep' }, s);
  assert.match(tag(r.body, 'Message') as string, /iam:DeleteRole on resource: arn:aws:iam::123456789012:role\/a\/b\/deep because /);
  const p = await call(fx, 'iam', { Action: 'GetPolicy', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, s);
  assert.match(tag(p.body, 'Message') as string, /iam:GetPolicy on resource: arn:aws:iam::aws:policy\/AdministratorAccess because /);
});

test('ok/query-authz: session policies narrow, ResourceTag and SourceIp conditions apply, GetCallerIdentity is never denied', async () => {
  const fx = await queryFixture();
  await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'ops', AssumeRolePolicyDocument: TRUST_POLICY, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'ops' });
  await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'other', AssumeRolePolicyDocument: TRUST_POLICY });
  await call(fx, 'iam', {
    Action: 'PutRolePolicy',
    RoleName: 'ops',
    PolicyName: 'p',
    PolicyDocument: doc(
      { Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'ops' }, IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } },
      { Effect: 'Deny', Action: 'sts:*', Resource: '*' },
    ),
  });
  const s = await session(fx, 'ops');
  assert.equal((await call(fx, 'iam', { Action: 'ListRoleTags', RoleName: 'ops' }, s)).status, 200);
  assert.equal((await call(fx, 'iam', { Action: 'ListRoleTags', RoleName: 'other' }, s)).status, 403); // untagged role
  assert.equal((await call(fx, 'iam', { Action: 'ListRoleTags', RoleName: 'ops' }, s, '192.0.2.7')).status, 403); // wrong network
  assert.equal((await call(fx, 'sts', { Action: 'GetCallerIdentity' }, s)).status, 200); // "No permissions are required"

  const narrowed = await session(fx, 'ops', { sessionPolicy: doc({ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' }) });
  assert.equal((await call(fx, 'iam', { Action: 'GetRole', RoleName: 'ops' }, narrowed)).status, 200);
  const r = await call(fx, 'iam', { Action: 'ListRoleTags', RoleName: 'ops' }, narrowed);
  assert.equal(r.status, 403);
  assert.equal(tag(r.body, 'Message'), 'User: arn:aws:sts::123456789012:assumed-role/ops/web-01 is not authorized to perform: iam:ListRoleTags on resource: arn:aws:iam::123456789012:role/ops because no session policy allows the iam:ListRoleTags action');
});

test('ok/query-authz: a role\'s tags are iam:ResourceTag/<key> as well as aws:ResourceTag/<key>', async () => {
  const fx = await queryFixture();
  await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'fin', AssumeRolePolicyDocument: TRUST_POLICY, 'Tags.member.1.Key': 'dept', 'Tags.member.1.Value': 'finance' });
  await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'eng', AssumeRolePolicyDocument: TRUST_POLICY });
  await call(fx, 'iam', {
    Action: 'PutRolePolicy', RoleName: 'fin', PolicyName: 'p',
    PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*', Condition: { StringEquals: { 'iam:ResourceTag/dept': 'finance' } } }),
  });
  const s = await session(fx, 'fin');
  assert.equal((await call(fx, 'iam', { Action: 'GetRole', RoleName: 'fin' }, s)).status, 200);
  assert.equal((await call(fx, 'iam', { Action: 'GetRole', RoleName: 'eng' }, s)).status, 403);
});

test('ok/query: managed policy response shapes (Create/Get/List/GetPolicyVersion/ListAttached/ListRoleTags)', async () => {
  const fx = await queryFixture();
  const c = await call(fx, 'iam', { Action: 'CreatePolicy', PolicyName: 'read', Path: '/s3/', PolicyDocument: S3_READ_POLICY, Description: 'd', 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' });
  assert.match(c.body, /^<CreatePolicyResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><CreatePolicyResult><Policy><PolicyName>read<\/PolicyName><PolicyId>ANPA[0-9A-Z]{17}<\/PolicyId><Arn>arn:aws:iam::123456789012:policy\/s3\/read<\/Arn><Path>\/s3\/<\/Path><DefaultVersionId>v1<\/DefaultVersionId><AttachmentCount>0<\/AttachmentCount><PermissionsBoundaryUsageCount>0<\/PermissionsBoundaryUsageCount><IsAttachable>true<\/IsAttachable><CreateDate>2025-03-01T12:00:00Z<\/CreateDate><UpdateDate>2025-03-01T12:00:00Z<\/UpdateDate><Tags><member><Key>k<\/Key><Value>v<\/Value><\/member><\/Tags><\/Policy><\/CreatePolicyResult>/);
  const arn = 'arn:aws:iam::123456789012:policy/s3/read';
  const g = await call(fx, 'iam', { Action: 'GetPolicy', PolicyArn: arn });
  assert.equal(tag(g.body, 'Description'), 'd');
  const v = await call(fx, 'iam', { Action: 'GetPolicyVersion', PolicyArn: arn, VersionId: 'v1' });
  assert.equal(decodeURIComponent(tag(v.body, 'Document') as string), S3_READ_POLICY);
  assert.equal(tag(v.body, 'IsDefaultVersion'), 'true');
  const l = await call(fx, 'iam', { Action: 'ListPolicies', Scope: 'Local', OnlyAttached: 'false' });
  assert.match(l.body, /<Policies><member><PolicyName>read<\/PolicyName>.*<\/member><\/Policies><IsTruncated>false<\/IsTruncated>/);
  assert.doesNotMatch(l.body, /<Description>/);

  await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'r', AssumeRolePolicyDocument: TRUST_POLICY });
  await call(fx, 'iam', { Action: 'AttachRolePolicy', RoleName: 'r', PolicyArn: arn });
  const a = await call(fx, 'iam', { Action: 'ListAttachedRolePolicies', RoleName: 'r' });
  assert.match(a.body, /<AttachedPolicies><member><PolicyName>read<\/PolicyName><PolicyArn>arn:aws:iam::123456789012:policy\/s3\/read<\/PolicyArn><\/member><\/AttachedPolicies><IsTruncated>false<\/IsTruncated>/);
  const t0 = await call(fx, 'iam', { Action: 'ListRoleTags', RoleName: 'r' });
  assert.match(t0.body, /<ListRoleTagsResult><Tags><\/Tags><IsTruncated>false<\/IsTruncated><\/ListRoleTagsResult>/);
  await call(fx, 'iam', { Action: 'TagRole', RoleName: 'r', 'Tags.member.1.Key': 'a', 'Tags.member.1.Value': '1', 'Tags.member.2.Key': 'b', 'Tags.member.2.Value': '2' });
  await call(fx, 'iam', { Action: 'UntagRole', RoleName: 'r', 'TagKeys.member.1': 'a' });
  const t1 = await call(fx, 'iam', { Action: 'ListRoleTags', RoleName: 'r' });
  assert.match(t1.body, /<Tags><member><Key>b<\/Key><Value>2<\/Value><\/member><\/Tags>/);
});

test('fail/query: new error codes and HTTP statuses on the wire', async () => {
  const fx = await queryFixture();
  await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'r', AssumeRolePolicyDocument: TRUST_POLICY });
  await call(fx, 'iam', { Action: 'CreatePolicy', PolicyName: 'p', PolicyDocument: S3_READ_POLICY });
  const arn = 'arn:aws:iam::123456789012:policy/p';
  await call(fx, 'iam', { Action: 'AttachRolePolicy', RoleName: 'r', PolicyArn: arn });
  const cases: Array<[Record<string, string>, number, string, string]> = [
    [{ Action: 'CreatePolicy', PolicyName: 'P', PolicyDocument: S3_READ_POLICY }, 409, 'EntityAlreadyExists', 'A policy called P already exists. Duplicate names are not allowed.'],
    [{ Action: 'CreatePolicy', PolicyName: 'm', PolicyDocument: '{"Statement":[{"Effect":"Allow"}]}' }, 400, 'MalformedPolicyDocument', 'Policy statement must contain actions.'],
    [{ Action: 'DeletePolicy', PolicyArn: arn }, 409, 'DeleteConflict', 'Cannot delete a policy attached to entities.'],
    [{ Action: 'DeleteRole', RoleName: 'r' }, 409, 'DeleteConflict', 'Cannot delete entity, must detach all policies first.'],
    [{ Action: 'GetPolicy', PolicyArn: 'arn:aws:iam::123456789012:policy/nope' }, 404, 'NoSuchEntity', 'Policy arn:aws:iam::123456789012:policy/nope was not found.'],
    [{ Action: 'AttachRolePolicy', RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, 404, 'NoSuchEntity', 'Policy arn:aws:iam::aws:policy/ReadOnlyAccess does not exist or is not attachable.'],
    [{ Action: 'ListPolicies', OnlyAttached: 'maybe' }, 400, 'ValidationError', "1 validation error detected: Value 'maybe' at 'onlyAttached' failed to satisfy constraint: Member must be a boolean"],
    [{ Action: 'TagRole', RoleName: 'ghost', 'Tags.member.1.Key': 'a', 'Tags.member.1.Value': 'b' }, 404, 'NoSuchEntity', 'The role with name ghost cannot be found.'],
  ];
  for (const [params, status, code, message] of cases) {
    const r = await call(fx, 'iam', params);
    assert.equal(r.status, status, `${params.Action}: ${r.body}`);
    assert.equal(tag(r.body, 'Code'), code);
    assert.equal(tag(r.body, 'Message'), message);
  }
  assert.deepEqual(fx.internalErrors, []);
});
