// parseCertificate on built certificates (field round trip) and on malformed input (never throws).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import {
  buildCertificate, buildCrl, createCertificateAuthority, isRevoked, parseCrl, createTestPki, derBoolean, derOid, derSequence, generateKeyPair, issueLeafCertificate,
  keyIdentifier, parseCertificate, parseCertificatePem, toPem, verifyCertificateSignature,
} from '../src/index.js';
import type { CertificateTemplate, ParsedCertificate } from '../src/index.js';

const notBefore = new Date('2025-01-01T00:00:00Z');
const notAfter = new Date('2026-01-01T00:00:00Z');

function parseOk(der: Uint8Array): ParsedCertificate {
  const r = parseCertificate(der);
  assert.ok(r.ok, r.ok ? '' : r.detail);
  return r.value;
}

function expectMalformed(der: Uint8Array): string {
  let r;
  assert.doesNotThrow(() => (r = parseCertificate(der)));
  const res = r as unknown as ReturnType<typeof parseCertificate>;
  assert.equal(res.ok, false);
  return res.ok ? '' : res.detail;
}

const ca = createCertificateAuthority({ subject: [['C', 'US'], ['O', 'Example'], ['CN', 'Test CA']], notBefore, notAfter: new Date('2035-01-01Z'), pathLen: 1 });

