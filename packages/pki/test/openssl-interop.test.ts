// Cross-checks against the real openssl CLI and node's X509Certificate (OpenSSL underneath):
// certificates made by `openssl` (AWS walkthrough v3.ext) parse to the same fields, and
// certificates made by buildCertificate are accepted by `openssl verify`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { commandWorks, requireOrSkip } from '../../../scripts/test-support.mjs';
import {
  createCertificateAuthority, formatName, issueLeafCertificate, parseCertificatePem, validatePath, verifyCertificateSignature,
} from '../src/index.js';
import type { GeneralName, ParsedCertificate } from '../src/index.js';

const skip = requireOrSkip(commandWorks('openssl', ['version']), 'openssl CLI not installed');

// Exactly the AWS IAM Roles Anywhere walkthrough's v3.ext, plus a SAN section for the EC leaf.
const V3_EXT = `[ v3_ca ]
basicConstraints = CA: true
keyUsage = Certificate Sign

[ v3_cert ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature

[ v3_san ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:example.com, URI:spiffe://example.com/workload/alice, IP:10.1.2.3, email:alice@example.com
crlDistributionPoints = URI:http://crl.example.com/root.crl
`;

let dir = '';

function openssl(...args: string[]): string {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function readPem(file: string): ParsedCertificate {
  const r = parseCertificatePem(readFileSync(join(dir, file), 'utf8'));
  assert.ok(r.ok, r.ok ? '' : r.detail);
  assert.equal(r.value.length, 1);
  return r.value[0]!;
}

/** Node's subjectAltName string for the types node formats simply. */
function nodeSanString(names: GeneralName[]): string {
  const prefix = { dns: 'DNS:', uri: 'URI:', ip: 'IP Address:', email: 'email:' } as Record<string, string>;
  return names.map((n) => `${prefix[n.type]}${n.value}`).join(', ');
}

/** Every field X509Certificate exposes, compared with ours. */
function compareWithNode(c: ParsedCertificate, issuerCert: ParsedCertificate): void {
  const x = new X509Certificate(c.der);
  assert.equal(c.serialHex.toUpperCase(), x.serialNumber);
  const lines = (p: ParsedCertificate['subject']): string => p.rdns.map((r) => r.map((a) => `${a.shortName}=${a.value}`).join(' + ')).join('\n');
  assert.equal(lines(c.subject), x.subject);
  assert.equal(lines(c.issuer), x.issuer);
  assert.equal(c.notBefore.getTime(), Date.parse(x.validFrom));
  assert.equal(c.notAfter.getTime(), Date.parse(x.validTo));
  assert.equal(c.basicConstraints?.ca ?? false, x.ca);
  assert.equal(c.fingerprint256, x.fingerprint256.replaceAll(':', '').toLowerCase());
  assert.equal(x.subjectAltName ?? '', nodeSanString(c.subjectAltNames));
  assert.deepEqual(c.extKeyUsage ?? [], x.keyUsage ?? []);
  assert.ok(c.spki.equals(x.publicKey.export({ type: 'spki', format: 'der' })));
  assert.equal(c.publicKey.asymmetricKeyType, x.publicKey.asymmetricKeyType);
  assert.equal(verifyCertificateSignature(c, issuerCert.publicKey), x.verify(issuerCert.publicKey));
}

describe('openssl interop', { skip }, () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mooring-pki-openssl-'));
    writeFileSync(join(dir, 'v3.ext'), V3_EXT);
    // RSA 2048 root + leaf, as in the walkthrough.
    openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-subj', '/C=US/O=Example/CN=Example Root CA', '-out', 'ca.csr');
    openssl('x509', '-req', '-in', 'ca.csr', '-signkey', 'ca.key', '-sha256', '-days', '3650', '-extfile', 'v3.ext', '-extensions', 'v3_ca', '-set_serial', '1', '-out', 'ca.pem');
    openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-subj', '/C=US/O=Example/CN=myContainer', '-out', 'leaf.csr');
    openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-sha256', '-days', '30', '-extfile', 'v3.ext', '-extensions', 'v3_cert', '-set_serial', '4096', '-out', 'leaf.pem');
    // EC P-256 root + leaf with SANs, multi-valued OU RDNs and a multi-attribute RDN.
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ecca.key', '-subj', '/C=US/O=Example/CN=Example EC Root', '-out', 'ecca.csr');
    openssl('x509', '-req', '-in', 'ecca.csr', '-signkey', 'ecca.key', '-sha256', '-days', '3650', '-extfile', 'v3.ext', '-extensions', 'v3_ca', '-out', 'ecca.pem');
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ecleaf.key', '-multivalue-rdn',
      '-subj', '/C=US/O=Example/OU=Security/OU=Engineering/OU=Research/CN=alice+UID=a1', '-out', 'ecleaf.csr');
    openssl('x509', '-req', '-in', 'ecleaf.csr', '-CA', 'ecca.pem', '-CAkey', 'ecca.key', '-sha384', '-days', '30', '-extfile', 'v3.ext', '-extensions', 'v3_san',
      '-set_serial', '0x61d5692c1982239b82255b38e6ced2aa34712ff0', '-out', 'ecleaf.pem');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('ok/openssl RSA-2048 walkthrough CA and leaf parse to the same fields as X509Certificate', () => {
    const ca = readPem('ca.pem');
    const leaf = readPem('leaf.pem');
    compareWithNode(ca, ca);
    compareWithNode(leaf, ca);
    assert.equal(leaf.version, 3);
    assert.equal(leaf.serialDecimal, '4096');
    assert.equal(leaf.serialHex, '1000');
    assert.equal(formatName(leaf.subject), 'CN=myContainer,O=Example,C=US');
    assert.equal(leaf.keyType, 'rsa');
    assert.equal(leaf.keyBits, 2048);
    assert.deepEqual(leaf.signatureAlgorithm, { oid: '1.2.840.113549.1.1.11', hash: 'sha256', scheme: 'rsa-pkcs1' });
    assert.deepEqual(leaf.basicConstraints, { ca: false, critical: true });
    assert.equal(leaf.keyUsage?.digitalSignature, true);
    assert.equal(leaf.keyUsage?.critical, true);
    assert.equal(leaf.keyUsage?.keyCertSign, false);
    assert.deepEqual(ca.basicConstraints, { ca: true, critical: false });
    assert.equal(ca.keyUsage?.keyCertSign, true);
    assert.equal(ca.keyUsage?.critical, false);
    assert.ok(leaf.authorityKeyId && ca.subjectKeyId && leaf.authorityKeyId.equals(ca.subjectKeyId));
    assert.deepEqual(leaf.unknownCriticalExtensions, []);
  });

  test('ok/openssl -text agrees on serial, algorithm, key size and key usage', () => {
    const leaf = readPem('leaf.pem');
    const text = openssl('x509', '-in', 'leaf.pem', '-noout', '-text');
    assert.match(text, new RegExp(`Serial Number: ${leaf.serialDecimal} \\(0x${leaf.serialHex}\\)`));
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, new RegExp(`Public-Key: \\(${leaf.keyBits} bit\\)`));
    assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature\s/);
    assert.match(text, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
  });

  test('ok/openssl EC P-256 leaf: SANs, EKU, CRL DP, 20-byte serial, multi-valued OU and multi-attribute RDN', () => {
    const ca = readPem('ecca.pem');
    const leaf = readPem('ecleaf.pem');
    compareWithNode(ca, ca);
    compareWithNode(leaf, ca);
    assert.equal(leaf.keyType, 'ec');
    assert.equal(leaf.ecCurve, 'P-256');
    assert.equal(leaf.keyBits, 256);
    assert.equal(leaf.signatureAlgorithm.scheme, 'ecdsa');
    assert.equal(leaf.signatureAlgorithm.hash, 'sha384');
    assert.equal(leaf.serialHex, '61d5692c1982239b82255b38e6ced2aa34712ff0');
    assert.equal(leaf.serialDecimal, BigInt('0x61d5692c1982239b82255b38e6ced2aa34712ff0').toString());
    assert.deepEqual(leaf.extKeyUsage, ['1.3.6.1.5.5.7.3.2']);
    assert.deepEqual(leaf.crlDistributionPoints, ['http://crl.example.com/root.crl']);
    assert.deepEqual(leaf.subjectAltNames.map((g) => g.type), ['dns', 'uri', 'ip', 'email']);
    assert.equal(formatName(leaf.subject), 'CN=alice+UID=a1,OU=Research,OU=Engineering,OU=Security,O=Example,C=US');
    const ous = leaf.subject.rdns.flat().filter((a) => a.shortName === 'OU').map((a) => a.value);
    assert.deepEqual(ous, ['Security', 'Engineering', 'Research']);
    const r = validatePath({ leaf, intermediates: [], anchors: [ca], now: new Date(leaf.notBefore.getTime() + 60_000) });
    assert.ok(r.ok, r.ok ? '' : r.detail);
  });

  test('ok/openssl RSA chain validates; fail/bad-signature when the signature is flipped', () => {
    const ca = readPem('ca.pem');
    const leaf = readPem('leaf.pem');
    const now = new Date(leaf.notBefore.getTime() + 60_000);
    const r = validatePath({ leaf, intermediates: [], anchors: [ca], now });
    assert.ok(r.ok, r.ok ? '' : r.detail);
    const tampered = { ...leaf, signature: Buffer.from(leaf.signature) };
    tampered.signature[10]! ^= 1;
    const bad = validatePath({ leaf: tampered as ParsedCertificate, intermediates: [], anchors: [ca], now });
    assert.equal(bad.ok ? 'ok' : bad.reason, 'bad-signature');
  });

  test('ok/openssl RSASSA-PSS signature verifies', () => {
    openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-sha256', '-days', '30', '-extfile', 'v3.ext', '-extensions', 'v3_cert',
      '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-out', 'pss.pem');
    const ca = readPem('ca.pem');
    const pss = readPem('pss.pem');
    assert.equal(pss.signatureAlgorithm.scheme, 'rsa-pss');
    assert.equal(pss.signatureAlgorithm.hash, 'sha256');
    assert.equal(pss.signatureAlgorithm.pssSaltLength, 32);
    assert.equal(verifyCertificateSignature(pss, ca.publicKey), true);
    assert.equal(new X509Certificate(pss.der).verify(ca.publicKey), true);
  });

  test('ok/built RSA and EC chains are accepted by openssl verify and X509Certificate.verify', () => {
    const notBefore = new Date('2025-01-01T00:00:00Z');
    const notAfter = new Date('2027-01-01T00:00:00Z');
    for (const key of ['rsa2048', 'p384'] as const) {
      const root = createCertificateAuthority({ subject: [['C', 'US'], ['O', 'Mooring'], ['CN', `Root ${key}`]], key, notBefore, notAfter });
      const inter = createCertificateAuthority({ subject: [['O', 'Mooring'], ['CN', `Issuing ${key}`]], key: 'p256', notBefore, notAfter, pathLen: 0, issuer: root });
      const leaf = issueLeafCertificate(inter, {
        subject: [['C', 'US'], ['O', 'Example'], ['OU', 'a'], ['OU', 'b'], ['CN', 'myContainer']], key, notBefore, notAfter,
        subjectAltNames: [{ dns: 'example.com' }, { uri: 'spiffe://example.com/w' }, { ip: '192.0.2.1' }, { email: 'x@example.com' }],
      });
      writeFileSync(join(dir, `root-${key}.pem`), root.pem);
      writeFileSync(join(dir, `inter-${key}.pem`), inter.pem);
      writeFileSync(join(dir, `leaf-${key}.pem`), leaf.pem);
      const attime = String(Date.parse('2026-01-01T00:00:00Z') / 1000);
      const out = openssl('verify', '-attime', attime, '-x509_strict', '-CAfile', `root-${key}.pem`, '-untrusted', `inter-${key}.pem`, `leaf-${key}.pem`);
      assert.match(out, /: OK/);
      assert.equal(new X509Certificate(leaf.der).verify(inter.cert.publicKey), true);
      assert.equal(new X509Certificate(inter.der).verify(root.cert.publicKey), true);
      assert.equal(new X509Certificate(root.der).verify(root.cert.publicKey), true);
      compareWithNode(leaf.cert, inter.cert);
      // After expiry openssl refuses the same chain, so the dates really are the template's.
      const late = spawnSync('openssl', ['verify', '-attime', String(Date.parse('2028-01-01T00:00:00Z') / 1000), '-CAfile', `root-${key}.pem`, '-untrusted', `inter-${key}.pem`, `leaf-${key}.pem`], { cwd: dir, encoding: 'utf8' });
      assert.notEqual(late.status, 0);
      assert.match(late.stdout + late.stderr, /expired/);
    }
  });

  test('ok/name constraints: openssl verify and validatePath agree on an openssl-made constrained CA', () => {
    writeFileSync(join(dir, 'nc.ext'), [
      '[v3_nc]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign',
      'nameConstraints = critical, permitted;DNS:example.com, permitted;IP:10.0.0.0/255.0.0.0, excluded;email:.bad.com, permitted;dirName:nc_dir',
      '[nc_dir]', 'O = Example',
      '[v3_in]', 'basicConstraints = CA:FALSE', 'keyUsage = critical, digitalSignature', 'subjectAltName = DNS:x.example.com, IP:10.1.1.1, email:a@good.com',
      '[v3_dns]', 'basicConstraints = CA:FALSE', 'keyUsage = critical, digitalSignature', 'subjectAltName = DNS:x.example.org',
      '[v3_ip]', 'basicConstraints = CA:FALSE', 'keyUsage = critical, digitalSignature', 'subjectAltName = DNS:x.example.com, IP:192.168.1.1',
      '[v3_mail]', 'basicConstraints = CA:FALSE', 'keyUsage = critical, digitalSignature', 'subjectAltName = email:a@x.bad.com',
    ].join('\n'));
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'nc.key', '-subj', '/O=Example/CN=NC CA', '-out', 'nc.csr');
    openssl('x509', '-req', '-in', 'nc.csr', '-signkey', 'nc.key', '-days', '30', '-extfile', 'nc.ext', '-extensions', 'v3_nc', '-out', 'nc.pem');
    const ca = readPem('nc.pem');
    assert.deepEqual(ca.unknownCriticalExtensions, []);
    const verdicts: Record<string, [boolean, boolean]> = {};
    for (const [name, subject] of [['in', '/O=Example/CN=in'], ['dns', '/O=Example/CN=dns'], ['ip', '/O=Example/CN=ip'], ['mail', '/O=Example/CN=mail'], ['dir', '/O=Other/CN=dir']] as const) {
      openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `nc-${name}.key`, '-subj', subject, '-out', `nc-${name}.csr`);
      openssl('x509', '-req', '-in', `nc-${name}.csr`, '-CA', 'nc.pem', '-CAkey', 'nc.key', '-days', '10', '-extfile', 'nc.ext', '-extensions', name === 'dir' ? 'v3_in' : `v3_${name}`, '-set_serial', String(100 + Object.keys(verdicts).length), '-out', `nc-${name}.pem`);
      const theirs = spawnSync('openssl', ['verify', '-CAfile', 'nc.pem', `nc-${name}.pem`], { cwd: dir, encoding: 'utf8' }).status === 0;
      const ours = validatePath({ leaf: readPem(`nc-${name}.pem`), intermediates: [], anchors: [ca], now: new Date() });
      verdicts[name] = [theirs, ours.ok];
      if (!ours.ok) assert.equal(ours.reason, 'name-constraints', ours.detail);
    }
    assert.deepEqual(verdicts, { in: [true, true], dns: [false, false], ip: [false, false], mail: [false, false], dir: [false, false] });
  });

  test('ok/the built key is the certificate key (openssl pkey round trip)', () => {
    const ca = createCertificateAuthority({ subject: [['CN', 'K']], notBefore: new Date('2025-01-01Z'), notAfter: new Date('2026-01-01Z') });
    writeFileSync(join(dir, 'k.key'), ca.keyPem);
    writeFileSync(join(dir, 'k.pem'), ca.pem);
    const fromKey = openssl('pkey', '-in', 'k.key', '-pubout');
    const fromCert = openssl('x509', '-in', 'k.pem', '-noout', '-pubkey');
    assert.equal(fromKey, fromCert);
  });
});
