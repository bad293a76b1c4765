// PKCS#11 against SoftHSM2: keys are generated ON the token (CKA_SENSITIVE, not extractable), the
// certificates are built for the token's public keys with @mooring/pki and imported as objects.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildCertificate, createCertificateAuthority, parseCertificate } from '@mooring/pki';
import { KeySourceError, main, openSigningIdentity } from '../src/index.js';
import { fixedStringToSign } from '../src/cli/sign-string.js';
import { parsePkcs11Uri, redactPkcs11Uri } from '../src/pkcs11/pkcs11-uri.js';
import { rawEcdsaToDer } from '../src/pkcs11/ec-encoding.js';
import { requireOrSkip } from '../../../scripts/test-support.mjs';
import { captureIo } from './support/capture-io.js';
import { startServer, type TestServer } from './support/server.js';

const MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const require = createRequire(import.meta.url);
let pkcs11js: any;
try {
  pkcs11js = require('pkcs11js');
} catch {
  pkcs11js = undefined;
}
const skip = requireOrSkip(
  pkcs11js !== undefined && existsSync(MODULE) && existsSync('/usr/bin/softhsm2-util'),
  'SoftHSM2 (softhsm2-util, libsofthsm2.so) or pkcs11js not available',
);

const TA = 'arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/tttt';
const PROFILE = 'arn:aws:rolesanywhere:us-east-1:000000000000:profile/pppp';
const ROLE = 'arn:aws:iam::000000000000:role/ExampleRole';
const PIN = '1234';
const TOKEN = 'mooring-test';

describe('PKCS#11 URI (RFC 7512)', () => {
  test('ok/path, percent-encoded id and query', () => {
    const u = parsePkcs11Uri('pkcs11:token=My%20Token;object=key;id=%01%AB?pin-value=12%2634&module-path=/x.so');
    assert.equal(u.path.get('token'), 'My Token');
    assert.deepEqual(u.id, Buffer.from([0x01, 0xab]));
    assert.equal(u.query.get('pin-value'), '12&34');
    assert.equal(u.query.get('module-path'), '/x.so');
    assert.equal(redactPkcs11Uri('pkcs11:token=t?pin-value=1234'), 'pkcs11:token=t?pin-value=***');
  });

  test('fail/unknown path attribute, duplicates and bad encoding', () => {
    assert.throws(() => parsePkcs11Uri('pkcs11:tokn=x'), /unknown path attribute "tokn"/);
    assert.throws(() => parsePkcs11Uri('pkcs11:token=a;token=b'), /duplicate attribute "token"/);
    assert.throws(() => parsePkcs11Uri('pkcs11:id=%zz'), /bad percent-encoding/);
  });

  test('ok/raw r||s becomes DER, with sign padding', () => {
    const der = rawEcdsaToDer(Buffer.concat([Buffer.from([0x80]), Buffer.alloc(31, 1), Buffer.alloc(31, 0), Buffer.from([5])]));
    assert.equal(der.toString('hex'), '3026022100' + '80' + '01'.repeat(31) + '020105');
  });
});

