import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signHmacRequest } from '@mooring/protocol';
import type { RawHttpRequest } from '@mooring/protocol';
import { Authenticator } from '../../src/core/auth/authenticate.js';
import { authErrorToWire } from '../../src/core/auth/auth-errors.js';
import type { AuthFailure } from '../../src/core/auth/principal.js';
import { ensureBootstrapAdmin } from '../../src/core/iam/bootstrap-admin.js';
import { mintSessionCredentials } from '../../src/core/sts/credential-minter.js';
import { SessionTokenCodec } from '../../src/core/sts/session-token.js';
import { generateTokenKey } from '../../src/core/sts/token-keys.js';
import { T0, TRUST_POLICY, config, fixedClock, newRoleService, seededRandom } from '../iam/fixtures.js';

async function setup() {
  const { service, accessKeys } = newRoleService();
  const random = seededRandom('auth');
  const clock = fixedClock();
  const key = generateTokenKey(random);
  const codec = new SessionTokenCodec({ keys: [key], currentKid: key.kid, random });
  const admin = await ensureBootstrapAdmin(accessKeys, random, config, 'mooring-admin', clock);
  const role = await service.createRole({ roleName: 'ci', assumeRolePolicyDocument: TRUST_POLICY });
  const session = mintSessionCredentials({ role, sessionName: 'sess', tags: [], durationSeconds: 3600, now: T0 }, { codec, random, config });
  const authenticator = new Authenticator({ accessKeys, codec, clock, config });
  return { admin, session, role, authenticator, clock, codec, accessKeys };
}

