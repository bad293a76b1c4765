// Certificates and CRLs from `mooring pki` as OpenSSL sees them: `openssl verify -x509_strict` accepts
// the leaves (root-issued and via the intermediate), `openssl crl -CAfile` verifies the CRL and lists the
// revoked serial, and `openssl verify -crl_check` then refuses the revoked leaf. Also: a CSR made by
// `openssl req` is accepted by `issue --csr`.
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { commandWorks, requireOrSkip } from '../../../../scripts/test-support.mjs';
import { run } from '../support/run.js';
import { pki, readCert, tempDir } from './helpers.js';

const skip = requireOrSkip(commandWorks('openssl', ['version']), 'openssl CLI not installed');

function openssl(cwd: string, args: string[]) {
  return run('openssl', args, { cwd });
}

describe('openssl interop', { skip }, () => {
  test('ok/openssl verify -x509_strict -purpose sslclient accepts a root-issued leaf', async (t) => {
    const tmp = tempDir(t);
    assert.equal((await pki(['init-ca', '--dir', join(tmp, 'ca'), '--key', 'rsa2048'])).code, 0);
    assert.equal((await pki(['issue', '--dir', join(tmp, 'ca'), '--cn', 'myContainer', '--key', 'rsa2048', '--out', join(tmp, 'my')])).code, 0);
    const r = openssl(tmp, ['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', 'ca/ca-cert.pem', 'my-cert.pem']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'my-cert.pem: OK');
    // The key file is the certificate's key.
    const k = openssl(tmp, ['x509', '-in', 'my-cert.pem', '-noout', '-pubkey']);
    const p = openssl(tmp, ['pkey', '-in', 'my-key.pem', '-pubout']);
    assert.equal(k.stdout, p.stdout);
  });

  test('ok/intermediate chain, revoke and crl: openssl verifies the CRL, lists the serial, and refuses the revoked leaf', async (t) => {
    const tmp = tempDir(t);
    assert.equal((await pki(['init-ca', '--dir', join(tmp, 'ca'), '--intermediate'])).code, 0);
    assert.equal((await pki(['issue', '--dir', join(tmp, 'ca'), '--cn', 'good', '--out', join(tmp, 'good')])).code, 0);
    assert.equal((await pki(['issue', '--dir', join(tmp, 'ca'), '--cn', 'bad', '--uri', 'spiffe://example.org/bad', '--out', join(tmp, 'bad')])).code, 0);
    const untrusted = ['-untrusted', 'ca/intermediate-cert.pem'];
    for (const leaf of ['good-cert.pem', 'bad-cert.pem']) {
      const v = openssl(tmp, ['verify', '-x509_strict', '-CAfile', 'ca/ca-cert.pem', ...untrusted, leaf]);
      assert.equal(v.status, 0, v.stderr);
    }
    const bad = readCert(join(tmp, 'bad-cert.pem'));
    assert.equal((await pki(['revoke', '--dir', join(tmp, 'ca'), '--serial', bad.serialHex, '--reason', 'keyCompromise'])).code, 0);
    assert.equal((await pki(['crl', '--dir', join(tmp, 'ca'), '--out', join(tmp, 'crl.pem')])).code, 0);

    writeFileSync(join(tmp, 'chain.pem'), readFileSync(join(tmp, 'ca/ca-cert.pem'), 'utf8') + readFileSync(join(tmp, 'ca/intermediate-cert.pem'), 'utf8'));
    const crl = openssl(tmp, ['crl', '-in', 'crl.pem', '-CAfile', 'chain.pem', '-noout']);
    assert.equal(crl.status, 0, crl.stderr);
    assert.match(crl.stderr + crl.stdout, /verify OK/);
    const text = openssl(tmp, ['crl', '-in', 'crl.pem', '-noout', '-text']);
    assert.match(text.stdout, new RegExp(`Serial Number: ${bad.serialHex.toUpperCase()}`));
    assert.match(text.stdout, /Key Compromise/);
    assert.match(text.stdout, /X509v3 CRL Number: \n\s+1\n/);

    const revoked = openssl(tmp, ['verify', '-crl_check', '-CRLfile', 'crl.pem', '-CAfile', 'ca/ca-cert.pem', ...untrusted, 'bad-cert.pem']);
    assert.notEqual(revoked.status, 0);
    assert.match(revoked.stdout + revoked.stderr, /certificate revoked/);
    const fine = openssl(tmp, ['verify', '-crl_check', '-CRLfile', 'crl.pem', '-CAfile', 'ca/ca-cert.pem', ...untrusted, 'good-cert.pem']);
    assert.equal(fine.status, 0, fine.stdout + fine.stderr);
  });

  test('ok/issue --csr accepts an `openssl req` CSR (its extension request ignored, and said so)', async (t) => {
    const tmp = tempDir(t);
    assert.equal((await pki(['init-ca', '--dir', join(tmp, 'ca')])).code, 0);
    const req = openssl(tmp, [
      'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'w-key.pem', '-out', 'w.csr',
      '-subj', '/O=Example/OU=Payments/CN=worker', '-addext', 'basicConstraints=critical,CA:TRUE',
    ]);
    assert.equal(req.status, 0, req.stderr);
    const r = await pki(['issue', '--dir', join(tmp, 'ca'), '--csr', join(tmp, 'w.csr'), '--out', join(tmp, 'w')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /extensions requested in the CSR are ignored/);
    const leaf = readCert(join(tmp, 'w-cert.pem'));
    assert.deepEqual(leaf.basicConstraints, { ca: false, critical: true });
    assert.deepEqual(leaf.subject.rdns.map((rdn) => rdn[0]!.value), ['Example', 'Payments', 'worker']);
    const v = openssl(tmp, ['verify', '-x509_strict', '-CAfile', 'ca/ca-cert.pem', 'w-cert.pem']);
    assert.equal(v.status, 0, v.stderr);
    const m = openssl(tmp, ['x509', '-in', 'w-cert.pem', '-noout', '-pubkey']);
    assert.equal(m.stdout, openssl(tmp, ['pkey', '-in', 'w-key.pem', '-pubout']).stdout);
  });
});
