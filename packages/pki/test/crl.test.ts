// CRL parsing, issuer verification and (issuer, serial) revocation lookup, with CRLs from buildCrl and
// PKI generated in-process with fixed dates. The openssl cross-checks are in crl-openssl.test.ts.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  CrlExtensionOid, buildCertificate, buildCrl, createCertificateAuthority, derBoolean, derSequence, derUtf8String,
  generateKeyPair, isRevoked, issueLeafCertificate, parseCertificate, parseCrl, tlv, toPem, verifyCrlIssuer,
} from '../src/index.js';
import type { CrlParseResult, CrlTemplate, IssuedCertificate, ParsedCertificate, ParsedCrl } from '../src/index.js';

const T0 = new Date('2025-01-01T00:00:00Z');
const caDates = { notBefore: T0, notAfter: new Date('2035-01-01T00:00:00Z') };
const leafDates = { notBefore: T0, notAfter: new Date('2026-01-01T00:00:00Z') };
const THIS_UPDATE = new Date('2025-03-01T12:00:00Z');
const NEXT_UPDATE = new Date('2025-03-08T12:00:00Z');
const REVOKED_AT = new Date('2025-02-15T08:30:00Z');

let caA: IssuedCertificate;
let caB: IssuedCertificate;
let leafA: IssuedCertificate;
let leafB: IssuedCertificate;

function parsed(r: CrlParseResult): ParsedCrl {
  assert.ok(r.ok, r.ok ? '' : `${r.reason}: ${r.detail}`);
  return r.value;
}

function crlOf(issuer: { cert: ParsedCertificate; key: IssuedCertificate['key'] }, extra: Partial<CrlTemplate> = {}): ParsedCrl {
  return parsed(parseCrl(buildCrl({ issuer, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE, revoked: [{ serial: 0x1234n, revocationDate: REVOKED_AT }], ...extra })));
}

function expectParseFailure(r: CrlParseResult, reason: string): void {
  assert.equal(r.ok ? 'ok' : r.reason, reason, r.ok ? 'unexpectedly parsed' : r.detail);
}

function expectVerifyFailure(crl: ParsedCrl, candidates: ParsedCertificate[], reason: string): void {
  const r = verifyCrlIssuer(crl, candidates);
  assert.equal(r.ok ? 'ok' : r.reason, reason, r.ok ? 'unexpectedly verified' : r.detail);
}

/** A CA made from a raw template (shapes createCertificateAuthority refuses to make). */
function customCa(subject: string, extra: { keyUsage?: Array<'keyCertSign' | 'cRLSign' | 'digitalSignature'>; ca?: boolean }): IssuedCertificate {
  const pair = generateKeyPair('p256');
  const der = buildCertificate({
    subject: [['CN', subject]], ...caDates, publicKey: pair.publicKey, signingKey: pair.privateKey,
    basicConstraints: { ca: extra.ca ?? true, critical: true }, ...(extra.keyUsage ? { keyUsage: extra.keyUsage } : {}),
  });
  const r = parseCertificate(der);
  assert.ok(r.ok);
  return { cert: r.value, der, pem: toPem('CERTIFICATE', der), key: pair.privateKey, keyPem: '' };
}

before(() => {
  caA = createCertificateAuthority({ subject: [['O', 'Mooring'], ['CN', 'CA A']], ...caDates });
  caB = createCertificateAuthority({ subject: [['O', 'Mooring'], ['CN', 'CA B']], ...caDates, key: 'rsa2048' });
  // The same serial from two CAs: only the issuer's CRL may revoke each (style-anchors §9.3).
  leafA = issueLeafCertificate(caA, { subject: [['CN', 'workload-a']], ...leafDates, serial: 0x1234n });
  leafB = issueLeafCertificate(caB, { subject: [['CN', 'workload-b']], ...leafDates, serial: 0x1234n });
});

