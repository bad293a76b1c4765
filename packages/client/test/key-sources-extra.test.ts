import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { KeySourceError, loadSigningIdentity, main } from '../src/index.js';
import { resolveSecret } from '../src/key-sources/secret-value.js';
import { captureIo } from './support/capture-io.js';
import { makePki, opensslSkip, type TestPki } from './support/pki.js';
import { startServer, type TestServer } from './support/server.js';

const bin = fileURLToPath(new URL('../bin/mooring-helper.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const TA = 'arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/tttt';
const PROFILE = 'arn:aws:rolesanywhere:us-east-1:000000000000:profile/pppp';
const ROLE = 'arn:aws:iam::000000000000:role/ExampleRole';

let pki: TestPki;
let ra: TestServer;
const p12 = { modern: '', legacy: '', empty: '', rsaLegacyNoChain: '' };
const PASS = 'p12 secret';

before(async () => {
  if (opensslSkip) return;
  pki = makePki();
  ra = await startServer();
  const o = (args: string[]) => execFileSync('openssl', args, { cwd: pki.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  // OpenSSL 3 default: PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC bags, HMAC-SHA256 MAC.
  o(['pkcs12', '-export', '-in', pki.ecCert, '-inkey', pki.ecKeyPkcs8, '-certfile', pki.caCert, '-out', 'modern.p12', '-passout', `pass:${PASS}`]);
  // Legacy: certificates under pbeWithSHA1And40BitRC2-CBC, key under pbeWithSHAAnd3-KeyTripleDES-CBC, HMAC-SHA1 MAC.
  o(['pkcs12', '-export', '-legacy', '-in', pki.rsaCert, '-inkey', pki.rsaKeyPkcs8, '-certfile', pki.caCert, '-out', 'legacy.p12', '-passout', `pass:${PASS}`]);
  o(['pkcs12', '-export', '-legacy', '-in', pki.rsaCert, '-inkey', pki.rsaKeyPkcs8, '-out', 'legacy-nochain.p12', '-passout', `pass:${PASS}`]);
  o(['pkcs12', '-export', '-in', pki.ecCert, '-inkey', pki.ecKeyPkcs8, '-out', 'empty.p12', '-passout', 'pass:']);
  p12.modern = join(pki.dir, 'modern.p12');
  p12.legacy = join(pki.dir, 'legacy.p12');
  p12.empty = join(pki.dir, 'empty.p12');
  p12.rsaLegacyNoChain = join(pki.dir, 'legacy-nochain.p12');
});
after(() => ra?.close());

function keyError(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof KeySourceError && err.code === code && message.test(err.message));
}

async function signsFor(id: ReturnType<typeof loadSigningIdentity>): Promise<boolean> {
  const data = Buffer.from('string to sign');
  const sig = await id.signer.sign(data);
  return verify('sha256', data, { key: id.certificate!.x509.publicKey, dsaEncoding: 'der' }, sig);
}

describe('PKCS#12', { skip: opensslSkip }, () => {
  test('ok/modern AES (PBES2) file: leaf, chain and a working key', async () => {
    const id = loadSigningIdentity({ certificate: p12.modern, pkcs8Password: PASS });
    assert.equal(id.certificate?.x509.subject, 'CN=ec client');
    assert.deepEqual(id.chain.map((c) => c.x509.subject), ['CN=Test Root']);
    assert.equal(id.signer.algorithm, 'AWS4-X509-ECDSA-SHA256');
    assert.ok(await signsFor(id));
  });

  test('ok/legacy 3DES + RC2-40 file (openssl -legacy), RFC 7292 App. B KDF', async () => {
    const id = loadSigningIdentity({ certificate: p12.legacy, pkcs8Password: PASS });
    assert.equal(id.certificate?.serialDecimal, pki.rsaSerialDecimal);
    assert.equal(id.signer.algorithm, 'AWS4-X509-RSA-SHA256');
    assert.equal(id.chain.length, 1);
    assert.ok(await signsFor(id));
  });

  test('ok/empty password', () => {
    assert.equal(loadSigningIdentity({ certificate: p12.empty }).certificate?.x509.subject, 'CN=ec client');
  });

  test('fail/wrong password and missing password are told apart', () => {
    keyError(() => loadSigningIdentity({ certificate: p12.modern, pkcs8Password: 'nope' }), 'password-incorrect', /^incorrect PKCS#12 password$/);
    keyError(() => loadSigningIdentity({ certificate: p12.legacy }), 'password-required', /password-protected/);
  });

  test('ok/credential-process with a .p12 and --pkcs8-password env:NAME sends the chain', async () => {
    const io = captureIo({ P12_PASS: PASS });
    const before = ra.seen.length;
    const code = await main(['credential-process', '--certificate', p12.legacy, '--pkcs8-password', 'env:P12_PASS', '--trust-anchor-arn', TA, '--profile-arn', PROFILE, '--role-arn', ROLE, '--endpoint', ra.url], io);
    assert.equal(code, 0, io.err());
    const seen = ra.seen[before];
    assert.equal(seen?.verdict, 'ok');
    assert.equal(seen?.raw.headers['x-amz-x509-chain'], Buffer.from(readFileSync(pki.caCert, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64'));
  });

  test('ok/a wrong password typed at the prompt is asked again', async () => {
    const answers = ['wrong', PASS];
    const asked: string[] = [];
    const io = { ...captureIo(), prompt: async (q: string) => (asked.push(q), answers.shift() ?? '') };
    const code = await main(['sign-string', '--certificate', p12.rsaLegacyNoChain, '--format', 'text'], io);
    assert.equal(code, 0, io.err());
    assert.deepEqual(asked, ['Please enter your PKC8 private key password:', 'Incorrect PKCS#8 private key password. Please try again:']);
    assert.match(io.out(), /^[0-9a-f]{512}$/);
  });
});

describe('other key sources', { skip: opensslSkip }, () => {
  test('ok/fullchain PEM: the certificates after the leaf are the chain', () => {
    const full = join(pki.dir, 'fullchain.pem');
    writeFileSync(full, readFileSync(pki.rsaCert, 'utf8') + readFileSync(pki.caCert, 'utf8'));
    const id = loadSigningIdentity({ certificate: full, privateKey: pki.rsaKeyPkcs8 });
    assert.equal(id.certificate?.serialDecimal, pki.rsaSerialDecimal);
    assert.deepEqual(id.chain.map((c) => c.x509.subject), ['CN=Test Root']);
    // An explicit bundle wins over the file's extra certificates.
    assert.equal(loadSigningIdentity({ certificate: full, privateKey: pki.rsaKeyPkcs8, intermediates: pki.bundle }).chain.length, 2);
  });

  test('ok/certificate and key from environment variables (env:NAME)', async () => {
    const env = { CERT_PEM: readFileSync(pki.ecCert, 'utf8'), KEY_PEM: readFileSync(pki.ecKeySec1, 'utf8') };
    const id = loadSigningIdentity({ certificate: 'env:CERT_PEM', privateKey: 'env:KEY_PEM', env });
    assert.ok(await signsFor(id));
    keyError(() => loadSigningIdentity({ certificate: 'env:NOPE', privateKey: 'env:KEY_PEM', env }), 'read-failed', /^failed to read certificate: environment variable NOPE is not set$/);
  });

  test('ok/env:NAME may hold a base64 PKCS#12', () => {
    const env = { P12: readFileSync(p12.modern).toString('base64') };
    assert.equal(loadSigningIdentity({ certificate: 'env:P12', pkcs8Password: PASS, env }).certificate?.x509.subject, 'CN=ec client');
  });

  test('fail/a PEM with two private keys is refused', () => {
    const two = join(pki.dir, 'two-keys.pem');
    writeFileSync(two, readFileSync(pki.rsaKeyPkcs8, 'utf8') + readFileSync(pki.ecKeyPkcs8, 'utf8'));
    keyError(() => loadSigningIdentity({ certificate: pki.rsaCert, privateKey: two }), 'private-key-invalid', /more than one private key/);
  });

  test('ok/--pkcs8-password spellings: literal, pass:, env:, file:', () => {
    const f = join(pki.dir, 'pw.txt');
    writeFileSync(f, 'from file\n');
    assert.equal(resolveSecret('plain', {}, 'x'), 'plain');
    assert.equal(resolveSecret('pass:env:literal', {}, 'x'), 'env:literal');
    assert.equal(resolveSecret('env:PW', { PW: 'from env' }, 'x'), 'from env');
    assert.equal(resolveSecret(`file:${f}`, {}, 'x'), 'from file');
    assert.equal(resolveSecret('', {}, 'x'), undefined);
    assert.throws(() => resolveSecret('env:MISSING', {}, '--pkcs8-password'), /^KeySourceError: --pkcs8-password: environment variable MISSING is not set$/);
  });

  test('ok/encrypted PKCS#8 with --pkcs8-password file:PATH', async () => {
    const f = join(pki.dir, 'pkcs8-pw.txt');
    writeFileSync(f, `${pki.password}\n`);
    const io = captureIo();
    const code = await main(['sign-string', '--private-key', pki.rsaKeyEncrypted, '--pkcs8-password', `file:${f}`, '--format', 'text'], io);
    assert.equal(code, 0, io.err());
  });

  test('ok/certificate and key on stdin (-), spawned binary', async () => {
    execFileSync('npx', ['tsc', '-b', 'packages/client'], { cwd: repoRoot, stdio: 'ignore' });
    const child = spawn('node', [bin, 'credential-process', '--certificate', '-', '--trust-anchor-arn', TA, '--profile-arn', PROFILE, '--role-arn', ROLE, '--endpoint', ra.url]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.stdin.end(readFileSync(pki.rsaCombo));
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 0, err);
    assert.match(out, /^\{"Version":1,"AccessKeyId":"ASIA/);
    assert.equal(ra.seen.at(-1)?.verdict, 'ok');
  });
});