describe('PKCS#11 with SoftHSM2', { skip }, () => {
  let dir: string;
  let ra: TestServer;
  const certs: Record<string, string> = {};
  let rsaPublic: KeyObject;

  before(async () => {
    if (skip) return;
    dir = mkdtempSync(join(tmpdir(), 'mooring-p11-'));
    mkdirSync(join(dir, 'tokens'));
    writeFileSync(join(dir, 'softhsm2.conf'), `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
    process.env.SOFTHSM2_CONF = join(dir, 'softhsm2.conf');
    execFileSync('softhsm2-util', ['--init-token', '--free', '--label', TOKEN, '--pin', PIN, '--so-pin', '12345678'], { stdio: 'ignore' });
    const ca = createCertificateAuthority({ subject: [['CN', 'Token CA']], notBefore: new Date('2020-01-01Z'), notAfter: new Date('2040-01-01Z') });
    const p11 = new pkcs11js.PKCS11();
    p11.load(MODULE);
    p11.C_Initialize();
    try {
      const slot = p11.C_GetSlotList(true).find((s: Buffer) => p11.C_GetTokenInfo(s).label.trim() === TOKEN);
      const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      p11.C_Login(session, pkcs11js.CKU_USER, PIN);
      const priv = (label: string, id: number) => [
        { type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_PRIVATE, value: true },
        { type: pkcs11js.CKA_SIGN, value: true }, { type: pkcs11js.CKA_SENSITIVE, value: true },
        { type: pkcs11js.CKA_EXTRACTABLE, value: false }, { type: pkcs11js.CKA_LABEL, value: label }, { type: pkcs11js.CKA_ID, value: Buffer.from([id]) },
      ];
      const pub = (label: string, id: number, extra: object[]) => [
        { type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_VERIFY, value: true },
        { type: pkcs11js.CKA_LABEL, value: label }, { type: pkcs11js.CKA_ID, value: Buffer.from([id]) }, ...extra,
      ];
      const rsa = p11.C_GenerateKeyPair(session, { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
        pub('rsa-key', 1, [{ type: pkcs11js.CKA_MODULUS_BITS, value: 2048 }, { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }]), priv('rsa-key', 1));
      const ec = p11.C_GenerateKeyPair(session, { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
        pub('ec-key', 2, [{ type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from('06082a8648ce3d030107', 'hex') }]), priv('ec-key', 2));
      const [n, e] = p11.C_GetAttributeValue(session, rsa.publicKey, [{ type: pkcs11js.CKA_MODULUS }, { type: pkcs11js.CKA_PUBLIC_EXPONENT }]);
      rsaPublic = createPublicKey({ key: { kty: 'RSA', n: n.value.toString('base64url'), e: e.value.toString('base64url') }, format: 'jwk' });
      const [point] = p11.C_GetAttributeValue(session, ec.publicKey, [{ type: pkcs11js.CKA_EC_POINT }]);
      const xy = (point.value as Buffer).subarray(3); // DER OCTET STRING (04 41) around 04||X||Y
      const ecPublic = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: xy.subarray(0, 32).toString('base64url'), y: xy.subarray(32).toString('base64url') }, format: 'jwk' });
      for (const [name, key, id] of [['rsa-key', rsaPublic, 1], ['ec-key', ecPublic, 2]] as const) {
        const der = buildCertificate({
          subject: [['CN', name]], issuerDer: ca.cert.subject.der, serial: BigInt(id + 100),
          notBefore: new Date('2020-01-01Z'), notAfter: new Date('2040-01-01Z'),
          publicKey: key, signingKey: ca.key, basicConstraints: { ca: false, critical: true }, keyUsage: ['digitalSignature'],
        });
        const parsed = parseCertificate(der);
        assert.ok(parsed.ok);
        p11.C_CreateObject(session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }, { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
          { type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_LABEL, value: name }, { type: pkcs11js.CKA_ID, value: Buffer.from([id]) },
          { type: pkcs11js.CKA_SUBJECT, value: parsed.value.subject.der }, { type: pkcs11js.CKA_VALUE, value: der },
        ]);
        certs[name] = join(dir, `${name}.pem`);
        writeFileSync(certs[name] as string, `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`);
      }
      // The private keys cannot be read out.
      assert.throws(() => p11.C_GetAttributeValue(session, rsa.privateKey, [{ type: pkcs11js.CKA_PRIVATE_EXPONENT }]));
      p11.C_Logout(session);
      p11.C_CloseSession(session);
    } finally {
      p11.C_Finalize();
      p11.close();
    }
    ra = await startServer();
  });
  after(() => ra?.close());

  const cp = (extra: string[]) => ['credential-process', '--trust-anchor-arn', TA, '--profile-arn', PROFILE, '--role-arn', ROLE, '--endpoint', ra.url, '--pkcs11-lib', MODULE, ...extra];

  test('ok/RSA: certificate and key from one URI, PIN in the URI; the server verifies', async () => {
    const io = captureIo();
    const before = ra.seen.length;
    assert.equal(await main(cp(['--certificate', `pkcs11:token=${TOKEN};object=rsa-key?pin-value=${PIN}`]), io), 0, io.err());
    assert.equal(ra.seen[before]?.verdict, 'ok');
    assert.match(String(ra.seen[before]?.raw.headers.authorization), /^AWS4-X509-RSA-SHA256 Credential=101\//);
  });

  test('ok/P-256: file certificate, key URI by id, PIN from PKCS11_PIN', async () => {
    const io = captureIo({ PKCS11_PIN: PIN });
    const before = ra.seen.length;
    assert.equal(await main(cp(['--certificate', certs['ec-key'] as string, '--private-key', `pkcs11:token=${TOKEN};id=%02`]), io), 0, io.err());
    assert.equal(ra.seen[before]?.verdict, 'ok');
    assert.match(String(ra.seen[before]?.raw.headers.authorization), /^AWS4-X509-ECDSA-SHA256 /);
  });

  test('ok/pin-source=file: and the prompt', async () => {
    const pinFile = join(dir, 'pin');
    writeFileSync(pinFile, `${PIN}\n`);
    assert.equal(await main(cp(['--certificate', `pkcs11:token=${TOKEN};object=ec-key?pin-source=file:${pinFile}`]), captureIo()), 0);
    const asked: string[] = [];
    const io = { ...captureIo(), prompt: async (q: string) => (asked.push(q), PIN) };
    assert.equal(await main(cp(['--certificate', certs['rsa-key'] as string, '--private-key', `pkcs11:token=${TOKEN};object=rsa-key`]), io), 0, io.err());
    assert.deepEqual(asked, ['Please enter your user PIN:']);
  });

  test('ok/sign-string with a token key and no certificate verifies with the token public key', async () => {
    const io = captureIo();
    assert.equal(await main(['sign-string', '--pkcs11-lib', MODULE, '--private-key', `pkcs11:token=${TOKEN};object=rsa-key?pin-value=${PIN}`, '--digest', 'SHA384', '--format', 'text'], io), 0, io.err());
    assert.ok(verify('sha384', fixedStringToSign(rsaPublic), rsaPublic, Buffer.from(io.out(), 'hex')));
  });

  test('ok/the SDK provider path: openSigningIdentity returns a token signer', async () => {
    const id = await openSigningIdentity({ certificate: `pkcs11:token=${TOKEN};object=ec-key`, pkcs11Lib: MODULE, pkcs11Pin: PIN });
    try {
      assert.equal(id.privateKey, undefined);
      const sig = await id.signer.sign(Buffer.from('x'));
      assert.ok(verify('sha256', Buffer.from('x'), { key: id.certificate!.x509.publicKey, dsaEncoding: 'der' }, sig));
    } finally {
      await id.close();
    }
  });

  const fails = async (extra: string[], code: string, message: RegExp, env = {}) => {
    await assert.rejects(openSigningIdentity({ pkcs11Lib: MODULE, env, ...Object.fromEntries(extra.map((v, i) => [i === 0 ? 'certificate' : 'privateKey', v])) }), (err: unknown) => {
      assert.ok(err instanceof KeySourceError, String(err));
      assert.equal(err.code, code);
      assert.match(err.message, message);
      assert.ok(!err.message.includes(PIN) || message.source.includes(PIN));
      return true;
    });
  };

  test('fail/a URI matching nothing', () => fails([`pkcs11:token=${TOKEN};object=nope?pin-value=${PIN}`], 'pkcs11-no-match', /^no matching certificates$/));
  test('fail/a URI matching several certificates', () => fails([`pkcs11:token=${TOKEN}?pin-value=${PIN}`], 'pkcs11-ambiguous', /^multiple matching certificates$/));
  test('fail/another token', () => fails([`pkcs11:token=other?pin-value=${PIN}`], 'pkcs11-no-match', /^no matching slots$/));
  test('fail/wrong PIN', () => fails([`pkcs11:token=${TOKEN};object=rsa-key?pin-value=0000`], 'pin-incorrect', /^user authentication failed \(CKR_PIN_INCORRECT\)$/));
  test('fail/key that does not match the certificate', () => fails([certs['rsa-key'] as string, `pkcs11:token=${TOKEN};object=ec-key?pin-value=${PIN}`], 'pkcs11-no-match', /unable to find matching private key/));
  test('fail/no PIN anywhere and no prompt', () => fails([certs['rsa-key'] as string, `pkcs11:token=${TOKEN};object=rsa-key`], 'pin-required', /PIN required/));
  test('fail/a module that does not load', async () => {
    await assert.rejects(openSigningIdentity({ certificate: 'pkcs11:token=x', pkcs11Lib: '/nonexistent/lib.so' }), /^KeySourceError: Failed to load provider library \/nonexistent\/lib.so$/);
  });
});
