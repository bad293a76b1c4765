// `mooring pki init-ca` / `issue`: the files, their modes, and certificates with exactly the
// extensions the service accepts (service-spec §5), validated with the same validatePath CreateSession runs.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ExtKeyUsageOid, generateKeyPair, validatePath } from '@mooring/pki';
import { DAY, buildCsr, pki, readCert, readCerts, tempDir } from './helpers.js';

const NOW = new Date('2026-03-01T12:00:00Z');

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

test('ok/init-ca writes the root, a 0600 key, index.json and serial, and names the trust anchor bundle', async (t) => {
  const dir = join(tempDir(t), 'ca');
  const r = await pki(['init-ca', '--dir', dir, '--cn', 'Test Root', '--o', 'Example', '--key', 'p384', '--days', '100'], { now: NOW });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Trust anchor bundle: ${join(dir, 'ca-cert.pem')}`));
  assert.equal(mode(join(dir, 'ca-key.pem')), 0o600);
  const root = readCert(join(dir, 'ca-cert.pem'));
  assert.equal(root.basicConstraints?.ca, true);
  assert.equal(root.keyUsage?.keyCertSign, true);
  assert.equal(root.ecCurve, 'P-384');
  assert.equal(root.signatureAlgorithm.hash, 'sha256');
  assert.equal(root.notAfter.toISOString(), new Date(NOW.getTime() + 100 * DAY).toISOString());
  // notBefore is backdated by the 5-minute clock-skew allowance.
  assert.equal(root.notBefore.toISOString(), new Date(NOW.getTime() - 5 * 60_000).toISOString());
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  assert.equal(index.certificates[0].serial, root.serialHex);
  assert.match(readFileSync(join(dir, 'serial'), 'utf8'), /^[0-9a-f]{16}\n$/);
  assert.equal(existsSync(join(dir, 'intermediate-cert.pem')), false);
});

test('fail/init-ca refuses to overwrite an existing CA (the key is unchanged)', async (t) => {
  const dir = join(tempDir(t), 'ca');
  assert.equal((await pki(['init-ca', '--dir', dir], { now: NOW })).code, 0);
  const key = readFileSync(join(dir, 'ca-key.pem'), 'utf8');
  const again = await pki(['init-ca', '--dir', dir], { now: NOW });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists; refusing to overwrite/);
  assert.equal(readFileSync(join(dir, 'ca-key.pem'), 'utf8'), key);
});

test('fail/bad command lines exit 2 with usage', async () => {
  for (const args of [['init-ca'], ['init-ca', '--dir', 'x', '--key', 'rsa1024'], ['init-ca', '--dir', 'x', '--days', '0'], ['issue', '--dir', 'x'], ['nope'], ['check']]) {
    const r = await pki(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /Error: .*\n\nUsage: mooring pki/);
  }
  const help = await pki(['issue', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: mooring pki <command>/);
});

test('ok/issue from the root: exactly the accepted extensions, SPIFFE URI and OUs; validatePath accepts it', async (t) => {
  const tmp = tempDir(t);
  const dir = join(tmp, 'ca');
  assert.equal((await pki(['init-ca', '--dir', dir], { now: NOW })).code, 0);
  const r = await pki(
    ['issue', '--dir', dir, '--cn', 'myContainer', '--o', 'Example', '--ou', 'Eng', '--ou', 'Sec', '--dns', 'a.example.com',
      '--uri', 'spiffe://example.org/ns/prod/sa/web', '--days', '30', '--key', 'rsa2048', '--out', join(tmp, 'my')],
    { now: NOW },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const leaf = readCert(join(tmp, 'my-cert.pem'));
  const root = readCert(join(dir, 'ca-cert.pem'));
  assert.equal(mode(join(tmp, 'my-key.pem')), 0o600);
  assert.equal(leaf.version, 3);
  assert.deepEqual(leaf.basicConstraints, { ca: false, critical: true });
  assert.equal(leaf.keyUsage?.critical, true);
  assert.deepEqual(Object.entries(leaf.keyUsage!).filter(([k, v]) => v && k !== 'critical').map(([k]) => k), ['digitalSignature']);
  assert.deepEqual(leaf.extKeyUsage, [ExtKeyUsageOid.clientAuth]);
  assert.equal(leaf.signatureAlgorithm.hash, 'sha256');
  assert.equal(leaf.keyType, 'rsa');
  assert.equal(leaf.keyBits, 2048);
  assert.ok(leaf.subjectKeyId);
  assert.deepEqual(leaf.authorityKeyId, root.subjectKeyId);
  assert.deepEqual(leaf.subjectAltNames.map((g) => `${g.type}:${g.value}`), ['dns:a.example.com', 'uri:spiffe://example.org/ns/prod/sa/web']);
  assert.deepEqual(leaf.subject.rdns.map((rdn) => `${rdn[0]!.shortName}=${rdn[0]!.value}`), ['O=Example', 'OU=Eng', 'OU=Sec', 'CN=myContainer']);
  assert.equal(leaf.notAfter.getTime(), NOW.getTime() + 30 * DAY);
  // Serials come from the `serial` file, which then advances.
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  assert.equal(index.certificates.at(-1).serial, leaf.serialHex);
  assert.equal(BigInt(`0x${readFileSync(join(dir, 'serial'), 'utf8').trim()}`), BigInt(`0x${leaf.serialHex}`) + 1n);
  const v = validatePath({ leaf, intermediates: [], anchors: [root], now: new Date(NOW.getTime() + DAY) });
  assert.equal(v.ok, true, v.ok ? '' : v.detail);
  // fullchain without an intermediate is just the leaf.
  assert.deepEqual(readCerts(join(tmp, 'my-fullchain.pem')).map((c) => c.serialHex), [leaf.serialHex]);
});

test('ok/issue from the intermediate: fullchain is leaf + intermediate and validates against the root only', async (t) => {
  const tmp = tempDir(t);
  const dir = join(tmp, 'ca');
  const init = await pki(['init-ca', '--dir', dir, '--intermediate', '--intermediate-cn', 'Issuing CA'], { now: NOW });
  assert.equal(init.code, 0, init.stderr);
  const inter = readCert(join(dir, 'intermediate-cert.pem'));
  assert.deepEqual(inter.basicConstraints, { ca: true, pathLen: 0, critical: true });
  assert.equal(mode(join(dir, 'intermediate-key.pem')), 0o600);
  // The trust anchor bundle is root + intermediate.
  assert.match(init.stdout, new RegExp(`Trust anchor bundle: ${join(dir, 'ca-bundle.pem')}`));
  assert.deepEqual(readCerts(join(dir, 'ca-bundle.pem')).map((c) => c.fingerprint256), [readCert(join(dir, 'ca-cert.pem')).fingerprint256, inter.fingerprint256]);
  const r = await pki(['issue', '--dir', dir, '--cn', 'svc', '--out', join(tmp, 'svc')], { now: NOW });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /from the intermediate CA/);
  const [leaf, chained] = readCerts(join(tmp, 'svc-fullchain.pem'));
  assert.equal(chained!.fingerprint256, inter.fingerprint256);
  const root = readCert(join(dir, 'ca-cert.pem'));
  const ok = validatePath({ leaf: leaf!, intermediates: [chained!], anchors: [root], now: NOW });
  assert.equal(ok.ok, true, ok.ok ? '' : ok.detail);
  const without = validatePath({ leaf: leaf!, intermediates: [], anchors: [root], now: NOW });
  assert.equal(without.ok ? 'ok' : without.reason, 'untrusted-issuer');
});

test('ok/issue --csr keeps the requester key, takes the CSR subject, ignores nothing silently', async (t) => {
  const tmp = tempDir(t);
  const dir = join(tmp, 'ca');
  assert.equal((await pki(['init-ca', '--dir', dir], { now: NOW })).code, 0);
  const pair = generateKeyPair('p256');
  writeFileSync(join(tmp, 'req.csr'), buildCsr({ subject: [['O', 'Example'], ['CN', 'from-csr']], publicKey: pair.publicKey, signingKey: pair.privateKey }));
  const r = await pki(['issue', '--dir', dir, '--csr', join(tmp, 'req.csr'), '--out', join(tmp, 'c')], { now: NOW });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(join(tmp, 'c-key.pem')), false);
  const leaf = readCert(join(tmp, 'c-cert.pem'));
  assert.equal(leaf.spki.equals(pair.publicKey.export({ type: 'spki', format: 'der' })), true);
  assert.deepEqual(leaf.subject.rdns.map((rdn) => rdn[0]!.value), ['Example', 'from-csr']);
  assert.equal(leaf.keyUsage?.digitalSignature, true);

  // --cn overrides the CSR subject (and says so); the CSR can come from stdin.
  const csr = buildCsr({ subject: [['CN', 'asked']], publicKey: pair.publicKey, signingKey: pair.privateKey });
  const r2 = await pki(['issue', '--dir', dir, '--csr', '-', '--cn', 'granted', '--out', join(tmp, 'd')], { now: NOW, stdin: Buffer.from(csr) });
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stderr, /CSR subject "CN=asked" is replaced/);
  assert.equal(readCert(join(tmp, 'd-cert.pem')).subject.rdns[0]![0]!.value, 'granted');
});

test('fail/issue --csr refuses a bad signature, a weak key, and --key', async (t) => {
  const tmp = tempDir(t);
  const dir = join(tmp, 'ca');
  assert.equal((await pki(['init-ca', '--dir', dir], { now: NOW })).code, 0);
  const pair = generateKeyPair('p256');
  const other = generateKeyPair('p256');
  const cases: Array<[string, string, RegExp]> = [
    ['tampered.csr', buildCsr({ subject: [['CN', 'x']], publicKey: pair.publicKey, signingKey: pair.privateKey, tamper: true }), /proof of possession failed/],
    ['wrong-key.csr', buildCsr({ subject: [['CN', 'x']], publicKey: pair.publicKey, signingKey: other.privateKey }), /proof of possession failed/],
    ['not-a.csr', '-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n', /not a valid PKCS#10/],
  ];
  const weak = generateKeyPair('rsa1024');
  cases.push(['weak.csr', buildCsr({ subject: [['CN', 'x']], publicKey: weak.publicKey, signingKey: weak.privateKey }), /RSA key of 1024 bits/]);
  for (const [name, body, expected] of cases) {
    writeFileSync(join(tmp, name), body);
    const r = await pki(['issue', '--dir', dir, '--csr', join(tmp, name), '--out', join(tmp, name)], { now: NOW });
    assert.equal(r.code, 1, name);
    assert.match(r.stderr, expected, name);
    assert.equal(existsSync(join(tmp, `${name}-cert.pem`)), false, name);
  }
  const k = await pki(['issue', '--dir', dir, '--csr', join(tmp, 'weak.csr'), '--key', 'p256'], { now: NOW });
  assert.equal(k.code, 2);
});

test('fail/issue refuses bad SANs, a validity beyond the CA, a reused prefix, and a missing CA', async (t) => {
  const tmp = tempDir(t);
  const dir = join(tmp, 'ca');
  assert.equal((await pki(['init-ca', '--dir', dir, '--days', '10'], { now: NOW })).code, 0);
  const base = ['issue', '--dir', dir, '--cn', 'x', '--out', join(tmp, 'x')];
  for (const bad of [['--uri', 'spiffe://Example.org/a'], ['--uri', 'spiffe://example.org/a?b'], ['--uri', 'not a uri'], ['--dns', 'bad_name.example']]) {
    const r = await pki([...base, ...bad], { now: NOW });
    assert.equal(r.code, 2, bad.join(' '));
  }
  const long = await pki([...base, '--days', '11'], { now: NOW });
  assert.equal(long.code, 1);
  assert.match(long.stderr, /ends after the issuing CA expires/);
  // Without --days the default (365) is shortened to the CA's lifetime, with a warning.
  const first = await pki(base, { now: NOW });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /validity shortened to end with the issuing CA/);
  assert.equal(readCert(join(tmp, 'x-cert.pem')).notAfter.getTime(), readCert(join(dir, 'ca-cert.pem')).notAfter.getTime());
  const again = await pki(base, { now: NOW });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);
  const none = await pki(['issue', '--dir', join(tmp, 'nowhere'), '--cn', 'x'], { now: NOW });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /not a mooring CA directory/);
});

test('ok/issue warns when a subject value would fail session-tag mapping (service-spec §6.4)', async (t) => {
  const tmp = tempDir(t);
  const dir = join(tmp, 'ca');
  assert.equal((await pki(['init-ca', '--dir', dir], { now: NOW })).code, 0);
  const r = await pki(['issue', '--dir', dir, '--cn', 'web (prod)', '--out', join(tmp, 'w')], { now: NOW });
  assert.equal(r.code, 0);
  assert.match(r.stderr, /Some attributes failed to be mapped into session tags\. Issuer: \[  \]; Subject: \[ CN \]/);
});
