// OCSP (RFC 6960) request building and response verification, against responses made by our
// own builder: good / revoked, delegated responders, forged and stale responses, nonces, AIA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  authorityInfoAccessExtension, buildOcspErrorResponse, buildOcspRequest, buildOcspResponse, checkOcspResponse, createCertificateAuthority,
  issueLeafCertificate, ocspCertId, ocspResponderUrls, parseOcspRequest, parseOcspResponse,
} from '../src/index.js';
import type { IssuedCertificate, OcspCertStatus } from '../src/index.js';

const now = new Date('2026-06-01T12:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const validity = { notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 300 * DAY) };
const ca = createCertificateAuthority({ subject: [['CN', 'OCSP Unit CA']], ...validity });
const otherCa = createCertificateAuthority({ subject: [['CN', 'OCSP Unit CA']], ...validity }); // same name, other key
const leaf = issueLeafCertificate(ca, {
  subject: [['CN', 'w']], ...validity, extraExtensions: [authorityInfoAccessExtension(['http://127.0.0.1:9/ocsp', 'http://ocsp.example/b'])],
});
const responder = issueLeafCertificate(ca, { subject: [['CN', 'OCSP Responder']], ...validity, extKeyUsage: ['OCSPSigning'] });
const responderNoEku = issueLeafCertificate(ca, { subject: [['CN', 'OCSP Responder']], ...validity });
const responderOtherCa = issueLeafCertificate(otherCa, { subject: [['CN', 'OCSP Responder']], ...validity, extKeyUsage: ['OCSPSigning'] });

function response(o: {
  signer?: IssuedCertificate; status?: OcspCertStatus; serialHex?: string; certs?: Buffer[]; thisUpdate?: Date; nextUpdate?: Date | null;
  nonce?: Buffer; responderId?: 'name' | 'key';
} = {}) {
  const thisUpdate = o.thisUpdate ?? new Date(now.getTime() - MIN);
  return buildOcspResponse({
    signer: { cert: (o.signer ?? ca).cert, key: (o.signer ?? ca).key },
    producedAt: thisUpdate,
    responderId: o.responderId ?? 'name',
    responses: [{
      certId: ocspCertId(ca.cert, o.serialHex ?? leaf.cert.serialHex),
      status: o.status ?? 'good',
      thisUpdate,
      ...(o.nextUpdate === null ? {} : { nextUpdate: o.nextUpdate ?? new Date(now.getTime() + 10 * MIN) }),
      ...(o.status === 'revoked' ? { revocationTime: new Date(now.getTime() - DAY), revocationReason: 1 } : {}),
    }],
    ...(o.certs ? { certs: o.certs } : {}),
    ...(o.nonce ? { nonce: o.nonce } : {}),
  });
}

const verify = (der: Buffer, extra: { nonce?: Buffer; requireNonce?: boolean } = {}) =>
  checkOcspResponse(der, { issuer: ca.cert, serialHex: leaf.cert.serialHex, now, ...extra });

test('ok/AIA: ocspResponderUrls reads the id-ad-ocsp URIs; a certificate without AIA has none', () => {
  assert.deepEqual(ocspResponderUrls(leaf.cert), ['http://127.0.0.1:9/ocsp', 'http://ocsp.example/b']);
  assert.deepEqual(ocspResponderUrls(responder.cert), []);
});

test('ok/request: SHA-1 CertID of the issuer name and key, serial, and a 32-octet nonce round-trip', () => {
  const req = buildOcspRequest(ca.cert, leaf.cert.serialHex);
  const parsed = parseOcspRequest(req.der);
  assert.equal(parsed.certIds.length, 1);
  assert.equal(parsed.certIds[0]!.hash, 'sha1');
  assert.equal(parsed.certIds[0]!.serialHex, leaf.cert.serialHex);
  assert.equal(parsed.certIds[0]!.issuerNameHash.length, 20);
  assert.ok(parsed.nonce && req.nonce && parsed.nonce.equals(req.nonce));
  assert.equal(req.nonce!.length, 34); // OCTET STRING TLV around 32 octets
  assert.equal(parseOcspRequest(buildOcspRequest(ca.cert, '01', { nonce: false }).der).nonce, undefined);
});

test('ok/good and revoked responses signed by the issuing CA (byName and byKey)', () => {
  const good = verify(response());
  assert.deepEqual(good.ok && [good.status, good.signedBy], ['good', 'issuer']);
  const byKey = verify(response({ responderId: 'key' }));
  assert.equal(byKey.ok && byKey.status, 'good');
  const revoked = verify(response({ status: 'revoked' }));
  assert.ok(revoked.ok);
  assert.equal(revoked.status, 'revoked');
  assert.equal(revoked.revocationReason, 1);
  assert.equal(revoked.revocationTime?.getTime(), now.getTime() - DAY);
  const unknown = verify(response({ status: 'unknown' }));
  assert.equal(unknown.ok && unknown.status, 'unknown');
});

test('ok/a delegated responder issued by the CA with id-kp-OCSPSigning', () => {
  const r = verify(response({ signer: responder, certs: [responder.der] }));
  assert.deepEqual(r.ok && [r.status, r.signedBy], ['good', 'delegated-responder']);
});

test('fail/forged: a same-name CA of another key, a responder without OCSPSigning or from another CA, tampered bytes', () => {
  const forged = verify(response({ signer: otherCa, status: 'good' }));
  assert.equal(forged.ok ? 'ok' : forged.reason, 'bad-signature');
  const noEku = verify(response({ signer: responderNoEku, certs: [responderNoEku.der] }));
  assert.equal(noEku.ok ? 'ok' : noEku.reason, 'responder-not-authorized');
  const wrongCa = verify(response({ signer: responderOtherCa, certs: [responderOtherCa.der] }));
  assert.equal(wrongCa.ok ? 'ok' : wrongCa.reason, 'responder-not-authorized');
  const missingCert = verify(response({ signer: responder }));
  assert.equal(missingCert.ok ? 'ok' : missingCert.reason, 'responder-not-found');
  // Flip "revoked" into "good" by editing the certStatus byte: the signature no longer verifies.
  const der = response({ status: 'revoked' });
  const tampered = Buffer.from(der);
  const parsed = parseOcspResponse(der);
  assert.ok(parsed.ok && parsed.value.basic);
  const idx = tampered.indexOf(Buffer.from([0xa1, 0x16, 0x18, 0x0f])); // revoked [1] { GeneralizedTime }
  assert.ok(idx > 0, 'found RevokedInfo');
  tampered[idx] = 0xa2;
  const t = verify(tampered);
  assert.ok(!t.ok && ['bad-signature', 'malformed'].includes(t.reason));
});

test('fail/another serial, expired, future and no-nextUpdate-too-old responses, error statuses, garbage', () => {
  const other = verify(response({ serialHex: '0abc' }));
  assert.equal(other.ok ? 'ok' : other.reason, 'cert-not-in-response');
  const expired = verify(response({ thisUpdate: new Date(now.getTime() - 2 * DAY), nextUpdate: new Date(now.getTime() - DAY) }));
  assert.equal(expired.ok ? 'ok' : expired.reason, 'expired');
  const future = verify(response({ thisUpdate: new Date(now.getTime() + DAY), nextUpdate: new Date(now.getTime() + 2 * DAY) }));
  assert.equal(future.ok ? 'ok' : future.reason, 'not-yet-valid');
  const oldNoNext = verify(response({ thisUpdate: new Date(now.getTime() - 2 * 3_600_000), nextUpdate: null }));
  assert.equal(oldNoNext.ok ? 'ok' : oldNoNext.reason, 'expired');
  const freshNoNext = verify(response({ nextUpdate: null }));
  assert.equal(freshNoNext.ok, true);
  const tryLater = verify(buildOcspErrorResponse('tryLater'));
  assert.deepEqual(tryLater.ok ? 'ok' : [tryLater.reason, tryLater.detail], ['unsuccessful', 'responder answered tryLater']);
  const garbage = verify(Buffer.from('not der at all'));
  assert.equal(garbage.ok ? 'ok' : garbage.reason, 'malformed');
});

test('fail/nonce: echoed nonce accepted, a different one refused, an absent one refused only when required', () => {
  const req = buildOcspRequest(ca.cert, leaf.cert.serialHex);
  assert.equal(verify(response({ nonce: req.nonce! }), { nonce: req.nonce! }).ok, true);
  const other = buildOcspRequest(ca.cert, leaf.cert.serialHex);
  const mismatch = verify(response({ nonce: other.nonce! }), { nonce: req.nonce! });
  assert.equal(mismatch.ok ? 'ok' : mismatch.reason, 'nonce-mismatch');
  assert.equal(verify(response(), { nonce: req.nonce! }).ok, true);
  const required = verify(response(), { nonce: req.nonce!, requireNonce: true });
  assert.equal(required.ok ? 'ok' : required.reason, 'nonce-mismatch');
});
