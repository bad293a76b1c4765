// verifyHmacRequest: failure reasons and accepted variants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  canonicalRequest, deriveSigningKey, formatAuthorization, sha256Hex, stringToSign, parseAuthorization, signHmacRequest, verifyHmacRequest,
  type HmacVerifyFailure, type ParsedAuthorization, type RawHttpRequest,
} from '../src/index.js';
import { TEST_DATE } from './fixtures.js';

const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const OPTS = { region: 'us-east-1', service: 'sts', date: TEST_DATE };

function base(): RawHttpRequest {
  return {
    method: 'POST', path: '/', query: '',
    headers: { host: 'sts.us-east-1.amazonaws.com', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  };
}

function verify(req: RawHttpRequest, now = TEST_DATE, secret = CREDS.secretAccessKey, edit?: (a: ParsedAuthorization) => void) {
  const a = parseAuthorization(req.headers['authorization']);
  assert.ok(a.ok);
  edit?.(a.value);
  return verifyHmacRequest(req, a.value, secret, { now });
}

test('ok/deriveSigningKey matches the AWS documentation example', () => {
  // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
  assert.equal(deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam').toString('hex'),
    'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
});

test('ok/hmac sign adds date, token and authorization without mutating the input', () => {
  const input = base();
  const signed = signHmacRequest(input, { ...CREDS, sessionToken: 'tok' }, OPTS);
  assert.equal(input.headers['authorization'], undefined);
  assert.equal(signed.headers['x-amz-date'], '20240102T030405Z');
  assert.equal(signed.headers['x-amz-security-token'], 'tok');
  assert.equal(signed.headers['x-amz-content-sha256'], undefined);
  assert.match(signed.headers['authorization'] as string,
    /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20240102\/us-east-1\/sts\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
  assert.deepEqual(verify(signed), { ok: true });
});

test('ok/hmac explicit signedHeaders always include host and x-amz-date', () => {
  const signed = signHmacRequest(base(), CREDS, { ...OPTS, signedHeaders: [] });
  assert.match(signed.headers['authorization'] as string, /SignedHeaders=host;x-amz-date,/);
  assert.deepEqual(verify(signed), { ok: true });
});

test('fail/hmac sign without a Host header throws', () => {
  assert.throws(() => signHmacRequest({ ...base(), headers: {} }, CREDS, OPTS), /no Host header/);
});

test('ok/hmac the HTTP Date header is used when X-Amz-Date is absent', () => {
  // signHmacRequest always adds X-Amz-Date, so sign this one by hand over the Date header.
  const req: RawHttpRequest = { ...base(), headers: { ...base().headers, date: 'Tue, 02 Jan 2024 03:04:05 GMT' } };
  const signedHeaders = ['content-type', 'date', 'host'];
  const cr = canonicalRequest(req, signedHeaders);
  assert.ok(cr.ok);
  const sts = stringToSign('AWS4-HMAC-SHA256', '20240102T030405Z', '20240102/us-east-1/sts/aws4_request', cr.value);
  const signature = createHmac('sha256', deriveSigningKey(CREDS.secretAccessKey, '20240102', 'us-east-1', 'sts')).update(sts).digest('hex');
  req.headers['authorization'] = formatAuthorization({
    algorithm: 'AWS4-HMAC-SHA256',
    credential: { id: CREDS.accessKeyId, date: '20240102', region: 'us-east-1', service: 'sts', terminator: 'aws4_request' },
    signedHeaders, signature,
  });
  assert.deepEqual(verify(req), { ok: true });
  const garbled = { ...req, headers: { ...req.headers, date: '2024-01-02 03:04:05' } };
  assert.deepEqual(verify(garbled), { ok: false, reason: 'malformed-date' });
});

const TABLE: Array<[HmacVerifyFailure, string, (r: RawHttpRequest) => RawHttpRequest, Date?, string?, ((a: ParsedAuthorization) => void)?]> = [
  ['unsupported-algorithm', 'X.509 algorithm', (r) => r, undefined, undefined, (a) => { a.algorithm = 'AWS4-X509-RSA-SHA256'; }],
  ['missing-date', 'no X-Amz-Date or Date', (r) => ({ ...r, headers: { ...r.headers, 'x-amz-date': undefined } })],
  ['missing-date', 'X-Amz-Date present but not signed', (r) => r, undefined, undefined,
    (a) => { a.signedHeaders = a.signedHeaders.filter((h) => h !== 'x-amz-date'); }],
  ['malformed-date', 'garbled X-Amz-Date', (r) => ({ ...r, headers: { ...r.headers, 'x-amz-date': 'yesterday' } })],
  ['malformed-date', 'repeated X-Amz-Date', (r) => ({ ...r, headers: { ...r.headers, 'x-amz-date': ['20240102T030405Z', '20240102T030405Z'] } })],
  ['date-mismatch', 'scope date differs', (r) => r, undefined, undefined, (a) => { a.credential.date = '20240101'; }],
  ['clock-skew', 'six minutes late', (r) => r, new Date(TEST_DATE.getTime() + 360_000)],
  ['host-not-signed', 'host missing from SignedHeaders', (r) => r, undefined, undefined,
    (a) => { a.signedHeaders = a.signedHeaders.filter((h) => h !== 'host'); }],
  ['signed-header-missing', 'signed content-type removed', (r) => ({ ...r, headers: { ...r.headers, 'content-type': undefined } })],
  ['bad-signature', 'wrong secret', (r) => r, undefined, 'not-the-secret'],
  ['bad-signature', 'tampered body', (r) => ({ ...r, body: 'Action=GetCallerIdentity&Version=2011-06-16' })],
  ['bad-signature', 'tampered query', (r) => ({ ...r, query: 'x=1' })],
  ['bad-signature', 'X-Amz-Content-SHA256 does not match the body', (r) =>
    ({ ...r, headers: { ...r.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } })],
];

for (const [reason, what, mutate, now, secret, edit] of TABLE) {
  test(`fail/hmac ${reason}: ${what}`, () => {
    const signed = mutate(signHmacRequest(base(), CREDS, OPTS));
    assert.deepEqual(verify(signed, now ?? TEST_DATE, secret ?? CREDS.secretAccessKey, edit), { ok: false, reason });
  });
}

test('ok/hmac a correct X-Amz-Content-SHA256 header is signed and accepted', () => {
  const req = { ...base(), headers: { ...base().headers, 'x-amz-content-sha256': sha256Hex(base().body) } };
  const signed = signHmacRequest(req, CREDS, OPTS);
  assert.match(signed.headers['authorization'] as string, /SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,/);
  assert.deepEqual(verify(signed), { ok: true });
});