describe('parseCertificate: built certificates round-trip', () => {
  test('ok/every template field comes back', () => {
    const pair = generateKeyPair('p384');
    const tpl: CertificateTemplate = {
      subject: [['C', 'US'], ['O', 'Example'], ['OU', 'Eng'], ['CN', 'svc']],
      issuerDer: ca.cert.subject.der,
      serial: 0x80n,
      notBefore,
      notAfter: new Date('2050-06-01T12:00:00Z'), // GeneralizedTime from 2050
      publicKey: pair.publicKey,
      signingKey: ca.key,
      hash: 'sha384',
      basicConstraints: { ca: false, critical: false },
      keyUsage: ['digitalSignature', 'keyAgreement'],
      keyUsageCritical: false,
      extKeyUsage: ['clientAuth', 'serverAuth', '1.3.6.1.4.1.99999.2'],
      subjectAltNames: [{ dns: 'svc.example.com' }, { uri: 'spiffe://example.com/svc' }, { ip: '2001:db8::1' }, { ip: '10.0.0.1' }, { email: 'svc@example.com' }, { dirName: [['O', 'Example'], ['CN', 'Alice']] }],
      authorityKeyId: ca.cert.subjectKeyId!,
      crlDistributionPoints: ['http://crl.example.com/a.crl', 'http://crl2.example.com/b.crl'],
    };
    const c = parseOk(buildCertificate(tpl));
    assert.equal(c.version, 3);
    assert.equal(c.serialHex, '80');
    assert.equal(c.serialDecimal, '128');
    assert.deepEqual([...c.serial], [0x80]);
    assert.equal(c.notAfter.toISOString(), '2050-06-01T12:00:00.000Z');
    assert.equal(c.notBefore.getTime(), notBefore.getTime());
    assert.deepEqual(c.signatureAlgorithm, { oid: '1.2.840.10045.4.3.3', hash: 'sha384', scheme: 'ecdsa' });
    assert.equal(c.keyType, 'ec');
    assert.equal(c.ecCurve, 'P-384');
    assert.equal(c.keyBits, 384);
    assert.deepEqual(c.basicConstraints, { ca: false, critical: false });
    assert.deepEqual(c.keyUsage, {
      digitalSignature: true, nonRepudiation: false, keyEncipherment: false, dataEncipherment: false, keyAgreement: true, keyCertSign: false, cRLSign: false, critical: false,
    });
    assert.deepEqual(c.extKeyUsage, ['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1', '1.3.6.1.4.1.99999.2']);
    assert.deepEqual(c.subjectAltNames.map(({ type, value }) => ({ type, value })), [
      { type: 'dns', value: 'svc.example.com' }, { type: 'uri', value: 'spiffe://example.com/svc' }, { type: 'ip', value: '2001:db8::1' },
      { type: 'ip', value: '10.0.0.1' }, { type: 'email', value: 'svc@example.com' }, { type: 'dirName', value: 'CN=Alice,O=Example' },
    ]);
    assert.equal(c.subjectAltNames[5]!.name!.rdns.length, 2);
    assert.deepEqual(c.crlDistributionPoints, tpl.crlDistributionPoints);
    assert.ok(c.subjectKeyId!.equals(keyIdentifier(c.spki)));
    assert.ok(c.authorityKeyId!.equals(ca.cert.subjectKeyId!));
    assert.equal(c.fingerprint256, createHash('sha256').update(c.der).digest('hex'));
    assert.ok(c.issuer.der.equals(ca.cert.subject.der));
    assert.equal(verifyCertificateSignature(c, ca.cert.publicKey), true);
    assert.equal(new X509Certificate(c.der).verify(ca.cert.publicKey), true);
    assert.deepEqual(c.unknownCriticalExtensions, []);
  });

  test('ok/CA defaults: critical CA:TRUE with pathLen, keyCertSign+cRLSign, self-issued AKI = SKI', () => {
    assert.deepEqual(ca.cert.basicConstraints, { ca: true, pathLen: 1, critical: true });
    assert.equal(ca.cert.keyUsage?.keyCertSign, true);
    assert.equal(ca.cert.keyUsage?.cRLSign, true);
    assert.equal(ca.cert.keyUsage?.critical, true);
    assert.ok(ca.cert.authorityKeyId!.equals(ca.cert.subjectKeyId!));
    assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(parseCertificatePem(ca.pem).ok, true);
  });

  test('ok/leaf defaults: critical CA:FALSE and critical digitalSignature (AWS v3_cert), given serial', () => {
    const leaf = issueLeafCertificate(ca, { subject: [['CN', 'myContainer']], notBefore, notAfter, serial: 4096n, key: 'rsa2048' });
    assert.deepEqual(leaf.cert.basicConstraints, { ca: false, critical: true });
    assert.equal(leaf.cert.keyUsage?.digitalSignature, true);
    assert.equal(leaf.cert.keyUsage?.critical, true);
    assert.equal(leaf.cert.serialDecimal, '4096');
    assert.equal(leaf.cert.serialHex, '1000');
    assert.equal(leaf.cert.keyType, 'rsa');
    assert.equal(leaf.cert.keyBits, 2048);
    assert.deepEqual(leaf.cert.signatureAlgorithm, { oid: '1.2.840.10045.4.3.2', hash: 'sha256', scheme: 'ecdsa' }); // signed by the P-256 CA
    assert.ok(leaf.cert.authorityKeyId!.equals(ca.cert.subjectKeyId!));
    assert.equal(leaf.cert.publicKey.asymmetricKeyType, 'rsa');
  });

  test('ok/default serials are random, positive, 16 bytes; negative and Buffer serials', () => {
    const a = issueLeafCertificate(ca, { subject: [['CN', 'a']], notBefore, notAfter });
    const b = issueLeafCertificate(ca, { subject: [['CN', 'b']], notBefore, notAfter });
    assert.equal(a.cert.serial.length, 16);
    assert.notEqual(a.cert.serialHex, b.cert.serialHex);
    assert.equal(BigInt(a.cert.serialDecimal) > 0n, true);
    const pair = generateKeyPair('p256');
    const neg = parseOk(buildCertificate({ subject: [['CN', 'n']], serial: -5n, notBefore, notAfter, publicKey: pair.publicKey, signingKey: pair.privateKey }));
    assert.equal(neg.serialDecimal, '-5');
    // The sign stays in the hex key: -5 and +5 are different certificates (revocation, subjects).
    assert.equal(neg.serialHex, '-05');
    const pos = parseOk(buildCertificate({ subject: [['CN', 'p']], issuer: [['CN', 'n']], serial: 5n, notBefore, notAfter, publicKey: pair.publicKey, signingKey: pair.privateKey }));
    assert.equal(pos.serialHex, '05');
    const crl = parseCrl(buildCrl({ issuer: { cert: neg, key: pair.privateKey }, thisUpdate: notBefore, nextUpdate: notAfter, revoked: [{ serial: -5n, revocationDate: notBefore }] }));
    assert.ok(crl.ok);
    assert.deepEqual([...crl.value.revoked.keys()], ['-05']);
    assert.equal(isRevoked(crl.value, neg), true);
    assert.equal(isRevoked(crl.value, pos), false, 'a CRL listing -5 does not revoke +5');
    const buf = parseOk(buildCertificate({ subject: [['CN', 'n']], serial: Buffer.from('00ff01', 'hex'), notBefore, notAfter, publicKey: pair.publicKey, signingKey: pair.privateKey }));
    assert.equal(buf.serialHex, 'ff01');
    assert.equal(buf.serialDecimal, '65281');
  });

  test('ok/Ed25519 signatures verify; fail/wrong key or key type does not', () => {
    const ed = generateKeyPairSync('ed25519');
    const c = parseOk(buildCertificate({ subject: [['CN', 'ed']], notBefore, notAfter, publicKey: ed.publicKey, signingKey: ed.privateKey }));
    assert.equal(c.signatureAlgorithm.scheme, 'ed25519');
    assert.equal(c.keyType, 'ed25519');
    assert.equal(verifyCertificateSignature(c, ed.publicKey), true);
    assert.equal(verifyCertificateSignature(c, generateKeyPairSync('ed25519').publicKey), false);
    assert.equal(verifyCertificateSignature(c, ca.cert.publicKey), false);
    assert.equal(verifyCertificateSignature(ca.cert, ed.publicKey), false);
  });

  test('ok/v1 certificates carry no version field or extensions; parse copies its input', () => {
    const pair = generateKeyPair('p256');
    const der = buildCertificate({ subject: [['CN', 'v1']], notBefore, notAfter, publicKey: pair.publicKey, signingKey: pair.privateKey, version: 1, keyUsage: ['digitalSignature'] });
    const c = parseOk(der);
    assert.equal(c.version, 1);
    assert.equal(c.keyUsage, undefined);
    assert.equal(c.subjectKeyId, undefined);
    der.fill(0);
    assert.notEqual(c.der[0], 0);
  });

  test('ok/createTestPki builds a root and a leaf that validate', () => {
    const pki = createTestPki({ notBefore, subjectAltNames: [{ dns: 'x.example' }] });
    assert.equal(verifyCertificateSignature(pki.leaf.cert, pki.root.cert.publicKey), true);
    assert.equal(pki.bundlePem, pki.root.pem);
    assert.equal(pki.leaf.cert.subjectAltNames[0]!.value, 'x.example');
  });
});

