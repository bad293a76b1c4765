// Bad input gets a clear, AWS-shaped error and never a 500 or a stack trace (issue [spine]).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCertificate } from '@mooring/pki';
import type { RawHttpRequest } from '@mooring/protocol';
import { Harness, sessionRequest, walkthroughSetup, HOST, type Identity, walkthroughHooks } from '../support/in-process.js';

describe('bad-input', () => {
  const h = new Harness();
  let s: Awaited<ReturnType<typeof walkthroughSetup>>;
  let me: Identity;

  walkthroughHooks(h, (setup, leaf) => {
    s = setup;
    me = leaf;
  });

  const base = () => ({ identity: me, trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn });
  const withHeaders = (req: RawHttpRequest, patch: Record<string, string | string[] | undefined>): RawHttpRequest => {
    const headers = { ...req.headers };
    for (const [k, v] of Object.entries(patch)) {
      for (const existing of Object.keys(headers)) if (existing.toLowerCase() === k) delete headers[existing];
      if (v !== undefined) headers[k] = v;
    }
    return { ...req, headers };
  };
  const header = (req: RawHttpRequest, name: string) =>
    Object.entries(req.headers).find(([k]) => k.toLowerCase() === name)?.[1] as string;

  async function expectError(req: RawHttpRequest, status: number, code: string, message?: RegExp) {
    const r = await h.send(req);
    assert.equal(r.status, status, r.body);
    assert.equal(r.headers['x-amzn-errortype'], code);
    const body = r.json();
    assert.equal(typeof body.message, 'string');
    assert.ok(!/\bat \S+ \(/.test(r.body), 'no stack trace on the wire');
    if (message) assert.match(body.message, message);
  }

  /** The certificate with the last byte of its public key's y coordinate flipped: no longer a curve point. */
  const offCurve = (der: Uint8Array): Buffer => {
    const bad = Buffer.from(der);
    const r = parseCertificate(der);
    assert.ok(r.ok);
    const at = bad.indexOf(r.value.spki);
    bad[at + r.value.spki.length - 1]! ^= 1;
    return bad;
  };

  const cases: Array<[string, () => Promise<RawHttpRequest>, number, string, RegExp?]> = [
    ['fail/missing Authorization', async () => withHeaders(await sessionRequest(base()), { authorization: undefined }), 403, 'AccessDeniedException', /Missing Authorization/],
    ['fail/duplicated Authorization', async () => { const r = await sessionRequest(base()); const a = header(r, 'authorization'); return withHeaders(r, { authorization: [a, a] }); }, 403, 'AccessDeniedException', /Authorization/],
    ['fail/garbled Authorization', async () => withHeaders(await sessionRequest(base()), { authorization: 'AWS4-X509-RSA-SHA256 garbage' }), 403, 'AccessDeniedException', /Malformed Authorization/],
    ['fail/missing X-Amz-Date', async () => withHeaders(await sessionRequest(base()), { 'x-amz-date': undefined }), 403, 'AccessDeniedException', /X-Amz-Date|SignedHeaders/],
    ['fail/garbled X-Amz-Date', async () => withHeaders(await sessionRequest(base()), { 'x-amz-date': 'yesterday' }), 403, 'AccessDeniedException', /X-Amz-Date/],
    ['fail/missing X-Amz-X509', async () => withHeaders(await sessionRequest(base()), { 'x-amz-x509': undefined }), 403, 'AccessDeniedException', /X-Amz-X509/],
    ['fail/duplicated X-Amz-X509', async () => { const r = await sessionRequest(base()); const c = header(r, 'x-amz-x509'); return withHeaders(r, { 'x-amz-x509': [c, c] }); }, 403, 'AccessDeniedException', /X-Amz-X509/],
    ['fail/base64 that is not DER', async () => sessionRequest({ ...base(), identity: { ...me, der: Buffer.from('this is not a certificate') } }), 403, 'AccessDeniedException'],
    ['fail/leaf whose EC point is off its curve (one flipped bit)', async () => sessionRequest({ ...base(), identity: { ...me, der: offCurve(me.der) } }), 403, 'AccessDeniedException'],
    ['fail/intermediate whose EC point is off its curve', async () => sessionRequest({ ...base(), chain: [offCurve(s.ca.der)] }), 403, 'AccessDeniedException'],
    ['fail/chain of 6', async () => sessionRequest({ ...base(), chain: Array(6).fill(s.ca.der) }), 403, 'AccessDeniedException', /more than 5/],
    ['fail/trust anchor ARN of another region', async () => sessionRequest({ ...base(), trustAnchorArn: s.trustAnchorArn.replace('us-east-1', 'eu-west-1') }), 404, 'ResourceNotFoundException'],
    ['fail/profile ARN of another account', async () => sessionRequest({ ...base(), profileArn: s.profileArn.replace('111122223333', '999999999999') }), 404, 'ResourceNotFoundException'],
    ['fail/ARN of the wrong type', async () => sessionRequest({ ...base(), trustAnchorArn: s.profileArn }), 400, 'ValidationException', /trustAnchorArn/],
    ['fail/durationSeconds above 43200', async () => sessionRequest({ ...base(), body: { durationSeconds: 50000 } }), 400, 'ValidationException', /^1 validation error detected: Value '50000' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200$/],
    ['fail/query and body ARNs disagree', async () => sessionRequest({ ...base(), body: { roleArn: 'arn:aws:iam::111122223333:role/other' } }), 400, 'ValidationException', /differ/],
  ];
  for (const [name, make, status, code, message] of cases) {
    test(name, async () => expectError(await make(), status, code, message));
  }

  test('fail/a body that is not JSON', async () => {
    const r = await sessionRequest(base());
    // Re-sign over the broken body so only the JSON check can fail.
    const broken = await sessionRequest({ ...base() });
    broken.body = '{not json';
    await expectError({ ...r, body: '{not json' }, 400, 'ValidationException', /not valid JSON/);
  });

  test('fail/a 10 MB body is rejected early with 413', async () => {
    const r = await sessionRequest(base());
    await expectError({ ...r, body: Buffer.alloc(10 * 1024 * 1024, 0x20) }, 413, 'RequestEntityTooLargeException');
  });

  test('fail/unknown route gives an AWS-style 404', async () => {
    await expectError({ method: 'GET', path: '/no-such-thing', query: '', headers: { host: HOST }, body: '' }, 404, 'UnknownOperationException');
  });

  test('fail/control plane without a signature is MissingAuthenticationToken', async () => {
    await expectError({ method: 'GET', path: '/profiles', query: '', headers: { host: HOST }, body: '' }, 403, 'MissingAuthenticationTokenException');
  });

  test('fail/control plane with a wrong secret is InvalidSignatureException', async () => {
    const r = await h.admin('rolesanywhere', 'GET', '/profiles');
    assert.equal(r.status, 200);
    const { signHmacRequest } = await import('@mooring/protocol');
    const bad = signHmacRequest({ method: 'GET', path: '/profiles', query: '', headers: { host: HOST }, body: '' },
      { accessKeyId: h.server.admin.accessKeyId, secretAccessKey: 'x'.repeat(40) }, { region: 'us-east-1', service: 'rolesanywhere', date: new Date() });
    await expectError(bad, 403, 'InvalidSignatureException');
  });

  test('fail/control plane validation uses Coral phrasing', async () => {
    const r = await h.admin('rolesanywhere', 'POST', '/profiles', JSON.stringify({ name: 'p', roleArns: [s.roleArn], durationSeconds: 50000 }));
    assert.equal(r.status, 400);
    assert.equal(r.json().message, "1 validation error detected: Value '50000' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200");
    const bad = await h.admin('rolesanywhere', 'GET', '/profile/not-a-uuid');
    assert.equal(bad.status, 400);
    const missing = await h.admin('rolesanywhere', 'GET', '/profile/00000000-0000-4000-8000-000000000000');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['x-amzn-errortype'], 'ResourceNotFoundException');
  });

  test('fail/a trust anchor whose certificate is not a CA', async () => {
    const leaf = s.leaf('notACA') as Identity & { pem: string };
    const r = await h.admin('rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name: 'bad', source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: leaf.pem } } }));
    assert.equal(r.status, 400, r.body);
    assert.equal(r.json().message, 'Incorrect basic constraints for CA certificate');
  });

  // Header names that are also Object.prototype members are ordinary headers; the record the
  // transport builds once gave `constructor` the value [Object, 'x'] and the canonicaliser threw.
  // (`__proto__` cannot go through fastify's inject, which builds its header object by
  // assignment; the raw-header test below covers it.)
  for (const name of ['constructor', 'hasOwnProperty', 'toString']) {
    test(`ok/a signed header named ${name} is an ordinary header (201)`, async () => {
      const r = await h.send(await sessionRequest({ ...base(), headers: { [name]: 'x' } }));
      assert.equal(r.status, 201, r.body);
    });
  }

  test('ok/the raw header record keeps __proto__ and constructor as headers', async () => {
    const { rawRequest } = await import('../../src/transport/raw-request.js');
    const fake = { method: 'POST', body: Buffer.alloc(0), raw: { url: '/sessions', rawHeaders: ['Host', HOST, '__proto__', 'a', 'Constructor', 'b', 'constructor', 'c'] } };
    const { raw } = rawRequest(fake as unknown as Parameters<typeof rawRequest>[0]);
    assert.deepEqual(Object.keys(raw.headers), ['host', '__proto__', 'constructor']);
    assert.equal(raw.headers['__proto__'], 'a');
    assert.deepEqual(raw.headers['constructor'], ['b', 'c']);
  });

  test('fail/control plane with a header named constructor and a wrong secret is InvalidSignatureException', async () => {
    const { signHmacRequest } = await import('@mooring/protocol');
    const bad = signHmacRequest({ method: 'GET', path: '/profiles', query: '', headers: { host: HOST, constructor: 'x' }, body: '' },
      { accessKeyId: h.server.admin.accessKeyId, secretAccessKey: 'x'.repeat(40) }, { region: 'us-east-1', service: 'rolesanywhere', date: new Date() });
    assert.match(String(bad.headers['authorization']), /SignedHeaders=constructor;host;/);
    await expectError(bad, 403, 'InvalidSignatureException');
  });

  test('ok/nothing above produced a 500', async () => {
    const events = h.auditEvents(1000);
    assert.ok(events.length > 0);
    assert.ok(events.every((e) => e.errorCode !== 'InternalServerException'));
  });
});
