// CreateSession through the real app (fastify inject): the §4.4 pipeline, its denials and
// the bad-input rules. Each denial is checked on the wire (403, x-amzn-ErrorType, {"message"})
// and in the audit log (typed reason).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { X509Signer } from '@mooring/protocol';
import { newFileX509Signer } from '@mooring/protocol';
import { Harness, sessionRequest, walkthroughSetup, DAY, type Identity, walkthroughHooks } from '../support/in-process.js';

describe('create-session', () => {
  const h = new Harness();
  let s: Awaited<ReturnType<typeof walkthroughSetup>>;
  let me: Identity;

  walkthroughHooks(h, (setup, leaf) => {
    s = setup;
    me = leaf;
  });

  const base = () => ({ identity: me, trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn });
  const lastAudit = () => h.auditEvents(1)[0]!;

  async function expectDenied(req: Parameters<typeof h.send>[0], status: number, code: string, message: string | RegExp, reason?: string) {
    const r = await h.send(req);
    assert.equal(r.status, status, r.body);
    assert.equal(r.headers['x-amzn-errortype'], code);
    assert.ok(r.headers['x-amzn-requestid']);
    const body = r.json();
    assert.deepEqual(Object.keys(body), ['message']);
    if (typeof message === 'string') assert.equal(body.message, message);
    else assert.match(body.message, message);
    if (reason) {
      const ev = lastAudit();
      assert.equal(ev.eventName, 'CreateSession');
      assert.equal(ev.errorCode, code);
      assert.equal((ev.additionalEventData as { failureReason: string }).failureReason, reason);
    }
    return r;
  }

  test('ok/ARNs in the query string (Go helper) return 201 with the credential set', async () => {
    const r = await h.send(await sessionRequest(base()));
    assert.equal(r.status, 201, r.body);
    const out = r.json();
    const set = out.credentialSet[0];
    assert.match(set.credentials.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(set.credentials.secretAccessKey.length, 40);
    assert.match(set.credentials.expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(set.roleArn, s.roleArn);
    assert.equal(set.sourceIdentity, 'CN=myContainer');
    assert.equal(set.packedPolicySize, 0);
    assert.equal(set.assumedRoleUser.arn, `arn:aws:sts::111122223333:assumed-role/bucket-lister/${me.serialHex}`);
    assert.match(set.assumedRoleUser.assumedRoleId, new RegExp(`^AROA[A-Z0-9]{17}:${me.serialHex}$`));
    assert.match(out.subjectArn, /^arn:aws:rolesanywhere:us-east-1:111122223333:subject\/[0-9a-f-]{36}$/);
    const ev = lastAudit();
    assert.equal(ev.errorCode, undefined);
    assert.equal((ev.userIdentity as { certificate: { serialNumber: string } }).certificate.serialNumber, me.serialHex);
    assert.equal((ev.responseElements as { accessKeyId: string }).accessKeyId, set.credentials.accessKeyId);
    assert.ok(!JSON.stringify(ev).includes(set.credentials.secretAccessKey), 'the audit record never holds the secret');
    assert.ok(!JSON.stringify(ev).includes(set.credentials.sessionToken), 'the audit record never holds the token');
  });

  test('ok/ARNs in the JSON body (Java plugin) are accepted', async () => {
    const r = await h.send(await sessionRequest({ ...base(), arnsIn: 'body' }));
    assert.equal(r.status, 201, r.body);
  });

  test('ok/a chain header holding the leaf and the root is tolerated', async () => {
    const r = await h.send(await sessionRequest({ ...base(), chain: [me.der, s.ca.der] }));
    assert.equal(r.status, 201, r.body);
  });

  test('ok/the subject is recorded with the certificate', async () => {
    const r = await h.admin('rolesanywhere', 'GET', '/subjects');
    assert.equal(r.status, 200, r.body);
    const sub = r.json().subjects.find((x: { x509Subject: string }) => x.x509Subject === 'CN=myContainer');
    assert.ok(sub);
    const detail = (await h.admin('rolesanywhere', 'GET', `/subject/${sub.subjectId}`)).json().subject;
    assert.equal(detail.credentials[0].serialNumber, me.serialHex);
    assert.match(detail.credentials[0].x509CertificateData, /BEGIN CERTIFICATE/);
  });

  test('fail/tampered signature', async () => {
    const real = newFileX509Signer(me.key);
    const tampering: X509Signer = { algorithm: real.algorithm, sign: async (d) => { const sig = Buffer.from(await real.sign(d)); sig[sig.length - 1]! ^= 1; return sig; } };
    await expectDenied(await sessionRequest({ ...base(), signer: tampering }), 403, 'AccessDeniedException', 'Invalid signature', 'bad-signature');
  });

  test('fail/another CN is refused by the trust policy', async () => {
    await expectDenied(await sessionRequest({ ...base(), identity: s.leaf('someoneElse') }), 403, 'AccessDeniedException', `Unable to assume role for ${s.roleArn}.`, 'trust-policy-denied');
  });

  test('fail/expired leaf', async () => {
    const old = s.leaf('myContainer', { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
    await expectDenied(await sessionRequest({ ...base(), identity: old }), 403, 'AccessDeniedException', 'Untrusted signing certificate', 'expired');
  });

  test('fail/clock skew beyond 5 minutes', async () => {
    await expectDenied(await sessionRequest({ ...base(), date: new Date(Date.now() - 6 * 60 * 1000) }), 403, 'AccessDeniedException', /Signature expired/, 'clock-skew');
  });

  test('fail/disabled trust anchor, then enabled again', async () => {
    assert.equal((await h.admin('rolesanywhere', 'POST', `/trustanchor/${s.trustAnchorId}/disable`)).status, 200);
    await expectDenied(await sessionRequest(base()), 403, 'AccessDeniedException', 'Untrusted signing certificate', 'trust-anchor-disabled');
    assert.equal((await h.admin('rolesanywhere', 'POST', `/trustanchor/${s.trustAnchorId}/enable`)).status, 200);
    assert.equal((await h.send(await sessionRequest(base()))).status, 201);
  });

  test('fail/disabled profile, then enabled again', async () => {
    assert.equal((await h.admin('rolesanywhere', 'POST', `/profile/${s.profileId}/disable`)).status, 200);
    await expectDenied(await sessionRequest(base()), 403, 'AccessDeniedException', 'Profile is disabled', 'profile-disabled');
    assert.equal((await h.admin('rolesanywhere', 'POST', `/profile/${s.profileId}/enable`)).status, 200);
  });

  test('fail/role not in the profile', async () => {
    const other = await h.iam({ Action: 'CreateRole', RoleName: 'not-in-profile', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] }] }) });
    const arn = /<Arn>([^<]+)<\/Arn>/.exec(other.body)![1]!;
    await expectDenied(await sessionRequest({ ...base(), roleArn: arn }), 403, 'AccessDeniedException', `Unable to assume role for ${arn}.`, 'role-not-in-profile');
  });

  test('fail/roleSessionName when the profile does not accept it; ok once it does', async () => {
    await expectDenied(await sessionRequest({ ...base(), body: { roleSessionName: 'friendly' } }), 403, 'AccessDeniedException', 'Not authorized to set roleSessionName.', 'role-session-name-not-allowed');
    const up = await h.admin('rolesanywhere', 'PATCH', `/profile/${s.profileId}`, JSON.stringify({ acceptRoleSessionName: true }));
    assert.equal(up.status, 200, up.body);
    const r = await h.send(await sessionRequest({ ...base(), body: { roleSessionName: 'friendly' } }));
    assert.equal(r.status, 201, r.body);
    assert.match(r.json().credentialSet[0].assumedRoleUser.arn, /assumed-role\/bucket-lister\/friendly$/);
  });

  test('fail/duration above the role MaxSessionDuration is an error, not clamped', async () => {
    const up = await h.admin('rolesanywhere', 'PATCH', `/profile/${s.profileId}`, JSON.stringify({ durationSeconds: 7200 }));
    assert.equal(up.status, 200, up.body);
    await expectDenied(await sessionRequest({ ...base(), body: { durationSeconds: 7200 } }), 403, 'AccessDeniedException',
      `Unable to assume role for ${s.roleArn}. The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`, 'duration-exceeds-role-maximum');
    // min(profile, request) = 1800 fits the role's 3600.
    const ok = await h.send(await sessionRequest({ ...base(), body: { durationSeconds: 1800 } }));
    assert.equal(ok.status, 201, ok.body);
    const exp = Date.parse(ok.json().credentialSet[0].credentials.expiration);
    assert.ok(Math.abs(exp - Date.now() - 1800_000) < 60_000);
  });
});