describe('parseCrl', () => {
  test('ok/DER: every field of a built CRL, serial keys in ParsedCertificate.serialHex form', () => {
    const highBit = issueLeafCertificate(caA, { subject: [['CN', 'high-bit']], ...leafDates, serial: 0x80ffn });
    const der = buildCrl({
      issuer: caA, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE, crlNumber: 42n,
      revoked: [
        { serial: 0x1234n, revocationDate: REVOKED_AT, reason: 1 },
        { serial: Buffer.from([0x00, 0x80, 0xff]), revocationDate: new Date('2025-02-28T23:59:59Z') },
        { serial: '0x0A:BC', revocationDate: new Date('2060-01-31T00:00:00Z'), reason: 0 },
      ],
    });
    const input = Buffer.from(der);
    const crl = parsed(parseCrl(input));
    input.fill(0); // the parsed CRL must not alias the caller's buffer
    assert.ok(crl.der.equals(der));
    assert.equal(crl.version, 2);
    assert.ok(crl.issuer.der.equals(caA.cert.subject.der));
    assert.equal(crl.thisUpdate.getTime(), THIS_UPDATE.getTime());
    assert.equal(crl.nextUpdate?.getTime(), NEXT_UPDATE.getTime());
    assert.equal(crl.crlNumber, 42n);
    assert.ok(crl.authorityKeyId?.equals(caA.cert.subjectKeyId!));
    assert.equal(crl.signatureAlgorithm.scheme, 'ecdsa');
    assert.deepEqual(crl.unknownCriticalExtensions, []);
    assert.deepEqual([...crl.revoked.keys()], ['1234', highBit.cert.serialHex, '0abc']);
    assert.deepEqual(crl.revoked.get('1234'), { serialHex: '1234', revocationDate: REVOKED_AT, reason: 1 });
    // 2025-02-28 takes the fast date path's fallback (day > 28), 2060 is GeneralizedTime (RFC 5280 §5.1.2.6).
    assert.equal(crl.revoked.get('80ff')?.revocationDate.toISOString(), '2025-02-28T23:59:59.000Z');
    assert.deepEqual(crl.revoked.get('0abc'), { serialHex: '0abc', revocationDate: new Date('2060-01-31T00:00:00Z') });
    assert.ok(isRevoked(crl, highBit.cert));
  });

  test('ok/PEM with text around it, same result as DER', () => {
    const der = buildCrl({ issuer: caA, thisUpdate: THIS_UPDATE, revoked: [{ serial: 7n, revocationDate: REVOKED_AT }] });
    const text = `Certificate Revocation List (CRL):\n  Issuer: O=Mooring, CN=CA A\n${toPem('X509 CRL', der)}trailing words\n`;
    const crl = parsed(parseCrl(Buffer.from(text)));
    assert.ok(crl.der.equals(der));
    assert.equal(crl.nextUpdate, undefined);
    assert.deepEqual([...crl.revoked.keys()], ['07']);
  });

  test('ok/no revoked certificates: the list is absent and the map empty', () => {
    const crl = parsed(parseCrl(buildCrl({ issuer: caA, thisUpdate: THIS_UPDATE, revoked: [] })));
    assert.equal(crl.revoked.size, 0);
    assert.equal(isRevoked(crl, leafA.cert), false);
  });

  test('fail/malformed: garbage, empty, truncated, bad PEM body, two CRL blocks', () => {
    const good = buildCrl({ issuer: caA, thisUpdate: THIS_UPDATE, revoked: [] });
    expectParseFailure(parseCrl(Buffer.from('this is not a CRL at all')), 'malformed');
    expectParseFailure(parseCrl(Buffer.concat([Buffer.from([0x30]), randomBytes(500)])), 'malformed');
    expectParseFailure(parseCrl(new Uint8Array(0)), 'malformed');
    expectParseFailure(parseCrl(good.subarray(0, good.length - 5)), 'malformed');
    expectParseFailure(parseCrl(Buffer.concat([good, Buffer.from([0])])), 'malformed');
    expectParseFailure(parseCrl(Buffer.from('-----BEGIN X509 CRL-----\n!!!notbase64!!!\n-----END X509 CRL-----\n')), 'malformed');
    expectParseFailure(parseCrl(Buffer.from(toPem('X509 CRL', randomBytes(64)))), 'malformed');
    expectParseFailure(parseCrl(Buffer.from(toPem('X509 CRL', good) + toPem('X509 CRL', good))), 'malformed');
  });

  test('fail/not-a-crl: a certificate as PEM or DER', () => {
    expectParseFailure(parseCrl(Buffer.from(leafA.pem)), 'not-a-crl');
    expectParseFailure(parseCrl(leafA.der), 'not-a-crl');
    expectParseFailure(parseCrl(caB.der), 'not-a-crl');
  });

  test('fail/too-large: 300,001 bytes (service-spec §7), whatever the content; 300,000 is allowed', () => {
    expectParseFailure(parseCrl(Buffer.alloc(300_001)), 'too-large');
    const pem = toPem('X509 CRL', buildCrl({ issuer: caA, thisUpdate: THIS_UPDATE, revoked: [] }));
    expectParseFailure(parseCrl(Buffer.from(pem.padEnd(300_001, ' '))), 'too-large');
    assert.ok(parseCrl(Buffer.from(pem.padEnd(300_000, ' '))).ok);
    const der = buildCrl({ issuer: caA, thisUpdate: THIS_UPDATE, revoked: [] });
    expectParseFailure(parseCrl(der, { maxBytes: der.length - 1 }), 'too-large');
    assert.ok(parseCrl(der, { maxBytes: der.length }).ok);
  });
});

