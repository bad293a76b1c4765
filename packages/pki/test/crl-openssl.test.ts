// CRL cross-checks against the real openssl CLI: CRLs made by `openssl ca -revoke` + `openssl ca -gencrl`
// parse and verify (PEM and DER), and CRLs made by buildCrl pass `openssl crl -CAfile … -noout` with the
// same revoked serials as `openssl crl -text` prints.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandWorks, requireOrSkip } from '../../../scripts/test-support.mjs';
import {
  buildCrl, createCertificateAuthority, formatName, isRevoked, issueLeafCertificate, parseCertificatePem, parseCrl, toPem, verifyCrlIssuer,
} from '../src/index.js';
import type { IssuedCertificate, ParsedCertificate, ParsedCrl } from '../src/index.js';

const skip = requireOrSkip(commandWorks('openssl', ['version']), 'openssl CLI not installed');

// A minimal `openssl ca` setup: only what -revoke and -gencrl read.
const CA_CNF = `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = .
database = index.txt
crlnumber = crlnumber
certificate = ca.pem
private_key = ca.key
default_md = sha256
default_crl_days = 7
crl_extensions = crl_ext
[ crl_ext ]
authorityKeyIdentifier = keyid:always
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_cert ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
`;

let dir = '';

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('openssl', args, { cwd: dir, encoding: 'utf8', timeout: 30_000 });
}

