// AWS accepts, and records, two deviations instead of rejecting (service-spec §4.3 "Leniency").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import {
  canonicalRequest, formatAmzDate, formatAuthorization, parseX509Request, signX509Request, stringToSign,
  verifyX509Signature, type RawHttpRequest, type X509Signer,
} from '../src/index.js';
import { createSessionRequest, ecIdentity, rsaVectorIdentity, TEST_DATE, TEST_REGION } from './fixtures.js';

const rsa = rsaVectorIdentity();

function check(req: RawHttpRequest, publicKey = rsa.publicKey, serialDecimal = rsa.serialDecimal) {
  const parts = parseX509Request(req, { now: TEST_DATE, region: TEST_REGION });
  assert.ok(parts.ok, parts.ok ? '' : parts.reason);
  return verifyX509Signature(req, parts.value, { publicKey, serialDecimal });
}

test('ok/deviation algorithm-key-mismatch: RSA key declared as ECDSA', async () => {
  const lying: X509Signer = {
    algorithm: 'AWS4-X509-ECDSA-SHA256',
    sign: async (data) => sign('sha256', data, rsa.privateKey),
  };
  const req = await signX509Request({
    request: createSessionRequest(), signer: lying, certificateDer: rsa.certificateDer,
    serialDecimal: rsa.serialDecimal, region: TEST_REGION, date: TEST_DATE,
  });
  assert.match(req.headers['authorization'] as string, /^AWS4-X509-ECDSA-SHA256 /);
  assert.deepEqual(check(req), { ok: true, deviations: ['algorithm-key-mismatch'] });
});

test('ok/deviation algorithm-key-mismatch: EC key declared as RSA', async () => {
  const ec = ecIdentity('P-256');
  const lying: X509Signer = {
    algorithm: 'AWS4-X509-RSA-SHA256',
    sign: async (data) => sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'der' }),
  };
  const req = await signX509Request({
    request: createSessionRequest(), signer: lying, certificateDer: ec.certificateDer,
    serialDecimal: ec.serialDecimal, region: TEST_REGION, date: TEST_DATE,
  });
  assert.deepEqual(check(req, ec.publicKey, ec.serialDecimal), { ok: true, deviations: ['algorithm-key-mismatch'] });
});

/** Signs by hand with a chosen SignedHeaders list, as a non-conforming client might. */
function signWith(signedHeaders: string[]): RawHttpRequest {
  const amzDate = formatAmzDate(TEST_DATE);
  const req = createSessionRequest();
  req.headers['x-amz-date'] = amzDate;
  req.headers['x-amz-x509'] = rsa.certificateDer.toString('base64');
  const cr = canonicalRequest(req, signedHeaders);
  assert.ok(cr.ok);
  const scope = `${amzDate.slice(0, 8)}/${TEST_REGION}/rolesanywhere/aws4_request`;
  const sts = stringToSign('AWS4-X509-RSA-SHA256', amzDate, scope, cr.value);
  req.headers['authorization'] = formatAuthorization({
    algorithm: 'AWS4-X509-RSA-SHA256',
    credential: { id: rsa.serialDecimal, date: amzDate.slice(0, 8), region: TEST_REGION, service: 'rolesanywhere', terminator: 'aws4_request' },
    signedHeaders,
    signature: sign('sha256', Buffer.from(sts), rsa.privateKey).toString('hex'),
  });
  return req;
}

test('ok/deviation required-header-not-signed: x-amz-x509 left out of SignedHeaders', () => {
  assert.deepEqual(check(signWith(['content-type', 'host', 'x-amz-date'])), { ok: true, deviations: ['required-header-not-signed'] });
});

test('ok/deviation required-header-not-signed: host left out of SignedHeaders', () => {
  assert.deepEqual(check(signWith(['content-type', 'x-amz-date', 'x-amz-x509'])), { ok: true, deviations: ['required-header-not-signed'] });
});

test('ok/no deviation when host, x-amz-date and x-amz-x509 are signed', () => {
  assert.deepEqual(check(signWith(['host', 'x-amz-date', 'x-amz-x509'])), { ok: true, deviations: [] });
});

test('fail/bad-signature: an unsigned header can change, but a deviation never excuses a wrong signature', () => {
  const req = signWith(['content-type', 'host', 'x-amz-date']);
  req.body = '{"durationSeconds":900}';
  assert.deepEqual(check(req), { ok: false, reason: 'bad-signature' });
});
