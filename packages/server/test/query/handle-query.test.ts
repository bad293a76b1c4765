import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signHmacRequest } from '@mooring/protocol';
import type { RawHttpRequest } from '@mooring/protocol';
import { mintSessionCredentials } from '../../src/core/sts/credential-minter.js';
import { handleQueryRequest } from '../../src/transport/query/handle-query.js';
import { S3_READ_POLICY, T0, TRUST_POLICY, config } from '../iam/fixtures.js';
import { queryFixture } from './harness.js';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

async function call(fx: Awaited<ReturnType<typeof queryFixture>>, service: 'iam' | 'sts', params: Record<string, string> | string, creds: Creds = fx.admin) {
  const req: RawHttpRequest = {
    method: 'POST',
    path: '/',
    query: '',
    headers: { host: 'mooring.test', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: typeof params === 'string' ? params : form({ Version: service === 'iam' ? '2010-05-08' : '2011-06-15', ...params }),
  };
  const signed = signHmacRequest(req, creds, { region: 'us-east-1', service, date: T0 });
  return handleQueryRequest({ ...signed, sourceIp: '127.0.0.1' }, fx.deps);
}

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

test('ok/query: CreateRole response envelope, URL-encoded trust policy, request id', async () => {
  const fx = await queryFixture();
  const r = await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'ci', AssumeRolePolicyDocument: TRUST_POLICY, Path: '/a/', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'a+b c' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/xml');
  assert.match(r.body, /^<CreateRoleResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><CreateRoleResult><Role>/);
  assert.equal(tag(r.body, 'Arn'), 'arn:aws:iam::123456789012:role/a/ci');
  assert.equal(decodeURIComponent(tag(r.body, 'AssumeRolePolicyDocument') as string), TRUST_POLICY);
  assert.equal(tag(r.body, 'CreateDate'), '2025-03-01T12:00:00Z');
  assert.match(r.body, /<Tags><member><Key>team<\/Key><Value>a\+b c<\/Value><\/member><\/Tags>/);
  assert.equal(tag(r.body, 'RequestId'), r.headers['x-amzn-requestid']);
});

test('ok/query: no-output actions have no Result element; UpdateRole has an empty one', async () => {
  const fx = await queryFixture();
  await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'ci', AssumeRolePolicyDocument: TRUST_POLICY });
  const put = await call(fx, 'iam', { Action: 'PutRolePolicy', RoleName: 'ci', PolicyName: 'p', PolicyDocument: S3_READ_POLICY });
  assert.equal(put.status, 200);
  assert.match(put.body, /^<PutRolePolicyResponse xmlns="[^"]+"><ResponseMetadata><RequestId>[^<]+<\/RequestId><\/ResponseMetadata><\/PutRolePolicyResponse>$/);
  const upd = await call(fx, 'iam', { Action: 'UpdateRole', RoleName: 'ci', Description: 'd', MaxSessionDuration: '7200' });
  assert.match(upd.body, /<UpdateRoleResult><\/UpdateRoleResult>/);
  const list = await call(fx, 'iam', { Action: 'ListRolePolicies', RoleName: 'ci' });
  assert.match(list.body, /<PolicyNames><member>p<\/member><\/PolicyNames><IsTruncated>false<\/IsTruncated>/);
  const roles = await call(fx, 'iam', { Action: 'ListRoles', MaxItems: '1' });
  assert.match(roles.body, /<Roles><member><Path>\/<\/Path><RoleName>ci<\/RoleName>.*<MaxSessionDuration>7200<\/MaxSessionDuration><\/member><\/Roles><IsTruncated>false<\/IsTruncated>/);
});

