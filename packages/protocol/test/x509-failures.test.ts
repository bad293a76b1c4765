// Failure table for parseX509Request / verifyX509Signature: each row mutates a correctly signed
// CreateSession request and expects one typed reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatAuthorization, newFileX509Signer, parseAuthorization, parseX509Request, signX509Request, verifyX509Signature,
  type ParsedAuthorization, type RawHttpRequest, type X509VerifyFailure,
} from '../src/index.js';
import {
  createSessionRequest, createSessionRequestWithBodyArns, rsaVectorIdentity, TEST_DATE, TEST_REGION,
} from './fixtures.js';

const id = rsaVectorIdentity();
const signer = newFileX509Signer(id.privateKey);

async function sign(request: RawHttpRequest = createSessionRequest(), chainDer?: Uint8Array[]): Promise<RawHttpRequest> {
  return signX509Request({
    request, signer, certificateDer: id.certificateDer, serialDecimal: id.serialDecimal, region: TEST_REGION, date: TEST_DATE,
    ...(chainDer ? { chainDer } : {}),
  });
}

function check(req: RawHttpRequest, now = TEST_DATE, serialDecimal = id.serialDecimal) {
  const parts = parseX509Request(req, { now, region: TEST_REGION });
  if (!parts.ok) return parts;
  return verifyX509Signature(req, parts.value, { publicKey: id.publicKey, serialDecimal });
}

function withAuth(req: RawHttpRequest, edit: (a: ParsedAuthorization) => void): RawHttpRequest {
  const a = parseAuthorization(req.headers['authorization']);
  assert.ok(a.ok);
  edit(a.value);
  return { ...req, headers: { ...req.headers, authorization: formatAuthorization(a.value) } };
}

