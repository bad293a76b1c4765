// validatePath decision table: one `ok/...` or `fail/<reason>` case per row, PKI generated in-process
// with fixed dates.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  buildCertificate, checkTrustAnchorCertificate, createCertificateAuthority, derSequence, generateKeyPair, issueLeafCertificate,
  parseCertificate, validatePath,
} from '../src/index.js';
import type { CertificateTemplate, IssuedCertificate, ParsedCertificate, PathValidationResult } from '../src/index.js';

const T0 = new Date('2025-01-01T00:00:00Z');
const T_CA_END = new Date('2035-01-01T00:00:00Z');
const T_LEAF_END = new Date('2026-01-01T00:00:00Z');
const NOW = new Date('2025-06-01T00:00:00Z');
const dates = { notBefore: T0, notAfter: T_LEAF_END };
const caDates = { notBefore: T0, notAfter: T_CA_END };

function parse(der: Buffer): ParsedCertificate {
  const r = parseCertificate(der);
  assert.ok(r.ok, r.ok ? '' : r.detail);
  return r.value;
}

/** A certificate signed by `issuer` from a raw template (for shapes the helpers refuse to make). */
function custom(issuer: IssuedCertificate | undefined, t: Partial<CertificateTemplate> & { subject: CertificateTemplate['subject'] }): IssuedCertificate {
  const pair = generateKeyPair('p256');
  const tpl: CertificateTemplate = { ...dates, publicKey: pair.publicKey, signingKey: issuer?.key ?? pair.privateKey, ...t };
  if (issuer) {
    tpl.issuerDer = issuer.cert.subject.der;
    if (issuer.cert.subjectKeyId) tpl.authorityKeyId ??= issuer.cert.subjectKeyId;
  }
  const der = buildCertificate(tpl);
  return { cert: parse(der), der, pem: '', key: pair.privateKey, keyPem: '' };
}

function expectFail(r: PathValidationResult, reason: string, certificate?: string): void {
  assert.equal(r.ok ? 'ok' : r.reason, reason, r.ok ? 'unexpectedly valid' : r.detail);
  if (certificate && !r.ok) assert.equal(r.certificate, certificate, r.detail);
}

function validate(leaf: IssuedCertificate, intermediates: IssuedCertificate[], anchors: IssuedCertificate[], now = NOW): PathValidationResult {
  return validatePath({ leaf: leaf.cert, intermediates: intermediates.map((c) => c.cert), anchors: anchors.map((c) => c.cert), now });
}

const root = createCertificateAuthority({ subject: [['C', 'US'], ['O', 'Example'], ['CN', 'Root CA']], key: 'rsa2048', ...caDates });
const otherRoot = createCertificateAuthority({ subject: [['O', 'Other'], ['CN', 'Other Root']], ...caDates });
const inter = createCertificateAuthority({ subject: [['O', 'Example'], ['CN', 'Issuing CA 1']], ...caDates, issuer: root });
const rsaLeaf = issueLeafCertificate(root, { subject: [['CN', 'rsa-leaf']], key: 'rsa2048', ...dates });
const ecLeaf = issueLeafCertificate(inter, { subject: [['O', 'Example'], ['CN', 'ec-leaf']], ...dates });