describe('verifyCrlIssuer', () => {
  test('ok/the issuing CA is found among the anchor certificates', () => {
    const r = verifyCrlIssuer(crlOf(caA), [caB.cert, caA.cert]);
    assert.ok(r.ok, r.ok ? '' : r.detail);
    assert.equal(r.issuer, caA.cert);
    const rsa = verifyCrlIssuer(crlOf(caB, { hash: 'sha512' }), [caA.cert, caB.cert]);
    assert.ok(rsa.ok && rsa.issuer === caB.cert);
  });

  test('ok/a CA without keyUsage may sign CRLs (RFC 5280 §4.2.1.3: absent means unrestricted)', () => {
    const noKu = customCa('No KU CA', {});
    assert.ok(verifyCrlIssuer(crlOf(noKu), [noKu.cert]).ok);
  });

  test('fail/issuer-not-in-anchor: a CRL of another CA, or of a same-named CA with another key (AKI/SKI)', () => {
    expectVerifyFailure(crlOf(caB), [caA.cert], 'issuer-not-in-anchor');
    expectVerifyFailure(crlOf(caA), [], 'issuer-not-in-anchor');
    const impostor = createCertificateAuthority({ subject: [['O', 'Mooring'], ['CN', 'CA A']], ...caDates });
    expectVerifyFailure(crlOf(impostor), [caA.cert], 'issuer-not-in-anchor');
  });

  test('fail/bad-signature: forged signature, other key, edited entry', () => {
    const der = buildCrl({ issuer: caB, thisUpdate: THIS_UPDATE, revoked: [{ serial: 0x1234n, revocationDate: REVOKED_AT }] });
    const flipped = Buffer.from(der);
    flipped[flipped.length - 1]! ^= 0x01;
    expectVerifyFailure(parsed(parseCrl(flipped)), [caB.cert], 'bad-signature');
    // Claims CA A (name and AKI) but is signed with CA B's key.
    expectVerifyFailure(crlOf({ cert: caA.cert, key: caB.key }), [caA.cert], 'bad-signature');
    // Un-revoking by editing the serial inside a signed CRL: 02 02 12 34 -> 02 02 12 35.
    const edited = Buffer.from(der);
    const at = edited.indexOf(Buffer.from([0x02, 0x02, 0x12, 0x34]));
    assert.ok(at > 0);
    edited[at + 3] = 0x35;
    const crl = parsed(parseCrl(edited));
    assert.ok(crl.revoked.has('1235'));
    expectVerifyFailure(crl, [caB.cert], 'bad-signature');
  });

  test('fail/issuer-cannot-sign-crl: keyUsage without cRLSign, or not a CA', () => {
    const noCrlSign = customCa('No cRLSign CA', { keyUsage: ['keyCertSign'] });
    expectVerifyFailure(crlOf(noCrlSign), [noCrlSign.cert], 'issuer-cannot-sign-crl');
    const notCa = customCa('Not A CA', { ca: false, keyUsage: ['cRLSign', 'digitalSignature'] });
    expectVerifyFailure(crlOf(notCa), [notCa.cert], 'issuer-cannot-sign-crl');
  });

  test('fail/next-update-before-this-update', () => {
    const crl = crlOf(caA, { thisUpdate: NEXT_UPDATE, nextUpdate: THIS_UPDATE });
    expectVerifyFailure(crl, [caA.cert], 'next-update-before-this-update');
    assert.ok(verifyCrlIssuer(crlOf(caA, { nextUpdate: THIS_UPDATE }), [caA.cert]).ok, 'equal times are allowed');
  });

  test('fail/unknown-critical-extension: unknown critical, delta CRL, indirect CRL; non-critical unknown is ignored', () => {
    const unknown = { oid: '1.3.6.1.4.1.99999.1', critical: true, valueDer: derUtf8String('x') };
    const crl = crlOf(caA, { extraExtensions: [unknown] });
    assert.deepEqual(crl.unknownCriticalExtensions, ['1.3.6.1.4.1.99999.1']);
    expectVerifyFailure(crl, [caA.cert], 'unknown-critical-extension');
    assert.ok(verifyCrlIssuer(crlOf(caA, { extraExtensions: [{ ...unknown, critical: false }] }), [caA.cert]).ok);
    const delta = { oid: CrlExtensionOid.deltaCRLIndicator, critical: true, valueDer: Buffer.from([0x02, 0x01, 0x05]) };
    expectVerifyFailure(crlOf(caA, { extraExtensions: [delta] }), [caA.cert], 'unknown-critical-extension');
    // IssuingDistributionPoint { indirectCRL [4] TRUE } (RFC 5280 §5.2.5) vs { onlyContainsUserCerts [1] TRUE }.
    const idp = (tag: number): { oid: string; critical: boolean; valueDer: Buffer } => ({
      oid: CrlExtensionOid.issuingDistributionPoint, critical: true, valueDer: derSequence([tlv(tag, derBoolean(true).subarray(2))]),
    });
    expectVerifyFailure(crlOf(caA, { extraExtensions: [idp(0x84)] }), [caA.cert], 'unknown-critical-extension');
    assert.ok(verifyCrlIssuer(crlOf(caA, { extraExtensions: [idp(0x81)] }), [caA.cert]).ok);
  });
});

