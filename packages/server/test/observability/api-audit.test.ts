// One CloudTrail-shaped audit record per control-plane (REST) and IAM/STS (Query) call,
// success and failure, authenticated or not (issue 4 item 3).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildCrl, toPem } from '@mooring/pki';
import type { AuditEvent } from '../../src/core/audit/audit-event.js';
import { userIdentityOf } from '../../src/core/audit/api-call-event.js';
import { auditSafe, REDACTED } from '../../src/core/audit/audit-parameters.js';
import type { Principal } from '../../src/core/auth/principal.js';
import { queryRequestParameters, queryResponseElements } from '../../src/transport/audit-api-call.js';
import { DAY, HOST, Harness, walkthroughSetup, type InjectResult } from '../support/in-process.js';

describe('API call audit', () => {
  const h = new Harness();
  let s: Awaited<ReturnType<typeof walkthroughSetup>>;
  before(async () => {
    await h.start();
    s = await walkthroughSetup(h);
  });
  after(() => h.stop());

  /** The one record whose requestID is the response's x-amzn-RequestId. */
  const recordOf = async (r: InjectResult): Promise<AuditEvent> => {
    const id = String(r.headers['x-amzn-requestid']);
    const page = await h.server.audit.query({ limit: 1000 });
    assert.ok(page !== 'bad-token');
    const hits = page.records.filter((x) => x.event.requestID === id);
    assert.equal(hits.length, 1, `exactly one record for ${id}`);
    return hits[0]!.event;
  };
  const ra = (method: string, path: string, body?: unknown) => h.admin('rolesanywhere', method, path, body === undefined ? '' : JSON.stringify(body));

  test('ok/a mutating REST call records input, output and the IAM user', async () => {
    const r = await ra('POST', '/profiles', { name: 'audited', roleArns: [s.roleArn], tags: [{ key: 'team', value: 'a' }] });
    assert.equal(r.status, 201, r.body);
    const e = await recordOf(r);
    assert.equal(e.eventSource, 'rolesanywhere.amazonaws.com');
    assert.equal(e.eventName, 'CreateProfile');
    assert.equal(e.eventType, 'AwsApiCall');
    assert.equal(e.readOnly, false);
    assert.equal(e.awsRegion, 'us-east-1');
    assert.deepEqual(e.requestParameters, { name: 'audited', roleArns: [s.roleArn], tags: [{ key: 'team', value: 'a' }] });
    assert.equal((e.responseElements as { profile: { profileId: string } }).profile.profileId, r.json().profile.profileId);
    assert.equal(e.userIdentity.type, 'IAMUser');
    assert.equal(e.userIdentity.accessKeyId, h.server.admin.accessKeyId);
    assert.equal(e.userIdentity.accountId, '111122223333');
    assert.equal(e.errorCode, undefined);
    assert.ok(!JSON.stringify(e).includes(h.server.admin.secretAccessKey));
  });

  test('ok/a read-only REST call is recorded without responseElements', async () => {
    const r = await ra('GET', '/trustanchors');
    assert.equal(r.status, 200);
    const e = await recordOf(r);
    assert.equal(e.eventName, 'ListTrustAnchors');
    assert.equal(e.readOnly, true);
    assert.equal(e.responseElements, null);
  });

  test('fail/a refused REST call records errorCode, errorMessage and the typed reason', async () => {
    const r = await ra('GET', '/profile/00000000-0000-4000-8000-000000000000');
    assert.equal(r.status, 404);
    const e = await recordOf(r);
    assert.equal(e.eventName, 'GetProfile');
    assert.equal(e.errorCode, 'ResourceNotFoundException');
    assert.equal(e.errorMessage, r.json().message);
    assert.deepEqual(e.additionalEventData, { failureReason: 'not-found' });
    assert.deepEqual(e.requestParameters, { profileId: '00000000-0000-4000-8000-000000000000' });
    assert.equal(e.responseElements, null);

    const bad = await ra('POST', '/profiles', { name: 'x', roleArns: 'not-a-list' });
    assert.equal(bad.status, 400);
    assert.equal((await recordOf(bad)).errorCode, 'ValidationException');
  });

  test('fail/an unauthenticated REST call is audited as Unknown, without its input', async () => {
    const r = await h.send({ method: 'POST', path: '/trustanchors', query: '', headers: { host: HOST, 'content-type': 'application/json' }, body: '{"name":"x"}' });
    assert.equal(r.status, 403);
    const e = await recordOf(r);
    assert.equal(e.eventName, 'CreateTrustAnchor');
    assert.deepEqual(e.userIdentity, { type: 'Unknown' });
    assert.equal(e.errorCode, 'MissingAuthenticationTokenException');
    assert.equal(e.requestParameters, null);
  });

  test('fail/a body refused before the handler (413) is still audited once', async () => {
    const r = await h.send({ method: 'POST', path: '/crls', query: '', headers: { host: HOST, 'content-type': 'application/json' }, body: 'x'.repeat(1024 * 1024 + 1) });
    assert.equal(r.status, 413);
    const e = await recordOf(r);
    assert.equal(e.eventName, 'ImportCrl');
    assert.equal(e.errorCode, 'RequestEntityTooLargeException');
    assert.deepEqual(e.userIdentity, { type: 'Unknown' });
  });

  test('ok/ImportCrl records the CRL as a digest, not its bytes', async () => {
    const der = buildCrl({ issuer: { cert: s.ca.cert, key: s.ca.key }, thisUpdate: new Date(Date.now() - DAY), nextUpdate: new Date(Date.now() + DAY), revoked: [] });
    const b64 = Buffer.from(toPem('X509 CRL', der)).toString('base64');
    const r = await ra('POST', '/crls', { name: 'c', crlData: b64, trustAnchorArn: s.trustAnchorArn });
    assert.equal(r.status, 201, r.body);
    const e = await recordOf(r);
    const req = e.requestParameters as { crlData: string };
    assert.match(req.crlData, /^\[abbreviated: \d+ bytes, sha256:[0-9a-f]{64}\]$/);
    assert.match((e.responseElements as { crl: { crlData: string } }).crl.crlData, /^\[abbreviated:/);
    assert.ok(!JSON.stringify(e).includes(b64));
  });

  test('ok/an IAM Query call is recorded with CloudTrail-style parameters and response', async () => {
    const r = await h.iam({ Action: 'CreateRole', RoleName: 'audited-role', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}', 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' });
    assert.equal(r.status, 200, r.body);
    const e = await recordOf(r);
    assert.equal(e.eventSource, 'iam.amazonaws.com');
    assert.equal(e.eventName, 'CreateRole');
    assert.equal(e.readOnly, false);
    assert.equal(e.requestID, /<RequestId>([^<]+)<\/RequestId>/.exec(r.body)![1], 'body and header carry one request id');
    assert.deepEqual(e.requestParameters, { roleName: 'audited-role', assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}', tags: [{ key: 'k', value: 'v' }] });
    const role = (e.responseElements as { role: { roleName: string; arn: string } }).role;
    assert.equal(role.roleName, 'audited-role');
    assert.match(role.arn, /:role\/audited-role$/);
  });

  test('fail/IAM errors and STS reads are recorded; unauthenticated Query calls too', async () => {
    const missing = await h.iam({ Action: 'GetRole', RoleName: 'nope' });
    assert.equal(missing.status, 404);
    const e = await recordOf(missing);
    assert.equal(e.errorCode, 'NoSuchEntity');
    assert.equal(e.readOnly, true);

    const who = await h.admin('sts', 'POST', '/', 'Action=GetCallerIdentity&Version=2011-06-15');
    assert.equal(who.status, 200);
    const w = await recordOf(who);
    assert.equal(w.eventSource, 'sts.amazonaws.com');
    assert.equal(w.eventName, 'GetCallerIdentity');
    assert.equal(w.readOnly, true);
    assert.equal(w.responseElements, null);

    const anon = await h.send({ method: 'POST', path: '/', query: '', headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded', authorization: `AWS4-HMAC-SHA256 Credential=${h.server.admin.accessKeyId}/20240101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}` }, body: 'Action=DeleteRole&Version=2010-05-08&RoleName=bucket-lister' });
    assert.equal(anon.status, 403);
    const a = await recordOf(anon);
    assert.equal(a.eventName, 'DeleteRole');
    assert.deepEqual(a.userIdentity, { type: 'Unknown', accessKeyId: h.server.admin.accessKeyId });
    assert.equal(a.requestParameters, null);
    assert.ok(a.errorCode === 'SignatureDoesNotMatch' || a.errorCode === 'IncompleteSignature', a.errorCode);
  });

  test('ok/the audit records keep the hash chain verifiable', async () => {
    const { verifyAuditChain } = await import('../../src/core/audit/verify-audit-chain.js');
    const v = await verifyAuditChain(h.server.audit);
    assert.equal(v.ok, true);
  });
});

describe('audit record building blocks', () => {
  test('ok/an assumed-role identity names the session and issuer role, never the session secret', () => {
    const p: Principal = {
      kind: 'assumed-role',
      arn: 'arn:aws:sts::111122223333:assumed-role/r/01',
      userId: 'AROAEXAMPLE:01',
      accountId: '111122223333',
      accessKeyId: 'ASIAEXAMPLE',
      isAdmin: false,
      session: {
        accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'TOP-SECRET', accountId: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/r',
        roleId: 'AROAEXAMPLE', roleName: 'r', sessionName: '01', sourceIdentity: 'CN=x', tags: [], issuedAt: 1_700_000_000, expiresAt: 1_700_003_600,
      },
    };
    const u = userIdentityOf(p);
    assert.equal(u.type, 'AssumedRole');
    assert.equal(u.accessKeyId, 'ASIAEXAMPLE');
    assert.deepEqual((u.sessionContext as { sessionIssuer: unknown }).sessionIssuer, { type: 'Role', principalId: 'AROAEXAMPLE', arn: 'arn:aws:iam::111122223333:role/r', accountId: '111122223333', userName: 'r' });
    assert.ok(!JSON.stringify(u).includes('TOP-SECRET'));
  });

  test('ok/secret-named members are redacted and long strings abbreviated', () => {
    const v = auditSafe({ secretAccessKey: 'x', nested: { sessionToken: 'y', password: 'z' }, pem: 'A'.repeat(5000), short: 'ok' }) as Record<string, any>;
    assert.equal(v.secretAccessKey, REDACTED);
    assert.deepEqual(v.nested, { sessionToken: REDACTED, password: REDACTED });
    assert.match(v.pem, /^A{256}… \[abbreviated: 5000 bytes, sha256:[0-9a-f]{64}\]$/);
    assert.equal(v.short, 'ok');
  });

  test('ok/query parameters fold member lists; response XML becomes an object', () => {
    const p = queryRequestParameters(new Map([['Action', 'X'], ['Version', 'v'], ['RoleName', 'r'], ['TagKeys.member.1', 'a'], ['TagKeys.member.2', 'b']]));
    assert.deepEqual(p, { roleName: 'r', tagKeys: ['a', 'b'] });
    assert.deepEqual(queryResponseElements('<Policy><PolicyName>p</PolicyName><Tags><member><Key>k&amp;</Key></member></Tags></Policy>'), { policy: { policyName: 'p', tags: [{ key: 'k&' }] } });
    assert.equal(queryResponseElements('<A><B></A>'), null);
  });
});