function openssl(...args: string[]): string {
  const r = run(...args);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function readCert(file: string): ParsedCertificate {
  const r = parseCertificatePem(readFileSync(join(dir, file), 'utf8'));
  assert.ok(r.ok, r.ok ? '' : r.detail);
  return r.value[0]!;
}

function parsedFile(file: string): ParsedCrl {
  const r = parseCrl(readFileSync(join(dir, file)));
  assert.ok(r.ok, r.ok ? '' : `${r.reason}: ${r.detail}`);
  return r.value;
}

/** Serials (lowercase hex) that `openssl crl -text` lists. */
function opensslSerials(file: string, inform: 'PEM' | 'DER'): string[] {
  const text = openssl('crl', '-inform', inform, '-in', file, '-noout', '-text');
  return [...text.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => m[1]!.toLowerCase());
}

/** `openssl crl -CAfile` reports on stderr ("verify OK" / "verify failure"); its exit status does not tell. */
function opensslVerify(crlFile: string, caFile: string): string {
  const r = run('crl', '-inform', 'DER', '-in', crlFile, '-CAfile', caFile, '-noout');
  return `${r.stdout}${r.stderr}`;
}

describe('CRL openssl interop', { skip }, () => {
  let ca: ParsedCertificate;
  let leaf1: ParsedCertificate;
  let leaf2: ParsedCertificate;
  let leaf3: ParsedCertificate;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mooring-pki-crl-'));
    writeFileSync(join(dir, 'ca.cnf'), CA_CNF);
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'crlnumber'), '01\n');
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/C=US/O=Example/CN=Example CRL CA',
      '-days', '3650', '-config', 'ca.cnf', '-extensions', 'v3_ca');
    for (const [name, serial] of [['l1', '0x1001'], ['l2', '0x8002'], ['l3', '0x1003']] as const) {
      openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', serial, '-out', `${name}.pem`, '-days', '365',
        '-extfile', 'ca.cnf', '-extensions', 'v3_cert');
    }
    openssl('ca', '-config', 'ca.cnf', '-revoke', 'l1.pem', '-crl_reason', 'keyCompromise');
    openssl('ca', '-config', 'ca.cnf', '-revoke', 'l2.pem');
    openssl('ca', '-config', 'ca.cnf', '-gencrl', '-out', 'crl.pem');
    openssl('crl', '-in', 'crl.pem', '-outform', 'DER', '-out', 'crl.der');
    ca = readCert('ca.pem');
    leaf1 = readCert('l1.pem');
    leaf2 = readCert('l2.pem');
    leaf3 = readCert('l3.pem');
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('ok/openssl ca -gencrl: PEM and DER parse to what openssl reports, and verify against the CA', () => {
    const pem = parsedFile('crl.pem');
    const der = parsedFile('crl.der');
    assert.ok(pem.der.equals(der.der));
    assert.equal(pem.version, 2);
    assert.equal(formatName(pem.issuer), 'CN=Example CRL CA,O=Example,C=US');
    assert.equal(pem.crlNumber, 1n);
    assert.ok(pem.authorityKeyId?.equals(ca.subjectKeyId!));
    const dates = openssl('crl', '-in', 'crl.pem', '-noout', '-lastupdate', '-nextupdate');
    assert.equal(pem.thisUpdate.getTime(), Date.parse(/lastUpdate=(.*)/.exec(dates)![1]!));
    assert.equal(pem.nextUpdate?.getTime(), Date.parse(/nextUpdate=(.*)/.exec(dates)![1]!));
    assert.deepEqual([...pem.revoked.keys()].sort(), opensslSerials('crl.pem', 'PEM').sort());
    assert.deepEqual([...pem.revoked.keys()].sort(), ['1001', '8002']);
    assert.equal(pem.revoked.get('1001')?.reason, 1); // keyCompromise (RFC 5280 §5.3.1)
    assert.equal(pem.revoked.get('8002')?.reason, undefined);

    for (const crl of [pem, der]) {
      const r = verifyCrlIssuer(crl, [ca]);
      assert.ok(r.ok && r.issuer === ca, r.ok ? '' : r.detail);
      assert.equal(isRevoked(crl, leaf1), true);
      assert.equal(isRevoked(crl, leaf2), true);
      assert.equal(isRevoked(crl, leaf3), false);
    }
  });

  test('fail/openssl CRL against another CA, or with its signature altered', () => {
    const other = createCertificateAuthority({
      subject: [['C', 'US'], ['O', 'Example'], ['CN', 'Other CA']], notBefore: new Date('2025-01-01Z'), notAfter: new Date('2035-01-01Z'),
    });
    const crl = parsedFile('crl.der');
    const r = verifyCrlIssuer(crl, [other.cert]);
    assert.equal(r.ok ? 'ok' : r.reason, 'issuer-not-in-anchor');
    const forged = Buffer.from(crl.der);
    forged[forged.length - 1]! ^= 0x40;
    writeFileSync(join(dir, 'forged.der'), forged);
    const f = parseCrl(forged);
    assert.ok(f.ok);
    const v = verifyCrlIssuer(f.value, [ca]);
    assert.equal(v.ok ? 'ok' : v.reason, 'bad-signature');
    assert.match(opensslVerify('forged.der', 'ca.pem'), /verify failure/);
  });

  test('ok/buildCrl output is accepted by openssl crl -CAfile and lists the same serials (P-256 and RSA)', () => {
    const notBefore = new Date('2025-01-01T00:00:00Z');
    const notAfter = new Date('2035-01-01T00:00:00Z');
    const cases: Array<{ name: string; issuer: IssuedCertificate; hash: 'sha256' | 'sha384' }> = [
      { name: 'ec', issuer: createCertificateAuthority({ subject: [['O', 'Mooring'], ['CN', 'EC CRL CA']], notBefore, notAfter }), hash: 'sha256' },
      { name: 'rsa', issuer: createCertificateAuthority({ subject: [['CN', 'RSA CRL CA']], key: 'rsa2048', notBefore, notAfter }), hash: 'sha384' },
    ];
    for (const { name, issuer, hash } of cases) {
      const revokedLeaf = issueLeafCertificate(issuer, { subject: [['CN', 'revoked']], notBefore, notAfter: new Date('2026-01-01Z') });
      const der = buildCrl({
        issuer, hash, thisUpdate: new Date('2025-03-01T00:00:00Z'), nextUpdate: new Date('2025-03-08T00:00:00Z'), crlNumber: 7n,
        revoked: [
          { serial: revokedLeaf.cert.serial, revocationDate: new Date('2025-02-01T00:00:00Z'), reason: 4 },
          { serial: 0x80n, revocationDate: new Date('2025-02-02T00:00:00Z') },
          { serial: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01', revocationDate: new Date('2025-02-03T00:00:00Z'), reason: 1 },
        ],
      });
      writeFileSync(join(dir, `${name}-ca.pem`), issuer.pem);
      writeFileSync(join(dir, `${name}.der`), der);
      assert.match(opensslVerify(`${name}.der`, `${name}-ca.pem`), /verify OK/, name);
      const crl = parseCrl(der);
      assert.ok(crl.ok);
      assert.deepEqual([...crl.value.revoked.keys()], opensslSerials(`${name}.der`, 'DER'), name);
      assert.deepEqual(opensslSerials(`${name}.der`, 'DER'), [revokedLeaf.cert.serialHex, '80', 'abcdef0123456789abcdef0123456789abcdef01']);
      const text = openssl('crl', '-inform', 'DER', '-in', `${name}.der`, '-noout', '-text');
      assert.match(text, /X509v3 CRL Number: \n\s+7\b/);
      assert.match(text, /Superseded/);
      assert.ok(verifyCrlIssuer(crl.value, [issuer.cert]).ok);
      assert.ok(isRevoked(crl.value, revokedLeaf.cert));
      // The PEM form is what ImportCrl documents; openssl reads it as well.
      writeFileSync(join(dir, `${name}.pem`), toPem('X509 CRL', der));
      assert.ok(parseCrl(readFileSync(join(dir, `${name}.pem`))).ok);
      assert.deepEqual(opensslSerials(`${name}.pem`, 'PEM'), opensslSerials(`${name}.der`, 'DER'));
    }
  });
});
