// Known-answer vectors for AWS4-X509-RSA-SHA256. RSASSA-PKCS1-v1_5 is deterministic, so the
// whole Authorization header is fixed. The expected values were produced independently of this
// package (botocore canonical request + `openssl dgst -sign`, see vectors/make-x509-vectors.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalRequest, canonicalUri, newFileX509Signer, parseAuthorization, parseX509Request, signX509Request,
  stringToSign, verifyX509Signature, type RawHttpRequest,
} from '../src/index.js';
import { loadVectors, rsaVectorIdentity } from './fixtures.js';

const id = rsaVectorIdentity();

for (const v of loadVectors()) {
  const date = new Date(v.date);
  const input = (): RawHttpRequest => ({ ...v.request, headers: { ...v.request.headers } });

  async function signed(): Promise<RawHttpRequest> {
    return signX509Request({
      request: input(), signer: newFileX509Signer(id.privateKey), certificateDer: id.certificateDer,
      serialDecimal: v.serialDecimal, region: v.region, date,
    });
  }

  test(`ok/vector ${v.description}: serial and certificate match the fixture`, () => {
    assert.equal(id.serialDecimal, v.serialDecimal);
    assert.equal(id.certificateDer.toString('base64'), v.expected.xAmzX509);
  });

  test(`ok/vector ${v.description}: canonical request, string to sign and Authorization are byte-exact`, async () => {
    const req = await signed();
    assert.equal(req.headers['x-amz-date'], v.expected.xAmzDate);
    assert.equal(req.headers['x-amz-x509'], v.expected.xAmzX509);
    assert.equal(req.headers['x-amz-x509-chain'], undefined);
    assert.equal(req.headers['authorization'], v.expected.authorization);

    const auth = parseAuthorization(v.expected.authorization);
    assert.ok(auth.ok);
    const cr = canonicalRequest(req, auth.value.signedHeaders, { canonicalUri: canonicalUri(req.path) });
    assert.ok(cr.ok);
    assert.equal(cr.value, v.expected.canonicalRequest);
    const scope = `${v.expected.xAmzDate.slice(0, 8)}/${v.region}/rolesanywhere/aws4_request`;
    assert.equal(stringToSign('AWS4-X509-RSA-SHA256', v.expected.xAmzDate, scope, cr.value), v.expected.stringToSign);
    // The input request object is not mutated.
    assert.equal(v.request.headers['Authorization' as keyof typeof v.request.headers], undefined);
  });

  test(`ok/vector ${v.description}: verifyX509Signature accepts the stored request`, async () => {
    const req = await signed();
    const parts = parseX509Request(req, { now: date, region: v.region });
    assert.ok(parts.ok, parts.ok ? '' : parts.reason);
    assert.deepEqual(parts.value.certificateDer, id.certificateDer);
    assert.deepEqual(parts.value.chainDer, []);
    const r = verifyX509Signature(req, parts.value, { publicKey: id.publicKey, serialDecimal: v.serialDecimal });
    assert.deepEqual(r, { ok: true, deviations: [] });
  });

  test(`fail/bad-signature vector ${v.description}: tampered body`, async () => {
    const req = { ...(await signed()), body: '{"durationSeconds":43200}' };
    const parts = parseX509Request(req, { now: date, region: v.region });
    assert.ok(parts.ok);
    assert.deepEqual(verifyX509Signature(req, parts.value, { publicKey: id.publicKey, serialDecimal: v.serialDecimal }),
      { ok: false, reason: 'bad-signature' });
  });

  test(`fail/bad-signature vector ${v.description}: tampered signed header`, async () => {
    const req = await signed();
    req.headers['Amz-Sdk-Request'] = 'attempt=2; max=3';
    const parts = parseX509Request(req, { now: date, region: v.region });
    assert.ok(parts.ok);
    assert.deepEqual(verifyX509Signature(req, parts.value, { publicKey: id.publicKey, serialDecimal: v.serialDecimal }),
      { ok: false, reason: 'bad-signature' });
  });

  test(`ok/vector ${v.description}: unsigned User-Agent may change in transit`, async () => {
    const req = await signed();
    req.headers['User-Agent'] = 'some-proxy/1.0';
    const parts = parseX509Request(req, { now: date, region: v.region });
    assert.ok(parts.ok);
    assert.equal(verifyX509Signature(req, parts.value, { publicKey: id.publicKey, serialDecimal: v.serialDecimal }).ok, true);
  });
}
