// The data dir's TLS server certificate follows --tls-name and is renewed near its end, from the
// same CA (so AWS_CA_BUNDLE=<dir>/tls/ca.pem keeps working); an operator's own certificate is theirs.
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataDirPaths, ensureDataDir, ensureTls } from '../../src/app/data-dir.js';
import { createTlsMaterial } from '../../src/app/tls-material.js';

const DAY = 86_400_000;

function withDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-tls-'));
  try {
    ensureDataDir(dir);
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('ok/a new --tls-name on restart reissues the server certificate from the same CA', () => {
  withDir((dir) => {
    const now = new Date();
    const first = ensureTls(dir, now, []);
    assert.equal(first.renewed, undefined);
    assert.equal(ensureTls(dir, now, []).renewed, undefined, 'nothing to do on a plain restart');
    const second = ensureTls(dir, now, ['foo.test', '10.0.0.7']);
    assert.match(second.renewed ?? '', /does not name foo\.test, 10\.0\.0\.7/);
    assert.equal(second.caPem, first.caPem, 'same CA');
    const cert = new X509Certificate(readFileSync(dataDirPaths(dir).certPem));
    assert.equal(cert.checkHost('foo.test'), 'foo.test');
    assert.equal(cert.checkIP('10.0.0.7'), '10.0.0.7');
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.ok(cert.verify(new X509Certificate(first.caPem).publicKey));
    assert.ok(cert.checkPrivateKey(createPrivateKey(readFileSync(dataDirPaths(dir).keyPem, 'utf8'))));
    assert.equal(ensureTls(dir, now, ['foo.test']).renewed, undefined, 'a subset of the names is covered');
  });
});

test('ok/a server certificate within 30 days of its end is renewed at start', () => {
  withDir((dir) => {
    const now = new Date();
    const first = ensureTls(dir, now, []);
    const later = new Date(now.getTime() + 380 * DAY);
    const renewed = ensureTls(dir, later, []);
    assert.match(renewed.renewed ?? '', /expires on/);
    assert.ok(new Date(new X509Certificate(renewed.certPem).validTo).getTime() > later.getTime() + 300 * DAY);
    assert.equal(renewed.caPem, first.caPem);
  });
});

test('ok/a certificate the operator installed is never replaced', () => {
  withDir((dir) => {
    const now = new Date();
    ensureTls(dir, now, []);
    const theirs = createTlsMaterial(now, []);
    const p = dataDirPaths(dir);
    writeFileSync(p.certPem, theirs.certPem);
    writeFileSync(p.keyPem, theirs.keyPem);
    const m = ensureTls(dir, now, ['foo.test']);
    assert.equal(m.renewed, undefined);
    assert.equal(readFileSync(p.certPem, 'utf8'), theirs.certPem);
  });
});