describe('validatePath: valid paths', () => {
  test('ok/RSA leaf issued directly by the anchor', () => {
    const r = validate(rsaLeaf, [], [root]);
    assert.ok(r.ok, r.ok ? '' : r.detail);
    assert.deepEqual(r.path.map((c) => c.fingerprint256), [rsaLeaf.cert.fingerprint256, root.cert.fingerprint256]);
    assert.equal(r.anchor, root.cert);
  });

  test('ok/P-256 leaf through one intermediate', () => {
    const r = validate(ecLeaf, [inter], [root]);
    assert.ok(r.ok, r.ok ? '' : r.detail);
    assert.equal(r.path.length, 3);
    assert.equal(r.path[1], inter.cert);
  });

  test('ok/chain containing the leaf, the root and a duplicate, in any order', () => {
    const r = validate(ecLeaf, [root, inter, ecLeaf, inter], [root]);
    assert.ok(r.ok, r.ok ? '' : r.detail);
    assert.deepEqual(r.path.map((c) => c.fingerprint256), [ecLeaf, inter, root].map((c) => c.cert.fingerprint256));
  });

  test('ok/two anchors, the path ends at the second', () => {
    const r = validate(ecLeaf, [inter], [otherRoot, root]);
    assert.ok(r.ok, r.ok ? '' : r.detail);
    assert.equal(r.anchor, root.cert);
  });

  test('ok/the anchor is an intermediate CA (no root needed)', () => {
    const r = validate(ecLeaf, [], [inter]);
    assert.ok(r.ok, r.ok ? '' : r.detail);
    assert.equal(r.anchor, inter.cert);
  });

  test('ok/leaf without basicConstraints, valid at the exact notAfter instant', () => {
    const leaf = issueLeafCertificate(root, { subject: [['CN', 'no-bc']], ...dates, basicConstraints: null });
    assert.ok(validate(leaf, [], [root], T_LEAF_END).ok);
  });

  test('ok/pathLen 0 intermediate issuing a leaf, and 5 intermediates (the maximum)', () => {
    const i0 = createCertificateAuthority({ subject: [['CN', 'PathLen0']], ...caDates, pathLen: 0, issuer: root });
    assert.ok(validate(issueLeafCertificate(i0, { subject: [['CN', 'l']], ...dates }), [i0], [root]).ok);
    const chain: IssuedCertificate[] = [];
    let parent = root;
    for (let i = 0; i < 5; i++) chain.push((parent = createCertificateAuthority({ subject: [['CN', `I${i}`]], ...caDates, issuer: parent })));
    const leaf = issueLeafCertificate(parent, { subject: [['CN', 'deep']], ...dates });
    const r = validate(leaf, [...chain].reverse(), [root]);
    assert.ok(r.ok, r.ok ? '' : r.detail);
    assert.equal(r.path.length, 7);
  });
});

describe('validatePath: leaf profile (checked before path building)', () => {
  test('fail/not-v3 (v1 leaf)', () => {
    expectFail(validate(custom(root, { subject: [['CN', 'v1']], version: 1 }), [], [root]), 'not-v3', 'leaf');
  });
  test('fail/empty-subject', () => {
    expectFail(validate(custom(root, { subject: [], keyUsage: ['digitalSignature'], subjectAltNames: [{ dns: 'x.example' }] }), [], [root]), 'empty-subject', 'leaf');
  });
  test('fail/leaf-is-ca (CA:TRUE leaf)', () => {
    const leaf = issueLeafCertificate(root, { subject: [['CN', 'ca-leaf']], ...dates, basicConstraints: { ca: true } });
    expectFail(validate(leaf, [], [root]), 'leaf-is-ca', 'leaf');
  });
  test('fail/leaf-missing-digital-signature (keyUsage without it, and keyUsage absent)', () => {
    const wrong = issueLeafCertificate(root, { subject: [['CN', 'ke']], ...dates, keyUsage: ['keyEncipherment'] });
    expectFail(validate(wrong, [], [root]), 'leaf-missing-digital-signature', 'leaf');
    expectFail(validate(custom(root, { subject: [['CN', 'no-ku']], basicConstraints: { ca: false } }), [], [root]), 'leaf-missing-digital-signature');
  });
  test('fail/weak-signature-algorithm (SHA-1 signed leaf)', () => {
    const leaf = issueLeafCertificate(root, { subject: [['CN', 'sha1']], ...dates, hash: 'sha1' });
    assert.equal(leaf.cert.signatureAlgorithm.hash, 'sha1');
    expectFail(validate(leaf, [], [root]), 'weak-signature-algorithm', 'leaf');
  });
  test('fail/weak-key (RSA-1024 leaf)', () => {
    const leaf = issueLeafCertificate(root, { subject: [['CN', 'rsa1024']], key: 'rsa1024', ...dates });
    expectFail(validate(leaf, [], [root]), 'weak-key', 'leaf');
  });
  test('fail/unsupported-key (Ed25519 and secp256k1 leaves)', () => {
    for (const pair of [generateKeyPairSync('ed25519'), generateKeyPairSync('ec', { namedCurve: 'secp256k1' })]) {
      const leaf = custom(root, { subject: [['CN', 'odd-key']], publicKey: pair.publicKey, keyUsage: ['digitalSignature'] });
      expectFail(validate(leaf, [], [root]), 'unsupported-key', 'leaf');
    }
  });
  test('fail/expired leaf and fail/not-yet-valid leaf', () => {
    expectFail(validate(rsaLeaf, [], [root], new Date('2026-01-01T00:00:01Z')), 'expired', 'leaf');
    expectFail(validate(rsaLeaf, [], [root], new Date('2024-12-31T23:59:59Z')), 'not-yet-valid', 'leaf');
  });
  test('fail/unknown-critical-extension on the leaf', () => {
    const leaf = issueLeafCertificate(root, {
      subject: [['CN', 'crit']], ...dates, extraExtensions: [{ oid: '1.3.6.1.4.1.99999.1', critical: true, valueDer: derSequence([]) }],
    });
    assert.deepEqual(leaf.cert.unknownCriticalExtensions, ['1.3.6.1.4.1.99999.1']);
    expectFail(validate(leaf, [], [root]), 'unknown-critical-extension', 'leaf');
    const nonCritical = issueLeafCertificate(root, {
      subject: [['CN', 'noncrit']], ...dates, extraExtensions: [{ oid: '1.3.6.1.4.1.99999.1', critical: false, valueDer: derSequence([]) }],
    });
    assert.ok(validate(nonCritical, [], [root]).ok);
  });
});