describe('parseCertificate: malformed input never throws', () => {
  const good = issueLeafCertificate(ca, { subject: [['CN', 'victim']], notBefore, notAfter, subjectAltNames: [{ dns: 'a.example' }] }).der;

  test('fail/every truncation of a valid certificate', () => {
    for (let len = 0; len < good.length; len++) expectMalformed(good.subarray(0, len));
  });

  test('fail/random bytes, random DER-looking headers and huge lengths', () => {
    for (let i = 0; i < 300; i++) expectMalformed(randomBytes(1 + (i % 64)));
    for (let i = 0; i < 300; i++) expectMalformed(Buffer.concat([Buffer.from([0x30, 0x82]), randomBytes(2 + i)]));
    assert.match(expectMalformed(Buffer.from('3084ffffffff3000', 'hex')), /past its container/);
    assert.match(expectMalformed(Buffer.from('30890100000000000000003000', 'hex')), /length too large/);
    assert.match(expectMalformed(Buffer.from('308030000000', 'hex')), /indefinite/);
  });

  test('fail/trailing data after the certificate', () => {
    assert.match(expectMalformed(Buffer.concat([good, Buffer.from([0])])), /trailing/);
  });

  test('fail/single-byte corruption anywhere never throws, at parse or on first use of the key', () => {
    for (let i = 0; i < good.length; i++) {
      const bad = Buffer.from(good);
      bad[i]! ^= 0xff;
      assert.doesNotThrow(() => {
        const r = parseCertificate(bad);
        if (r.ok) void r.value.publicKey.asymmetricKeyType;
      });
    }
  });

  test('fail/an EC point off its curve is malformed at parse time (RFC 5480 §2.2)', () => {
    const spki = parseOk(good).spki;
    const at = Buffer.from(good).indexOf(spki);
    assert.ok(at > 0);
    for (const flip of [1, 2, 0x80]) {
      const bad = Buffer.from(good);
      // The last byte of the uncompressed point's y coordinate: the point leaves the curve.
      bad[at + spki.length - 1]! ^= flip;
      assert.match(expectMalformed(bad), /subjectPublicKeyInfo is not a usable public key/);
    }
  });

  test('fail/signature algorithm mismatch, duplicate extension, non-DER critical flag', () => {
    const pair = generateKeyPair('p256');
    const base = { subject: [['CN', 'x']] as Array<[string, string]>, notBefore, notAfter, publicKey: pair.publicKey, signingKey: pair.privateKey };
    // Outer algorithm differs from the TBS one: swap ecdsa-with-SHA256 for SHA384 in the outer copy only.
    const der = Buffer.from(buildCertificate(base));
    const oidSha256 = Buffer.from('06082a8648ce3d040302', 'hex');
    const last = der.lastIndexOf(oidSha256);
    der[last + oidSha256.length - 1] = 0x03;
    assert.match(expectMalformed(der), /signature algorithm mismatch/);
    const dup = { oid: '1.3.6.1.4.1.99999.5', critical: false, valueDer: derSequence([]) };
    assert.match(expectMalformed(buildCertificate({ ...base, extraExtensions: [dup, dup] })), /duplicate extension/);
    // critical BOOLEAN encoded as 0x01 instead of 0xFF.
    const withCrit = Buffer.from(buildCertificate({ ...base, extraExtensions: [{ ...dup, critical: true }] }));
    const marker = Buffer.concat([derOid(dup.oid), derBoolean(true)]);
    const at = withCrit.indexOf(marker);
    withCrit[at + marker.length - 1] = 0x01;
    assert.match(expectMalformed(withCrit), /BOOLEAN/);
  });

  test('fail/parseCertificatePem: no block, and a malformed block', () => {
    assert.equal(parseCertificatePem('hello').ok, false);
    const r = parseCertificatePem(toPem('CERTIFICATE', good) + toPem('CERTIFICATE', Buffer.from('300100', 'hex')));
    assert.ok(!r.ok);
    assert.match(r.ok ? '' : r.detail, /^certificate 2:/);
    const two = parseCertificatePem(toPem('CERTIFICATE', good) + toPem('PRIVATE KEY', Buffer.from('3000', 'hex')) + ca.pem);
    assert.ok(two.ok && two.value.length === 2);
  });
});