describe('isRevoked', () => {
  test('ok/keyed by (issuer, serial): the same serial from another CA is not revoked', () => {
    assert.equal(leafA.cert.serialHex, leafB.cert.serialHex);
    const crlA = crlOf(caA);
    assert.ok(verifyCrlIssuer(crlA, [caA.cert, caB.cert]).ok);
    assert.equal(isRevoked(crlA, leafA.cert), true);
    assert.equal(isRevoked(crlA, leafB.cert), false);
    const other = issueLeafCertificate(caA, { subject: [['CN', 'workload-a2']], ...leafDates, serial: 0x1235n });
    assert.equal(isRevoked(crlA, other.cert), false);
  });

  test('ok/an intermediate CA listed by its parent is revoked', () => {
    const inter = createCertificateAuthority({ subject: [['CN', 'Intermediate']], ...caDates, issuer: caA });
    const crl = parsed(parseCrl(buildCrl({ issuer: caA, thisUpdate: THIS_UPDATE, revoked: [{ serial: inter.cert.serial, revocationDate: REVOKED_AT }] })));
    assert.ok(isRevoked(crl, inter.cert));
  });

  test('ok/10,000 entries parse in well under 50 ms and each check is a Map lookup', () => {
    const target = issueLeafCertificate(caB, { subject: [['CN', 'listed']], ...leafDates, serial: 5_000n * 0x10001n });
    const revoked = Array.from({ length: 10_000 }, (_, i) => ({
      serial: BigInt(i + 1) * 0x10001n, revocationDate: new Date(REVOKED_AT.getTime() + i * 60_000),
    }));
    const der = buildCrl({ issuer: caB, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE, revoked });
    assert.ok(der.length <= 300_000, `${der.length} bytes`);
    // Speed is measured by benchmarks, not asserted here; this checks the shape that makes the
    // per-request cost a lookup: one Map keyed by serial.
    const crl: ParsedCrl = parsed(parseCrl(der));
    assert.ok(crl.revoked instanceof Map);
    assert.equal(crl!.revoked.size, 10_000);
    assert.equal(crl!.revoked.get('27102710')?.revocationDate.getTime(), REVOKED_AT.getTime() + 9_999 * 60_000);
    assert.ok(verifyCrlIssuer(crl!, [caB.cert]).ok);
    assert.equal(isRevoked(crl!, target.cert), true);
    assert.equal(isRevoked(crl!, leafA.cert), false);
  });
});
