// `mooring pki check`: the AWS walkthrough's OpenSSL certificates pass, and a certificate missing each
// required property (service-spec §5) is explained with a ✗ line carrying its typed reason, exit 1.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { tmpdir } from 'node:os';
import { createCertificateAuthority, issueLeafCertificate } from '@mooring/pki';
import { commandWorks, requireOrSkip } from '../../../../scripts/test-support.mjs';
import { run } from '../support/run.js';
import { DAY, pki } from './helpers.js';

const skip = requireOrSkip(commandWorks('openssl', ['version']), 'openssl CLI not installed');

// The walkthrough's v3.ext plus one section per broken variant.
const EXT = `[ v3_ca ]
basicConstraints = CA: true
keyUsage = Certificate Sign

[ v3_cert ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature

[ no_digsig ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment

[ no_key_usage ]
basicConstraints = critical, CA:FALSE

[ ca_true_leaf ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature

[ ca_no_certsign ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, cRLSign

[ ca_no_bc ]
keyUsage = critical, keyCertSign
`;

function openssl(dir: string, args: string[]): void {
  const r = run('openssl', args, { cwd: dir });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

/** Issues `name`-cert.pem from the walkthrough CA with the given section (none = v1), hash and RSA size. */
function leaf(dir: string, name: string, opts: { section?: string; hash?: string; bits?: number; cn?: string } = {}): string {
  openssl(dir, ['genrsa', '-out', `${name}-key.pem`, String(opts.bits ?? 2048)]);
  openssl(dir, ['req', '-new', '-key', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${opts.cn ?? 'myContainer'}`]);
  const ext = opts.section ? ['-extfile', 'v3.ext', '-extensions', opts.section] : [];
  openssl(dir, ['x509', '-req', '-days', '365', '-in', `${name}.csr`, '-CA', 'ca-cert.pem', '-CAkey', 'ca-key.pem', '-set_serial', '01', '-out', `${name}-cert.pem`, ...ext, `-${opts.hash ?? 'sha256'}`]);
  return join(dir, `${name}-cert.pem`);
}

function selfSigned(dir: string, name: string, section: string): string {
  openssl(dir, ['genrsa', '-out', `${name}-key.pem`, '2048']);
  openssl(dir, ['req', '-new', '-key', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  openssl(dir, ['x509', '-req', '-days', '3650', '-in', `${name}.csr`, '-signkey', `${name}-key.pem`, '-out', `${name}-cert.pem`, '-extfile', 'v3.ext', '-extensions', section, '-sha256']);
  return join(dir, `${name}-cert.pem`);
}

const failed = (out: string) => out.split('\n').filter((l) => l.startsWith('✗'));

describe('check (OpenSSL certificates)', { skip }, () => {
  let dir: string;
  let ca: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mooring-pki-check-'));
    writeFileSync(join(dir, 'v3.ext'), EXT);
    // The walkthrough's CA: ca-key.pem / ca-cert.pem, CN=ca here.
    ca = selfSigned(dir, 'ca', 'v3_ca');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('ok/the walkthrough [v3_ca] CA passes as a trust anchor, warning that basicConstraints is not critical', async () => {
    const r = await pki(['check', ca]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /CA certificate \(trust anchor\)/);
    assert.match(r.stdout, /^✓ basicConstraints CA:TRUE: CA:TRUE$/m);
    assert.match(r.stdout, /^✓ keyUsage includes keyCertSign \(cRLSign optional\): keyUsage: keyCertSign$/m);
    assert.match(r.stdout, /^! basicConstraints marked critical \(RFC 5280 §4\.2\.1\.9\)/m);
    assert.match(r.stdout, /^! keyUsage includes cRLSign \(to revoke by CRL\): cRLSign is missing: ImportCrl refuses this CA's CRLs/m);
    assert.match(r.stdout, /^PASS/m);
  });

  test('ok/the walkthrough [v3_cert] leaf passes, including the path to the CA', async () => {
    const r = await pki(['check', leaf(dir, 'good', { section: 'v3_cert' }), '--ca', ca]);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(failed(r.stdout), []);
    assert.match(r.stdout, /^✓ keyUsage includes digitalSignature: keyUsage \(critical\): digitalSignature$/m);
    assert.match(r.stdout, /^✓ certification path .*: chains to "CN=ca"$/m);
    assert.match(r.stdout, /^✓ .*session tag values.*x509Subject\/CN=myContainer; x509Issuer\/CN=ca$/m);
    assert.match(r.stdout, /serial {3}01 \(the CreateSession role session name\)/);
  });

  const cases: Array<{ name: string; make: () => string; reasons: string[]; text: RegExp; as?: string }> = [
    { name: 'no digitalSignature', make: () => leaf(dir, 'nodig', { section: 'no_digsig' }), reasons: ['leaf-missing-digital-signature'], text: /keyUsage \(critical\): keyEncipherment; CreateSession answers "Untrusted certificate\. Insufficient certificate"/ },
    { name: 'no keyUsage at all', make: () => leaf(dir, 'noku', { section: 'no_key_usage' }), reasons: ['leaf-missing-digital-signature'], text: /keyUsage extension is absent/ },
    { name: 'CA:TRUE leaf', make: () => leaf(dir, 'catrue', { section: 'ca_true_leaf' }), reasons: ['leaf-is-ca'], text: /basicConstraints CA:TRUE: a CA certificate cannot sign CreateSession/ },
    { name: 'SHA-1 signature', make: () => leaf(dir, 'sha1', { section: 'v3_cert', hash: 'sha1' }), reasons: ['weak-signature-algorithm'], text: /RSA PKCS#1 v1\.5 with SHA-1: signature algorithm uses sha1/ },
    { name: 'RSA-1024 key', make: () => leaf(dir, 'rsa1024', { section: 'v3_cert', bits: 1024 }), reasons: ['weak-key'], text: /RSA key of 1024 bits; at least 2048 required/ },
    // No -extfile: OpenSSL writes X.509 v1, which cannot carry keyUsage either.
    { name: 'v1 certificate', make: () => leaf(dir, 'v1'), reasons: ['not-v3', 'leaf-missing-digital-signature'], text: /version 1: it cannot carry basicConstraints or keyUsage/ },
    { name: 'CA without keyCertSign', as: 'ca', make: () => selfSigned(dir, 'nocertsign', 'ca_no_certsign'), reasons: ['issuer-missing-key-cert-sign'], text: /keyUsage \(critical\): digitalSignature, cRLSign/ },
    { name: 'CA without basicConstraints', as: 'ca', make: () => selfSigned(dir, 'nobc', 'ca_no_bc'), reasons: ['issuer-not-ca'], text: /basicConstraints is absent; CreateTrustAnchor answers "Incorrect basic constraints for CA certificate"/ },
  ];
  for (const c of cases) {
    test(`fail/${c.name} is explained rule by rule with exit 1`, async () => {
      const r = await pki(['check', c.make(), ...(c.as ? ['--as', c.as] : [])]);
      assert.equal(r.code, 1, r.stdout);
      assert.deepEqual(failed(r.stdout).map((l) => /\[([a-z0-9-]+)\]$/.exec(l)?.[1]), c.reasons, r.stdout);
      assert.match(r.stdout, c.text);
      assert.match(r.stdout, /^ {4}fix: /m);
      assert.match(r.stdout, new RegExp(`^FAIL: ${c.reasons.length} rule\\(s\\) not met$`, 'm'));
    });
  }

  test('fail/with --ca, a leaf without digitalSignature fails its own rule once; the path line judges the path', async () => {
    const r = await pki(['check', leaf(dir, 'nodig-ca', { section: 'no_digsig' }), '--ca', ca]);
    assert.equal(r.code, 1, r.stdout);
    assert.deepEqual(failed(r.stdout).map((l) => /\[([a-z0-9-]+)\]$/.exec(l)?.[1]), ['leaf-missing-digital-signature'], r.stdout);
    assert.match(r.stdout, /^✓ certification path .*: chains to "CN=ca"$/m);
    assert.match(r.stdout, /^FAIL: 1 rule\(s\) not met$/m);
  });

  test('fail/expired and not-yet-valid are judged at the given instant', async () => {
    const cert = join(dir, 'good-cert.pem');
    const later = await pki(['check', cert], { now: new Date(Date.now() + 400 * DAY) });
    assert.equal(later.code, 1);
    assert.deepEqual(failed(later.stdout).map((l) => /\[(.+)\]$/.exec(l)?.[1]), ['expired']);
    const earlier = await pki(['check', cert], { now: new Date(Date.now() - 2 * DAY) });
    assert.deepEqual(failed(earlier.stdout).map((l) => /\[(.+)\]$/.exec(l)?.[1]), ['not-yet-valid']);
  });

  test('fail/--ca with another CA reports untrusted-issuer; a leaf as bundle fails the bundle rule', async () => {
    const other = selfSigned(dir, 'other', 'v3_ca');
    const r = await pki(['check', join(dir, 'good-cert.pem'), '--ca', other]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^✗ certification path .*no trusted issuer "CN=ca".*"Untrusted signing certificate" \[untrusted-issuer\]$/m);
    const b = await pki(['check', join(dir, 'good-cert.pem'), '--ca', join(dir, 'good-cert.pem')]);
    assert.equal(b.code, 1);
    assert.match(b.stdout, /^✗ trust anchor "CN=myContainer" meets the CA rules: .*\[issuer-not-ca\]$/m);
  });
});

test('fail/an expired certificate built with fixed dates is reported with its window', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-pki-check-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const notBefore = new Date('2020-01-01T00:00:00Z');
  const root = createCertificateAuthority({ subject: [['CN', 'Old CA']], notBefore, notAfter: new Date('2021-01-01T00:00:00Z') });
  const l = issueLeafCertificate(root, { subject: [['CN', 'old']], notBefore, notAfter: new Date('2020-02-01T00:00:00Z') });
  writeFileSync(join(dir, 'old.pem'), l.pem);
  writeFileSync(join(dir, 'ca.pem'), root.pem);
  const r = await pki(['check', join(dir, 'old.pem'), '--ca', join(dir, 'ca.pem')], { now: new Date('2020-06-01T00:00:00Z') });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^✗ inside its validity window: expired at 2020-02-01T00:00:00\.000Z .*\[expired\]$/m);
  assert.match(r.stdout, /^✗ certification path .*\[expired\]$/m);
  const ok = await pki(['check', join(dir, 'old.pem'), '--ca', join(dir, 'ca.pem')], { now: new Date('2020-01-15T00:00:00Z') });
  assert.equal(ok.code, 0, ok.stdout);
});

test('fail/check of a file without a certificate exits 1 with the reason', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-pki-check-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'junk.pem'), 'hello');
  const r = await pki(['check', join(dir, 'junk.pem')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not a PEM or DER certificate/);
  const missing = await pki(['check', join(dir, 'missing.pem')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read/);
});