function request(body = 'Action=GetCallerIdentity&Version=2011-06-15'): RawHttpRequest {
  return {
    method: 'POST',
    path: '/',
    query: '',
    headers: { host: 'mooring.test', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  };
}

const sign = (req: RawHttpRequest, creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, over: Partial<{ region: string; service: string; date: Date }> = {}) =>
  signHmacRequest(req, creds, { region: 'us-east-1', service: 'sts', date: T0, ...over });

test('ok/authenticate: bootstrap admin is an admin user principal', async () => {
  const { admin, authenticator } = await setup();
  const r = await authenticator.authenticate(sign(request(), admin), { service: 'sts' });
  assert.ok(r.ok);
  assert.deepEqual(r.principal, {
    kind: 'user',
    arn: admin.userArn,
    userId: admin.userId,
    accountId: '123456789012',
    accessKeyId: admin.accessKeyId,
    isAdmin: true,
  });
});

test('ok/authenticate: session credentials give an assumed-role principal without admin', async () => {
  const { session, role, authenticator } = await setup();
  const r = await authenticator.authenticate(sign(request(), session), { service: 'sts' });
  assert.ok(r.ok);
  assert.equal(r.principal.kind, 'assumed-role');
  assert.equal(r.principal.arn, 'arn:aws:sts::123456789012:assumed-role/ci/sess');
  assert.equal(r.principal.userId, `${role.roleId}:sess`);
  assert.equal(r.principal.isAdmin, false);
  assert.equal(r.principal.session?.roleArn, role.arn);
});

test('ok/authenticate: iam accepts the us-east-1 global signing region and the configured one', async () => {
  const { admin, authenticator, codec, clock, accessKeys } = await setup();
  assert.ok((await authenticator.authenticate(sign(request(), admin, { service: 'iam' }), { service: 'iam' })).ok);
  const eu = new Authenticator({ accessKeys, codec, clock, config: { ...config, region: 'eu-west-1' } });
  assert.ok((await eu.authenticate(sign(request(), admin, { service: 'iam' }), { service: 'iam' })).ok);
  assert.ok((await eu.authenticate(sign(request(), admin, { service: 'iam', region: 'eu-west-1' }), { service: 'iam' })).ok);
  assert.deepEqual(await eu.authenticate(sign(request(), admin, { service: 'sts' }), { service: 'sts' }), { ok: false, reason: 'wrong-scope' });
});

async function reason(p: Promise<{ ok: boolean; reason?: AuthFailure }>): Promise<AuthFailure | undefined> {
  const r = await p;
  return r.ok ? undefined : r.reason;
}

test('fail/authenticate: each failure has its reason', async () => {
  const { admin, session, authenticator, clock, codec } = await setup();
  const auth = (req: RawHttpRequest, service = 'sts') => reason(authenticator.authenticate(req, { service }));

  assert.equal(await auth(request()), 'missing-authentication');
  const garbled = request();
  garbled.headers.authorization = 'AWS4-HMAC-SHA256 nonsense';
  assert.equal(await auth(garbled), 'incomplete-signature');

  assert.equal(await auth(sign(request(), { ...admin, secretAccessKey: 'x'.repeat(40) })), 'bad-signature');
  const altered = sign(request(), admin);
  altered.body = 'Action=GetCallerIdentity&Version=2011-06-15&x=1';
  assert.equal(await auth(altered), 'bad-signature');

  assert.equal(await auth(sign(request(), { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: admin.secretAccessKey })), 'unknown-access-key');
  assert.equal(await auth(sign(request(), admin, { service: 'iam' })), 'wrong-scope');
  assert.equal(await auth(sign(request(), admin, { region: 'eu-west-1' })), 'wrong-scope');
  assert.equal(await auth(sign(request(), admin, { date: new Date(T0.getTime() + 6 * 60_000) })), 'clock-skew');

  // Session key without its token, with a tampered token, with another session's token.
  assert.equal(await auth(sign(request(), { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey })), 'invalid-token');
  const tokenBytes = Buffer.from(session.sessionToken, 'base64');
  tokenBytes[tokenBytes.length - 1] = (tokenBytes[tokenBytes.length - 1] as number) ^ 0x80;
  assert.equal(await auth(sign(request(), { ...session, sessionToken: tokenBytes.toString('base64') })), 'invalid-token');
  const other = codec.seal({ ...claimsOf(codec, session.sessionToken), accessKeyId: 'ASIAOTHEROTHEROTHERX' });
  assert.equal(await auth(sign(request(), { ...session, sessionToken: other })), 'invalid-token');
  // Long-term key presented with a session token.
  assert.equal(await auth(sign(request(), { ...admin, sessionToken: session.sessionToken })), 'invalid-token');

  // Expired: one second past expiry, signed at that time.
  const later = new Date(T0.getTime() + 3600_000);
  clock.set(later);
  assert.equal(await auth(sign(request(), session, { date: later })), 'expired-token');
});

function claimsOf(codec: SessionTokenCodec, token: string) {
  const r = codec.open(token);
  assert.ok(r.ok);
  return r.claims;
}

test('ok/auth-errors: query and json flavours, no secrets', () => {
  assert.deepEqual(authErrorToWire('missing-authentication', 'query'), { status: 403, code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' });
  assert.deepEqual(authErrorToWire('unknown-access-key', 'query'), { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' });
  assert.deepEqual(authErrorToWire('expired-token', 'query'), { status: 403, code: 'ExpiredToken', message: 'The security token included in the request is expired' });
  assert.equal(authErrorToWire('bad-signature', 'query').code, 'SignatureDoesNotMatch');
  assert.equal(authErrorToWire('incomplete-signature', 'query').code, 'IncompleteSignature');
  const json: Record<AuthFailure, string> = {
    'missing-authentication': 'MissingAuthenticationTokenException',
    'incomplete-signature': 'IncompleteSignatureException',
    'unknown-access-key': 'UnrecognizedClientException',
    'invalid-token': 'UnrecognizedClientException',
    'expired-token': 'ExpiredTokenException',
    'bad-signature': 'InvalidSignatureException',
    'clock-skew': 'InvalidSignatureException',
    'wrong-scope': 'InvalidSignatureException',
  };
  for (const [r, code] of Object.entries(json) as Array<[AuthFailure, string]>) {
    const w = authErrorToWire(r, 'json');
    assert.equal(w.code, code);
    assert.equal(w.status, 403);
    assert.equal(authErrorToWire(r, 'query').status, 403);
  }
});
