// `mooring pki` with the CA key on a PKCS#11 token (SoftHSM2): init-ca generates the key ON the token
// (sensitive, not extractable) or uses an existing key object; issue and crl sign through PKCS#11. The
// leaf passes validatePath, a real CreateSession and `openssl verify`; the CRL verifies with
// `openssl crl -CAfile`; no private key is ever written to the CA directory.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadPkcs11Module } from '@mooring/client';
import { parseCrl, validatePath, verifyCrlIssuer } from '@mooring/pki';
import { commandWorks, requireOrSkip } from '../../../../scripts/test-support.mjs';
import { Harness, sessionRequest } from '../support/in-process.js';
import { run } from '../support/run.js';
import { pki, readCert, readCerts } from './helpers.js';

const MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const TOKEN = 'mooring-ca';
const PIN = '4321';
const require = createRequire(import.meta.url);
function resolvable(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
const skip = requireOrSkip(
  resolvable('pkcs11js') && existsSync(MODULE) && commandWorks('softhsm2-util', ['--version']) && commandWorks('openssl', ['version']),
  'SoftHSM2 (softhsm2-util, libsofthsm2.so), pkcs11js or openssl not available',
);

const CKA = { CLASS: 0x0, LABEL: 0x3, SENSITIVE: 0x103, EXTRACTABLE: 0x162, NEVER_EXTRACTABLE: 0x164 };
const CKO_PRIVATE_KEY = 3;

function trustPolicy(cn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
      Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': cn } },
    }],
  });
}

