// `mooring pki revoke` + `crl`: revocations recorded in index.json, a v2 CRL signed by the issuing CA
// with increasing cRLNumbers (RFC 5280 §5.2.3), parsed and verified by the code ImportCrl uses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isRevoked, parseCrl, pemBlocks, verifyCrlIssuer } from '@mooring/pki';
import { DAY, pki, readCert, tempDir } from './helpers.js';

const NOW = new Date('2026-03-01T12:00:00Z');

function crlOf(path: string) {
  const block = pemBlocks(readFileSync(path, 'utf8')).find((b) => b.label === 'X509 CRL');
  assert.ok(block, 'an X509 CRL PEM block');
  const r = parseCrl(block.der);
  assert.ok(r.ok, r.ok ? '' : r.detail);
  return r.value;
}

test('ok/revoke then crl lists the serial with its reason, signed by the issuing CA', async (t) => {
  const tmp = tempDir(t);
  const dir = join(tmp, 'ca');
  assert.equal((await pki(['init-ca', '--dir', dir], { now: NOW })).code, 0);
  assert.equal((await pki(['issue', '--dir', dir, '--cn', 'a', '--out', join(tmp, 'a')], { now: NOW })).code, 0);
  assert.equal((await pki(['issue', '--dir', dir, '--cn', 'b', '--out', join(tmp, 'b')], { now: NOW })).code, 0);
  const a = readCert(join(tmp, 'a-cert.pem'));
  const b = readCert(join(tmp, 'b-cert.pem'));
  const root = readCert(join(dir, 'ca-cert.pem'));

  // An empty CRL first (cRLNumber 1), then one with the revocation (cRLNumber 2).
  const empty = await pki(['crl', '--dir', dir], { now: NOW });
  assert.equal(empty.code, 0, empty.stderr);
  assert.equal(crlOf(join(dir, 'ca-crl.pem')).revoked.size, 0);

  // Serial forms: upper case with colons, as `openssl x509 -serial` / `-text` print it.
  const colon = a.serialHex.toUpperCase().match(/../g)!.join(':');
  const rv = await pki(['revoke', '--dir', dir, '--serial', colon, '--reason', 'keyCompromise'], { now: NOW });
  assert.equal(rv.code, 0, rv.stderr);
  assert.match(rv.stdout, new RegExp(`Revoked serial ${a.serialHex} "CN=a" \\(keyCompromise\\)`));
  const again = await pki(['revoke', '--dir', dir, '--serial', a.serialHex], { now: NOW });
  assert.equal(again.code, 0);
  assert.match(again.stderr, /already revoked/);

  const later = new Date(NOW.getTime() + DAY);
  const out = join(tmp, 'published.pem');
  const c = await pki(['crl', '--dir', dir, '--days', '7', '--out', out], { now: later });
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, new RegExp(`--crl-data fileb://${out}`));
  const crl = crlOf(out);
  assert.equal(crl.crlNumber, 2n);
  assert.equal(crl.thisUpdate.getTime(), Math.floor(later.getTime() / 1000) * 1000);
  assert.equal(crl.nextUpdate?.getTime(), later.getTime() + 7 * DAY);
  assert.deepEqual([...crl.revoked.keys()], [a.serialHex]);
  assert.equal(crl.revoked.get(a.serialHex)?.reason, 1);
  assert.equal(verifyCrlIssuer(crl, [root]).ok, true);
  assert.equal(isRevoked(crl, a), true);
  assert.equal(isRevoked(crl, b), false);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  assert.equal(index.crlNumbers.root, 2);
});

test('ok/with an intermediate, leaves go on its CRL and the intermediate on the root CRL (--issuer root)', async (t) => {
  const tmp = tempDir(t);
  const dir = join(tmp, 'ca');
  assert.equal((await pki(['init-ca', '--dir', dir, '--intermediate'], { now: NOW })).code, 0);
  assert.equal((await pki(['issue', '--dir', dir, '--cn', 'leaf', '--out', join(tmp, 'l')], { now: NOW })).code, 0);
  const leaf = readCert(join(tmp, 'l-cert.pem'));
  const inter = readCert(join(dir, 'intermediate-cert.pem'));
  const root = readCert(join(dir, 'ca-cert.pem'));
  assert.equal((await pki(['revoke', '--dir', dir, '--serial', leaf.serialHex, '--reason', 'superseded'], { now: NOW })).code, 0);
  assert.equal((await pki(['revoke', '--dir', dir, '--serial', inter.serialHex, '--reason', 'cACompromise'], { now: NOW })).code, 0);

  assert.equal((await pki(['crl', '--dir', dir], { now: NOW })).code, 0);
  const ic = crlOf(join(dir, 'intermediate-crl.pem'));
  assert.deepEqual([...ic.revoked.keys()], [leaf.serialHex]);
  const signer = verifyCrlIssuer(ic, [root, inter]);
  assert.ok(signer.ok);
  assert.equal(signer.issuer.fingerprint256, inter.fingerprint256);

  assert.equal((await pki(['crl', '--dir', dir, '--issuer', 'root'], { now: NOW })).code, 0);
  const rc = crlOf(join(dir, 'ca-crl.pem'));
  assert.deepEqual([...rc.revoked.keys()], [inter.serialHex]);
  assert.equal(rc.revoked.get(inter.serialHex)?.reason, 2);
});

test('fail/revoke refuses unknown serials, the root itself, bad reasons; crl refuses a nextUpdate after the CA', async (t) => {
  const tmp = tempDir(t);
  const dir = join(tmp, 'ca');
  assert.equal((await pki(['init-ca', '--dir', dir, '--days', '10'], { now: NOW })).code, 0);
  const root = readCert(join(dir, 'ca-cert.pem'));
  const unknown = await pki(['revoke', '--dir', dir, '--serial', 'abcdef'], { now: NOW });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no certificate with serial abcdef/);
  const self = await pki(['revoke', '--dir', dir, '--serial', root.serialHex], { now: NOW });
  assert.equal(self.code, 1);
  assert.match(self.stderr, /root CA cannot be revoked/);
  for (const reason of ['removeFromCRL', 'stolen']) {
    assert.equal((await pki(['revoke', '--dir', dir, '--serial', root.serialHex, '--reason', reason], { now: NOW })).code, 2, reason);
  }
  assert.equal((await pki(['revoke', '--dir', dir, '--serial', 'xyz'], { now: NOW })).code, 1);
  const long = await pki(['crl', '--dir', dir, '--days', '30'], { now: NOW });
  assert.equal(long.code, 1);
  assert.match(long.stderr, /nextUpdate after the CA expires/);
  assert.equal((await pki(['crl', '--dir', dir, '--issuer', 'intermediate'], { now: NOW })).code, 2);
});
