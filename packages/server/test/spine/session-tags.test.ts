// Certificate → session tags and source identity (service-spec §4.6, §6.1–§6.3), including the
// User Guide's worked example.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCertificate, generateKeyPair, parseCertificate, type CertificateTemplate, type ParsedCertificate } from '@mooring/pki';
import { defaultAttributeMappings } from '../../src/core/roles-anywhere/profile.js';
import { mapSessionTags, mappingFailureDetail, hasMappingFailures } from '../../src/core/session/session-tags.js';
import { sourceIdentityFor } from '../../src/core/session/source-identity.js';

const ca = generateKeyPair('p256');
const now = Date.UTC(2026, 0, 1);

function cert(t: Partial<CertificateTemplate>): ParsedCertificate {
  const der = buildCertificate({
    subject: [['CN', 'x']],
    issuer: [['CN', 'issuer']],
    notBefore: new Date(now),
    notAfter: new Date(now + 86400_000),
    publicKey: generateKeyPair('p256').publicKey,
    signingKey: ca.privateKey,
    keyUsage: ['digitalSignature'],
    basicConstraints: { ca: false, critical: true },
    ...t,
  });
  const p = parseCertificate(der);
  assert.ok(p.ok);
  return p.value;
}

const tagMap = (c: ParsedCertificate, mappings = defaultAttributeMappings()) =>
  Object.fromEntries(mapSessionTags(c, mappings).tags.map((t) => [t.key, t.value]));

test('ok/the User Guide example maps subject, issuer and the first SAN of each type', () => {
  const c = cert({
    subject: [['CN', 'Alice']],
    issuer: [['C', 'US'], ['O', 'Amazon'], ['OU', 'IAM'], ['ST', 'Washington'], ['CN', 'RolesAnywhere'], ['L', 'Seattle']],
    subjectAltNames: [{ dns: 'example.com' }, { dns: 'second.example.com' }, { uri: 'spiffe://example.com/workload/alice' }, { dirName: [['CN', 'Alice']] }, { ip: '10.0.0.1' }],
  });
  assert.deepEqual(tagMap(c), {
    'x509Subject/CN': 'Alice',
    'x509Issuer/C': 'US',
    'x509Issuer/O': 'Amazon',
    'x509Issuer/OU': 'IAM',
    'x509Issuer/ST': 'Washington',
    'x509Issuer/CN': 'RolesAnywhere',
    'x509Issuer/L': 'Seattle',
    'x509SAN/DNS': 'example.com',
    'x509SAN/URI': 'spiffe://example.com/workload/alice',
    'x509SAN/Name/CN': 'Alice',
  });
});

test('ok/multi-valued attributes are joined with / in certificate order', () => {
  const c = cert({ subject: [['CN', 'alice'], ['OU', 'Security'], ['OU', 'Engineering'], ['OU', 'Research']] });
  assert.equal(tagMap(c)['x509Subject/OU'], 'Security/Engineering/Research');
});

test('ok/attribute mappings filter the tags', () => {
  const c = cert({ subject: [['CN', 'alice'], ['OU', 'ops']], subjectAltNames: [{ dns: 'a.example' }, { uri: 'spiffe://x/y' }] });
  const tags = tagMap(c, [
    { certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }] },
    { certificateField: 'x509SAN', mappingRules: [{ specifier: 'URI' }] },
  ]);
  assert.deepEqual(tags, { 'x509Subject/CN': 'alice', 'x509SAN/URI': 'spiffe://x/y' });
});

test('fail/values outside the STS tag alphabet are reported in AWS wording', () => {
  const c = cert({ subject: [['CN', 'bad(name)']], subjectAltNames: [{ dns: 'ok.example' }] });
  const r = mapSessionTags(c, defaultAttributeMappings());
  assert.ok(hasMappingFailures(r));
  assert.equal(mappingFailureDetail(r), 'Some attributes failed to be mapped into session tags. Issuer: [  ]; Subject: [ CN ]; SAN: [  ]');
});

test('ok/source identity: CN= prefix up to 61 characters', () => {
  assert.equal(sourceIdentityFor(cert({ subject: [['CN', 'myContainer']] })), 'CN=myContainer');
  assert.equal(sourceIdentityFor(cert({ subject: [['CN', 'a'.repeat(61)]] })), `CN=${'a'.repeat(61)}`);
});

test('ok/source identity: the bare CN for 62 to 64 characters', () => {
  assert.equal(sourceIdentityFor(cert({ subject: [['CN', 'b'.repeat(62)]] })), 'b'.repeat(62));
  assert.equal(sourceIdentityFor(cert({ subject: [['CN', 'c'.repeat(64)]] })), 'c'.repeat(64));
});

test('ok/source identity: ID= and the even-length upper-case hex serial without a CN', () => {
  assert.equal(sourceIdentityFor(cert({ subject: [['O', 'NoCN']], serial: 291n })), 'ID=0123');
  assert.equal(sourceIdentityFor(cert({ subject: [['O', 'NoCN']], serial: 17767n })), 'ID=4567');
  assert.equal(sourceIdentityFor(cert({ subject: [['O', 'NoCN']], serial: 0xabcn })), 'ID=0ABC');
});

test('ok/the default session name is the lowercase even-length hex serial', () => {
  assert.equal(cert({ serial: 0x1000n }).serialHex, '1000');
  assert.equal(cert({ serial: 0xabcn }).serialHex, '0abc');
});