function setHeader(req: RawHttpRequest, name: string, value: string | string[] | undefined): RawHttpRequest {
  return { ...req, headers: { ...req.headers, [name]: value } };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

const TABLE: Array<[X509VerifyFailure, string, (r: RawHttpRequest) => RawHttpRequest, Date?]> = [
  ['missing-authorization', 'no Authorization header', (r) => setHeader(r, 'authorization', undefined)],
  ['missing-authorization', 'empty Authorization header', (r) => setHeader(r, 'authorization', '  ')],
  ['duplicated-authorization', 'Authorization repeated', (r) =>
    setHeader(r, 'authorization', [r.headers['authorization'] as string, r.headers['authorization'] as string])],
  ['duplicated-authorization', 'Authorization under two spellings', (r) =>
    setHeader(r, 'Authorization', r.headers['authorization'])],
  ['malformed-authorization', 'garbled Authorization', (r) => setHeader(r, 'authorization', 'AWS4-X509-RSA-SHA256 garbage')],
  ['malformed-authorization', 'Signature missing', (r) =>
    setHeader(r, 'authorization', (r.headers['authorization'] as string).replace(/, Signature=.*$/, ''))],
  ['malformed-authorization', 'Credential with four parts', (r) =>
    setHeader(r, 'authorization', (r.headers['authorization'] as string).replace('/rolesanywhere/', '/'))],
  ['malformed-authorization', 'non-hex signature', (r) =>
    setHeader(r, 'authorization', (r.headers['authorization'] as string).replace(/Signature=../, 'Signature=zz'))],
  ['unsupported-algorithm', 'HMAC algorithm', (r) => withAuth(r, (a) => { a.algorithm = 'AWS4-HMAC-SHA256'; })],
  ['unsupported-algorithm', 'ML-DSA algorithm', (r) => withAuth(r, (a) => { a.algorithm = 'AWS4-X509-MLDSA'; })],
  ['missing-date', 'no X-Amz-Date', (r) => setHeader(r, 'x-amz-date', undefined)],
  ['duplicated-date', 'X-Amz-Date repeated', (r) => setHeader(r, 'x-amz-date', ['20240102T030405Z', '20240102T030405Z'])],
  ['malformed-date', 'extended ISO format', (r) => setHeader(r, 'x-amz-date', '2024-01-02T03:04:05Z')],
  ['malformed-date', 'month 13', (r) => setHeader(r, 'x-amz-date', '20241302T030405Z')],
  ['date-mismatch', 'scope date is the next day', (r) => withAuth(r, (a) => { a.credential.date = '20240103'; })],
  ['clock-skew', 'server clock 301 s ahead', (r) => r, new Date(TEST_DATE.getTime() + 301_000)],
  ['clock-skew', 'server clock 301 s behind', (r) => r, new Date(TEST_DATE.getTime() - 301_000)],
  ['wrong-service', 'scope service sts', (r) => withAuth(r, (a) => { a.credential.service = 'sts'; })],
  ['wrong-region', 'scope region eu-west-1', (r) => withAuth(r, (a) => { a.credential.region = 'eu-west-1'; })],
  ['missing-certificate', 'no X-Amz-X509', (r) => setHeader(r, 'x-amz-x509', undefined)],
  ['duplicated-certificate', 'X-Amz-X509 repeated', (r) =>
    setHeader(r, 'x-amz-x509', [r.headers['x-amz-x509'] as string, r.headers['x-amz-x509'] as string])],
  ['malformed-certificate-header', 'non-base64 certificate', (r) => setHeader(r, 'x-amz-x509', 'not base64!')],
  ['malformed-certificate-header', 'url-safe base64 certificate', (r) => setHeader(r, 'x-amz-x509', 'ab-_'.repeat(4))],
  ['malformed-certificate-header', 'empty certificate', (r) => setHeader(r, 'x-amz-x509', '')],
  ['chain-too-long', 'chain of 6', (r) => setHeader(r, 'x-amz-x509-chain', ['1', '2', '3', '4', '5', '6'].map(b64).join(','))],
  ['malformed-chain-header', 'empty chain entry', (r) => setHeader(r, 'x-amz-x509-chain', `${b64('a')},,${b64('b')}`)],
  ['malformed-chain-header', 'non-base64 chain entry', (r) => setHeader(r, 'x-amz-x509-chain', `${b64('a')},%%%`)],
  ['malformed-chain-header', 'chain header repeated', (r) => setHeader(r, 'x-amz-x509-chain', [b64('a'), b64('b')])],
  ['signed-header-missing', 'SignedHeaders names an absent header', (r) =>
    withAuth(r, (a) => { a.signedHeaders = [...a.signedHeaders, 'x-not-sent'].sort(); })],
  ['bad-signature', 'signature of another request', (r) =>
    withAuth(r, (a) => { a.signature = a.signature.replace(/^./, (c) => (c === '0' ? '1' : '0')); })],
  ['bad-signature', 'ARNs moved from the query into the body', (r) =>
    ({ ...r, query: '', body: createSessionRequestWithBodyArns().body })],
  ['bad-signature', 'X-Amz-Content-SHA256 claims UNSIGNED-PAYLOAD', (r) => setHeader(r, 'x-amz-content-sha256', 'UNSIGNED-PAYLOAD')],
];

for (const [reason, what, mutate, now] of TABLE) {
  test(`fail/${reason}: ${what}`, async () => {
    assert.deepEqual(check(mutate(await sign()), now), { ok: false, reason });
  });
}

test('fail/serial-mismatch: Credential names another certificate serial', async () => {
  assert.deepEqual(check(await sign(), TEST_DATE, '3'), { ok: false, reason: 'serial-mismatch' });
  const leadingZero = withAuth(await sign(), (a) => { a.credential.id = '02'; });
  assert.deepEqual(check(leadingZero), { ok: false, reason: 'serial-mismatch' });
});

test('ok/clock skew of exactly 300 s either way is accepted', async () => {
  const req = await sign();
  assert.equal(check(req, new Date(TEST_DATE.getTime() + 300_000)).ok, true);
  assert.equal(check(req, new Date(TEST_DATE.getTime() - 300_000)).ok, true);
});

test('ok/ARNs in the query and ARNs in the body both verify', async () => {
  assert.deepEqual(check(await sign(createSessionRequest())), { ok: true, deviations: [] });
  assert.deepEqual(check(await sign(createSessionRequestWithBodyArns())), { ok: true, deviations: [] });
});

test('ok/chain of 5 is accepted and decoded in order', async () => {
  const chain = ['1', '2', '3', '4', '5'].map((s) => Buffer.from(`cert ${s}`));
  const req = await sign(createSessionRequest(), chain);
  const parts = parseX509Request(req, { now: TEST_DATE, region: TEST_REGION });
  assert.ok(parts.ok);
  assert.deepEqual(parts.value.chainDer, chain);
  assert.deepEqual(check(req), { ok: true, deviations: [] });
});

test('ok/behind a path prefix the helper-style literal /sessions canonical URI verifies', async () => {
  // The Go helper signs '/sessions' even when the endpoint is https://host/prefix.
  const helperStyle = { ...(await sign()), path: '/prefix/sessions' };
  assert.deepEqual(check(helperStyle), { ok: true, deviations: [] });
  // A client that signs the real path verifies too.
  assert.deepEqual(check(await sign(createSessionRequest({ path: '/prefix/sessions' }))), { ok: true, deviations: [] });
  // But the literal fallback applies only to paths ending in /sessions.
  assert.deepEqual(check({ ...(await sign()), path: '/prefix/other' }), { ok: false, reason: 'bad-signature' });
});

test('ok/unpadded base64 and Authorization without spaces after commas are tolerated', async () => {
  const req = await sign();
  const tight = setHeader(req, 'authorization', (req.headers['authorization'] as string).replace(/, /g, ','));
  assert.deepEqual(check(tight), { ok: true, deviations: [] });
  const parts = parseX509Request(setHeader(req, 'x-amz-x509', 'YWJjZA'), { now: TEST_DATE, region: TEST_REGION });
  assert.ok(parts.ok);
  assert.equal(parts.value.certificateDer.toString(), 'abcd');
});