describe('validatePath: issuers and path', () => {
  test('fail/expired intermediate and fail/expired anchor', () => {
    const oldInter = createCertificateAuthority({ subject: [['CN', 'Old Issuing']], notBefore: T0, notAfter: new Date('2025-03-01Z'), issuer: root });
    expectFail(validate(issueLeafCertificate(oldInter, { subject: [['CN', 'l']], ...dates }), [oldInter], [root]), 'expired', 'intermediate');
    const oldRoot = createCertificateAuthority({ subject: [['CN', 'Old Root']], notBefore: T0, notAfter: new Date('2025-03-01Z') });
    expectFail(validate(issueLeafCertificate(oldRoot, { subject: [['CN', 'l']], ...dates }), [], [oldRoot]), 'expired', 'anchor');
  });
  test('fail/not-yet-valid intermediate', () => {
    const future = createCertificateAuthority({ subject: [['CN', 'Future']], notBefore: new Date('2025-09-01Z'), notAfter: T_CA_END, issuer: root });
    expectFail(validate(issueLeafCertificate(future, { subject: [['CN', 'l']], ...dates }), [future], [root]), 'not-yet-valid', 'intermediate');
  });
  test('fail/untrusted-issuer (leaf from another CA, missing intermediate, same-named impostor CA)', () => {
    expectFail(validate(issueLeafCertificate(otherRoot, { subject: [['CN', 'x']], ...dates }), [], [root]), 'untrusted-issuer');
    expectFail(validate(ecLeaf, [], [root]), 'untrusted-issuer', 'leaf');
    expectFail(validatePath({ leaf: ecLeaf.cert, intermediates: [], anchors: [], now: NOW }), 'untrusted-issuer');
    // Same subject name as `root`, different key: AKI/SKI disagree, so it is not even a candidate.
    const impostor = createCertificateAuthority({ subject: [['C', 'US'], ['O', 'Example'], ['CN', 'Root CA']], ...caDates });
    expectFail(validate(issueLeafCertificate(impostor, { subject: [['CN', 'evil']], ...dates }), [], [root]), 'untrusted-issuer');
  });
  test('fail/bad-signature (tampered leaf, impostor without key identifiers)', () => {
    const der = Buffer.from(rsaLeaf.der);
    der[der.length - 5]! ^= 0x01; // inside the signature BIT STRING
    const tampered = parse(der);
    expectFail(validatePath({ leaf: tampered, intermediates: [], anchors: [root.cert], now: NOW }), 'bad-signature', 'leaf');
    const realCa = custom(undefined, { subject: [['CN', 'Twin']], ...caDates, basicConstraints: { ca: true }, keyUsage: ['keyCertSign'], subjectKeyId: false });
    const twin = custom(undefined, { subject: [['CN', 'Twin']], ...caDates, basicConstraints: { ca: true }, keyUsage: ['keyCertSign'], subjectKeyId: false });
    const leaf = custom(twin, { subject: [['CN', 'by-twin']], keyUsage: ['digitalSignature'], subjectKeyId: false });
    expectFail(validate(leaf, [], [realCa]), 'bad-signature', 'leaf');
  });
  test('fail/issuer-not-ca (intermediate with CA:FALSE, intermediate without basicConstraints)', () => {
    const notCa = custom(root, { subject: [['CN', 'Not a CA']], ...caDates, basicConstraints: { ca: false }, keyUsage: ['keyCertSign'] });
    expectFail(validate(custom(notCa, { subject: [['CN', 'l']], keyUsage: ['digitalSignature'] }), [notCa], [root]), 'issuer-not-ca', 'intermediate');
    const noBc = custom(root, { subject: [['CN', 'No BC']], ...caDates, keyUsage: ['keyCertSign'] });
    expectFail(validate(custom(noBc, { subject: [['CN', 'l']], keyUsage: ['digitalSignature'] }), [noBc], [root]), 'issuer-not-ca', 'intermediate');
  });
  test('fail/issuer-missing-key-cert-sign', () => {
    const noSign = custom(root, { subject: [['CN', 'No keyCertSign']], ...caDates, basicConstraints: { ca: true }, keyUsage: ['digitalSignature', 'cRLSign'] });
    expectFail(validate(custom(noSign, { subject: [['CN', 'l']], keyUsage: ['digitalSignature'] }), [noSign], [root]), 'issuer-missing-key-cert-sign', 'intermediate');
  });
  test('fail/path-length-exceeded (root pathLen 0 with an intermediate below it)', () => {
    const strictRoot = createCertificateAuthority({ subject: [['CN', 'Strict Root']], ...caDates, pathLen: 0 });
    const i = createCertificateAuthority({ subject: [['CN', 'Under Strict']], ...caDates, issuer: strictRoot });
    expectFail(validate(issueLeafCertificate(i, { subject: [['CN', 'l']], ...dates }), [i], [strictRoot]), 'path-length-exceeded', 'anchor');
    const i0 = createCertificateAuthority({ subject: [['CN', 'I0']], ...caDates, pathLen: 0, issuer: root });
    const i1 = createCertificateAuthority({ subject: [['CN', 'I1']], ...caDates, issuer: i0 });
    expectFail(validate(issueLeafCertificate(i1, { subject: [['CN', 'l']], ...dates }), [i1, i0], [root]), 'path-length-exceeded', 'intermediate');
  });
  test('fail/weak-signature-algorithm and fail/weak-key on an intermediate', () => {
    const sha1Inter = createCertificateAuthority({ subject: [['CN', 'SHA1 Issuing']], ...caDates, issuer: root, hash: 'sha1' });
    expectFail(validate(issueLeafCertificate(sha1Inter, { subject: [['CN', 'l']], ...dates }), [sha1Inter], [root]), 'weak-signature-algorithm', 'intermediate');
    const weakInter = createCertificateAuthority({ subject: [['CN', 'Weak Issuing']], key: 'rsa1024', ...caDates, issuer: root });
    expectFail(validate(issueLeafCertificate(weakInter, { subject: [['CN', 'l']], ...dates }), [weakInter], [root]), 'weak-key', 'intermediate');
  });
  test('fail/unknown-critical-extension on an intermediate (policy constraints are not processed)', () => {
    const nc = custom(root, {
      subject: [['CN', 'Constrained']], ...caDates, basicConstraints: { ca: true }, keyUsage: ['keyCertSign'],
      extraExtensions: [{ oid: '2.5.29.36', critical: true, valueDer: derSequence([Buffer.from([0x80, 0x01, 0x00])]) }],
    });
    expectFail(validate(custom(nc, { subject: [['CN', 'l']], keyUsage: ['digitalSignature'] }), [nc], [root]), 'unknown-critical-extension', 'intermediate');
  });
  test('fail/chain-too-long (6 intermediates)', () => {
    const chain: IssuedCertificate[] = [];
    let parent = root;
    for (let i = 0; i < 6; i++) chain.push((parent = createCertificateAuthority({ subject: [['CN', `Level ${i}`]], ...caDates, issuer: parent })));
    const leaf = issueLeafCertificate(parent, { subject: [['CN', 'too-deep']], ...dates });
    expectFail(validate(leaf, chain, [root]), 'chain-too-long');
    // The same path through the anchor-at-an-intermediate shortcut stays within the limit.
    assert.ok(validate(leaf, chain.slice(1), [chain[0]!]).ok);
  });
  test('fail/untrusted-issuer quickly with many mutually-verifying same-named issuers', () => {
    // Five self-issued CAs sharing one name AND one key: each verifies every other, so without a bound
    // the depth-first search would walk 5! orderings. None chains to the anchor.
    const k = generateKeyPair('p256');
    const twins = Array.from({ length: 5 }, (_, i) =>
      custom(undefined, {
        subject: [['CN', 'Loop']], ...caDates, notAfter: new Date(T_CA_END.getTime() + i * 1000), publicKey: k.publicKey, signingKey: k.privateKey,
        basicConstraints: { ca: true }, keyUsage: ['keyCertSign'], subjectKeyId: false,
      }));
    const leaf = custom(undefined, { subject: [['CN', 'l']], issuer: [['CN', 'Loop']], signingKey: k.privateKey, keyUsage: ['digitalSignature'], subjectKeyId: false });
    // An unbounded search would never finish here; the runner's timeout is the hang guard.
    expectFail(validate(leaf, twins, [root]), 'untrusted-issuer');
  });
});