/** Every file under `dir`, for "no private key on disk". */
function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('mooring pki with the CA key in PKCS#11 (SoftHSM2)', { skip }, () => {
  let tmp: string;
  const h = new Harness();
  const tokenFlags = ['--pkcs11-lib', MODULE, '--pin-source', 'env:MOORING_TEST_CA_PIN'];

  before(async () => {
    if (skip) return;
    tmp = mkdtempSync(join(tmpdir(), 'mooring-pki-p11-'));
    mkdirSync(join(tmp, 'tokens'));
    writeFileSync(join(tmp, 'softhsm2.conf'), `directories.tokendir = ${join(tmp, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
    // Read by SoftHSM at C_Initialize, i.e. at the first PKCS#11 use in this process.
    process.env.SOFTHSM2_CONF = join(tmp, 'softhsm2.conf');
    process.env.MOORING_TEST_CA_PIN = PIN;
    execFileSync('softhsm2-util', ['--init-token', '--free', '--label', TOKEN, '--pin', PIN, '--so-pin', '87654321'], { stdio: 'ignore' });
    await h.start();
  });
  after(async () => {
    if (skip) return;
    await h.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** The token's private key object `label`: its CKA_SENSITIVE / CKA_EXTRACTABLE / CKA_NEVER_EXTRACTABLE. */
  async function keyAttributes(label: string): Promise<{ sensitive: boolean; extractable: boolean; neverExtractable: boolean }> {
    const p11 = await loadPkcs11Module(MODULE);
    const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === TOKEN)!;
    const session = p11.C_OpenSession(slot, 0x4);
    try {
      p11.C_Login(session, 1, PIN);
      p11.C_FindObjectsInit(session, [{ type: CKA.CLASS, value: CKO_PRIVATE_KEY }, { type: CKA.LABEL, value: label }]);
      const found = p11.C_FindObjects(session, 4);
      p11.C_FindObjectsFinal(session);
      assert.equal(found.length, 1, `one private key labelled ${label}`);
      const [s, e, n] = p11.C_GetAttributeValue(session, found[0]!, [{ type: CKA.SENSITIVE }, { type: CKA.EXTRACTABLE }, { type: CKA.NEVER_EXTRACTABLE }]);
      const b = (v: unknown) => v === true || (Buffer.isBuffer(v) && v[0] === 1);
      return { sensitive: b(s?.value), extractable: b(e?.value), neverExtractable: b(n?.value) };
    } finally {
      p11.C_CloseSession(session);
    }
  }

  async function createSessionWith(name: string, bundle: string, prefix: string, cn: string) {
    const role = await h.iam({ Action: 'CreateRole', RoleName: name, AssumeRolePolicyDocument: trustPolicy(cn) });
    assert.equal(role.status, 200, role.body);
    const roleArn = /<Arn>([^<]+)<\/Arn>/.exec(role.body)![1]!;
    const ta = await h.admin('rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name, enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: bundle } } }));
    assert.equal(ta.status, 201, ta.body);
    const profile = await h.admin('rolesanywhere', 'POST', '/profiles', JSON.stringify({ name, enabled: true, roleArns: [roleArn] }));
    assert.equal(profile.status, 201, profile.body);
    const [leaf, ...chain] = readCerts(`${prefix}-fullchain.pem`);
    const identity = { der: leaf!.der, key: createPrivateKey(readFileSync(`${prefix}-key.pem`)), serialHex: leaf!.serialHex, serialDecimal: leaf!.serialDecimal };
    const r = await h.send(await sessionRequest({
      identity, chain: chain.map((c) => c.der), roleArn,
      trustAnchorArn: ta.json().trustAnchor.trustAnchorArn as string, profileArn: profile.json().profile.profileArn as string,
    }));
    return { r, serialHex: leaf!.serialHex, trustAnchorArn: ta.json().trustAnchor.trustAnchorArn as string };
  }

  test('ok/P-256 root generated on the token: issue, validatePath, CreateSession, openssl verify, CRL verified by openssl', async () => {
    const dir = join(tmp, 'ec');
    const uri = `pkcs11:token=${TOKEN};object=root-ec`;
    const init = await pki(['init-ca', '--dir', dir, '--cn', 'Token EC CA', '--key', 'p256', '--key-uri', uri, ...tokenFlags]);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /key generated on the token: pkcs11:token=mooring-ca;object=root-ec/);
    assert.equal(existsSync(join(dir, 'ca-key.pem')), false);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'ca-key-pkcs11.json'), 'utf8')), { uri, module: MODULE });
    assert.deepEqual(await keyAttributes('root-ec'), { sensitive: true, extractable: false, neverExtractable: true });
    const root = readCert(join(dir, 'ca-cert.pem'));
    assert.equal(root.publicKey.asymmetricKeyType, 'ec');

    const issued = await pki(['issue', '--dir', dir, '--cn', 'ecWorkload', '--out', join(tmp, 'ec-leaf'), ...tokenFlags]);
    assert.equal(issued.code, 0, issued.stderr);
    const leaf = readCert(join(tmp, 'ec-leaf-cert.pem'));
    const path = validatePath({ leaf, intermediates: [], anchors: [root], now: new Date() });
    assert.ok(path.ok, path.ok ? '' : path.detail);

    const s = await createSessionWith('token-ec', readFileSync(join(dir, 'ca-cert.pem'), 'utf8'), join(tmp, 'ec-leaf'), 'ecWorkload');
    assert.equal(s.r.status, 201, s.r.body);
    assert.equal(s.r.json().credentialSet[0].assumedRoleUser.arn, `arn:aws:sts::111122223333:assumed-role/token-ec/${s.serialHex}`);

    const v = run('openssl', ['verify', '-x509_strict', '-CAfile', join(dir, 'ca-cert.pem'), join(tmp, 'ec-leaf-cert.pem')]);
    assert.equal(v.status, 0, v.stderr);

    assert.equal((await pki(['revoke', '--dir', dir, '--serial', s.serialHex, '--reason', 'keyCompromise'])).code, 0);
    const crl = await pki(['crl', '--dir', dir, '--out', join(tmp, 'ec-crl.pem'), ...tokenFlags]);
    assert.equal(crl.code, 0, crl.stderr);
    const o = run('openssl', ['crl', '-in', join(tmp, 'ec-crl.pem'), '-CAfile', join(dir, 'ca-cert.pem'), '-noout']);
    assert.equal(o.status, 0, o.stderr);
    assert.match(o.stdout + o.stderr, /verify OK/);
    const parsed = parseCrl(readFileSync(join(tmp, 'ec-crl.pem')));
    assert.ok(parsed.ok);
    assert.ok(verifyCrlIssuer(parsed.value, [root]).ok);
    // ImportCrl accepts it, and the revoked leaf is then refused.
    const imported = await h.admin('rolesanywhere', 'POST', '/crls', JSON.stringify({
      name: 'token-crl', enabled: true, trustAnchorArn: s.trustAnchorArn, crlData: readFileSync(join(tmp, 'ec-crl.pem')).toString('base64'),
    }));
    assert.equal(imported.status, 201, imported.body);

    // Nothing in the CA directory is a private key: only certificates, the key URI, index and serial.
    for (const f of allFiles(dir)) assert.doesNotMatch(readFileSync(f, 'latin1'), /PRIVATE KEY/, f);
  });

  test('ok/RSA root and P-256 intermediate both on the token: the intermediate signs leaves and CRLs', async () => {
    const dir = join(tmp, 'rsa');
    const init = await pki([
      'init-ca', '--dir', dir, '--cn', 'Token RSA CA', '--key', 'rsa2048', '--key-uri', `pkcs11:token=${TOKEN};object=root-rsa`,
      '--intermediate', '--intermediate-key-uri', `pkcs11:token=${TOKEN};object=inter-rsa`, ...tokenFlags,
    ]);
    assert.equal(init.code, 0, init.stderr);
    assert.ok(existsSync(join(dir, 'intermediate-key-pkcs11.json')));
    assert.equal(existsSync(join(dir, 'intermediate-key.pem')), false);
    assert.equal(readCert(join(dir, 'ca-cert.pem')).publicKey.asymmetricKeyType, 'rsa');
    assert.equal((await keyAttributes('inter-rsa')).extractable, false);

    assert.equal((await pki(['issue', '--dir', dir, '--cn', 'rsaWorkload', '--key', 'rsa2048', '--out', join(tmp, 'rsa-leaf'), ...tokenFlags])).code, 0);
    const s = await createSessionWith('token-rsa', readFileSync(join(dir, 'ca-cert.pem'), 'utf8'), join(tmp, 'rsa-leaf'), 'rsaWorkload');
    assert.equal(s.r.status, 201, s.r.body);
    const v = run('openssl', ['verify', '-x509_strict', '-CAfile', join(dir, 'ca-cert.pem'), '-untrusted', join(dir, 'intermediate-cert.pem'), join(tmp, 'rsa-leaf-cert.pem')]);
    assert.equal(v.status, 0, v.stderr);
    // The root's CRL is signed by the RSA key on the token.
    assert.equal((await pki(['crl', '--dir', dir, '--issuer', 'root', '--out', join(tmp, 'root-crl.pem'), ...tokenFlags])).code, 0);
    const o = run('openssl', ['crl', '-in', join(tmp, 'root-crl.pem'), '-CAfile', join(dir, 'ca-cert.pem'), '-noout']);
    assert.equal(o.status, 0, o.stderr);
    assert.match(o.stdout + o.stderr, /verify OK/);
    for (const f of allFiles(dir)) assert.doesNotMatch(readFileSync(f, 'latin1'), /PRIVATE KEY/, f);
  });

  test('ok/an existing key object is used, not replaced', async () => {
    const first = readCert(join(tmp, 'ec', 'ca-cert.pem'));
    const dir = join(tmp, 'again');
    const r = await pki(['init-ca', '--dir', dir, '--cn', 'Same key', '--key-uri', `pkcs11:token=${TOKEN};object=root-ec`, ...tokenFlags]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /key already on the token/);
    assert.ok(readCert(join(dir, 'ca-cert.pem')).spki.equals(first.spki));
  });

  test('fail/wrong PIN, missing PIN, a URI without object or id, a key that does not match the CA certificate', async () => {
    process.env.MOORING_TEST_WRONG_PIN = '0000';
    const wrong = await pki(['init-ca', '--dir', join(tmp, 'wrong'), '--key-uri', `pkcs11:token=${TOKEN};object=x`, '--pkcs11-lib', MODULE, '--pin-source', 'env:MOORING_TEST_WRONG_PIN']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /login failed \(CKR_PIN_INCORRECT\)/);
    assert.doesNotMatch(wrong.stderr, /0000/);

    const noObject = await pki(['init-ca', '--dir', join(tmp, 'noobj'), '--key-uri', `pkcs11:token=${TOKEN}`, ...tokenFlags]);
    assert.equal(noObject.code, 2);
    assert.match(noObject.stderr, /must name the key with object=LABEL/);

    // issue without a PIN: refused, and the recorded URI carries none.
    const saved = process.env.PKCS11_PIN;
    delete process.env.PKCS11_PIN;
    const noPin = await pki(['issue', '--dir', join(tmp, 'ec'), '--cn', 'x', '--out', join(tmp, 'nopin')]);
    if (saved !== undefined) process.env.PKCS11_PIN = saved;
    assert.equal(noPin.code, 1);
    assert.match(noPin.stderr, /PIN required/);
    assert.equal(existsSync(join(tmp, 'nopin-cert.pem')), false);

    // A pin-value in the URI is used but never written to the CA directory.
    const withPin = await pki(['init-ca', '--dir', join(tmp, 'pinuri'), '--key-uri', `pkcs11:token=${TOKEN};object=root-ec?pin-value=${PIN}`, '--pkcs11-lib', MODULE]);
    assert.equal(withPin.code, 0, withPin.stderr);
    assert.doesNotMatch(readFileSync(join(tmp, 'pinuri', 'ca-key-pkcs11.json'), 'utf8'), /pin-value|4321/);

    // The URI now names another key than the one in ca-cert.pem: issue refuses instead of mis-signing.
    writeFileSync(join(tmp, 'again', 'ca-key-pkcs11.json'), JSON.stringify({ uri: `pkcs11:token=${TOKEN};object=root-rsa`, module: MODULE }));
    const mismatch = await pki(['issue', '--dir', join(tmp, 'again'), '--cn', 'y', '--out', join(tmp, 'mismatch'), ...tokenFlags]);
    assert.equal(mismatch.code, 1);
    assert.match(mismatch.stderr, /unable to find matching private key/);
  });
});