test('ok/query: GetCallerIdentity for the admin and for a session', async () => {
  const fx = await queryFixture();
  const admin = await call(fx, 'sts', { Action: 'GetCallerIdentity' });
  assert.equal(admin.status, 200);
  assert.match(admin.body, /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
  assert.equal(tag(admin.body, 'Arn'), 'arn:aws:iam::123456789012:user/mooring-admin');
  assert.equal(tag(admin.body, 'UserId'), fx.admin.userId);
  assert.equal(tag(admin.body, 'Account'), '123456789012');

  const role = await fx.roles.createRole({ roleName: 'ci', assumeRolePolicyDocument: TRUST_POLICY });
  const s = mintSessionCredentials({ role, sessionName: 'abc', tags: [], durationSeconds: 3600, now: T0 }, { codec: fx.codec, random: fx.random, config });
  const me = await call(fx, 'sts', { Action: 'GetCallerIdentity' }, s);
  assert.equal(tag(me.body, 'Arn'), 'arn:aws:sts::123456789012:assumed-role/ci/abc');
  assert.equal(tag(me.body, 'UserId'), `${role.roleId}:abc`);

  // A session is not an IAM administrator.
  const denied = await call(fx, 'iam', { Action: 'GetRole', RoleName: 'ci' }, s);
  assert.equal(denied.status, 403);
  assert.equal(tag(denied.body, 'Code'), 'AccessDenied');
  assert.equal(
    tag(denied.body, 'Message'),
    'User: arn:aws:sts::123456789012:assumed-role/ci/abc is not authorized to perform: iam:GetRole on resource: arn:aws:iam::123456789012:role/ci because no identity-based policy allows the iam:GetRole action',
  );
});

function assertError(r: { status: number; body: string }, status: number, code: string, type = 'Sender') {
  assert.equal(r.status, status, r.body);
  assert.match(r.body, /^<ErrorResponse xmlns="https:\/\/(iam|sts)\.amazonaws\.com\/doc\/[0-9-]+\/"><Error>/);
  assert.equal(tag(r.body, 'Type'), type);
  assert.equal(tag(r.body, 'Code'), code);
  assert.ok(tag(r.body, 'RequestId'));
}

test('fail/query: domain errors map to status and code', async () => {
  const fx = await queryFixture();
  assertError(await call(fx, 'iam', { Action: 'GetRole', RoleName: 'nope' }), 404, 'NoSuchEntity');
  assertError(await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'ci', AssumeRolePolicyDocument: '{"Version":' }), 400, 'MalformedPolicyDocument');
  await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'ci', AssumeRolePolicyDocument: TRUST_POLICY });
  const dup = await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'CI', AssumeRolePolicyDocument: TRUST_POLICY });
  assertError(dup, 409, 'EntityAlreadyExists');
  assert.equal(tag(dup.body, 'Message'), 'Role with name CI already exists.');
  await call(fx, 'iam', { Action: 'PutRolePolicy', RoleName: 'ci', PolicyName: 'p', PolicyDocument: S3_READ_POLICY });
  assertError(await call(fx, 'iam', { Action: 'DeleteRole', RoleName: 'ci' }), 409, 'DeleteConflict');
  const v = await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'bad<name>', AssumeRolePolicyDocument: TRUST_POLICY });
  assertError(v, 400, 'ValidationError');
  assert.match(v.body, /Value &apos;bad&lt;name&gt;&apos; at &apos;roleName&apos;/);
  assertError(await call(fx, 'iam', { Action: 'ListRoles', MaxItems: 'lots' }), 400, 'ValidationError');
  assertError(await call(fx, 'iam', { Action: 'CreateRole', RoleName: 'pb', AssumeRolePolicyDocument: TRUST_POLICY, PermissionsBoundary: 'arn:aws:iam::aws:policy/x' }), 400, 'InvalidInput');
});

test('fail/query: unknown action, wrong version, malformed form', async () => {
  const fx = await queryFixture();
  const unknown = await call(fx, 'iam', { Action: 'CreateUser' });
  assertError(unknown, 400, 'InvalidAction');
  assert.equal(tag(unknown.body, 'Message'), 'Could not find operation CreateUser for version 2010-05-08');
  assertError(await call(fx, 'sts', { Action: 'CreateRole' }), 400, 'InvalidAction'); // IAM action sent to STS
  assertError(await call(fx, 'iam', 'Action=GetRole&Version=2011-06-15&RoleName=x'), 400, 'InvalidAction');
  assertError(await call(fx, 'iam', 'Version=2010-05-08'), 400, 'InvalidAction');
  assertError(await call(fx, 'iam', 'Action=GetRole&RoleName=%ZZ'), 400, 'MalformedQueryString');
  assertError(await call(fx, 'iam', 'Action=GetRole&Action=ListRoles'), 400, 'MalformedQueryString');
  assert.deepEqual(fx.internalErrors, []);
});

test('fail/query: authentication failures use the query vocabulary', async () => {
  const fx = await queryFixture();
  const bad = await call(fx, 'iam', { Action: 'ListRoles' }, { ...fx.admin, secretAccessKey: 'wrong'.repeat(8) });
  assertError(bad, 403, 'SignatureDoesNotMatch');
  assertError(await call(fx, 'sts', { Action: 'GetCallerIdentity' }, { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x' }), 403, 'InvalidClientTokenId');
  const unsigned = await handleQueryRequest(
    { method: 'POST', path: '/', query: '', headers: { host: 'h' }, body: 'Action=GetCallerIdentity&Version=2011-06-15', sourceIp: '' },
    fx.deps,
  );
  assertError(unsigned, 403, 'MissingAuthenticationToken');
  assert.match(unsigned.body, /xmlns="https:\/\/sts\.amazonaws\.com/);
  assert.ok(!bad.body.includes(fx.admin.secretAccessKey));
});

test('ok/query: parameters in the query string (GET) are accepted', async () => {
  const fx = await queryFixture();
  const req: RawHttpRequest = { method: 'GET', path: '/', query: 'Action=GetCallerIdentity&Version=2011-06-15', headers: { host: 'mooring.test' }, body: '' };
  const signed = signHmacRequest(req, fx.admin, { region: 'us-east-1', service: 'sts', date: T0 });
  const r = await handleQueryRequest({ ...signed, sourceIp: '' }, fx.deps);
  assert.equal(r.status, 200, r.body);
});