describe('checkTrustAnchorCertificate', () => {
  test('ok/CA with CA:TRUE and keyCertSign', () => {
    assert.deepEqual(checkTrustAnchorCertificate(root.cert), { ok: true });
  });
  test('fail/issuer-not-ca, fail/issuer-missing-key-cert-sign, fail/not-v3, fail/weak-*', () => {
    const reason = (c: IssuedCertificate): string => {
      const r = checkTrustAnchorCertificate(c.cert);
      return r.ok ? 'ok' : r.reason;
    };
    assert.equal(reason(rsaLeaf), 'issuer-not-ca');
    assert.equal(reason(custom(undefined, { subject: [['CN', 'No KU']], basicConstraints: { ca: true } })), 'issuer-missing-key-cert-sign');
    assert.equal(reason(custom(undefined, { subject: [['CN', 'CRL only']], basicConstraints: { ca: true }, keyUsage: ['cRLSign'] })), 'issuer-missing-key-cert-sign');
    assert.equal(reason(custom(undefined, { subject: [['CN', 'v1']], version: 1 })), 'not-v3');
    assert.equal(reason(createCertificateAuthority({ subject: [['CN', 'S1']], ...caDates, hash: 'sha1' })), 'weak-signature-algorithm');
    assert.equal(reason(createCertificateAuthority({ subject: [['CN', 'R1024']], key: 'rsa1024', ...caDates })), 'weak-key');
  });
  test('fail/unknown-critical-extension: an anchor no path could pass through is refused up front', () => {
    // policyConstraints (2.5.29.36), critical: not processed, so path validation would fail closed.
    const pc = { oid: '2.5.29.36', critical: true, valueDer: derSequence([Buffer.from([0x80, 0x01, 0x00])]) };
    const r = checkTrustAnchorCertificate(createCertificateAuthority({ subject: [['CN', 'PC']], ...caDates, extraExtensions: [pc] }).cert);
    assert.deepEqual(r.ok ? 'ok' : [r.reason, r.detail], ['unknown-critical-extension', 'unsupported critical extension(s) 2.5.29.36']);
  });
});
