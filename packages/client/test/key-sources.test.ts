import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import {
  KeySourceError,
  loadCertificate,
  loadCertificateChain,
  loadPrivateKey,
  loadSigningIdentity,
} from '../src/index.js';
import { decodePemBlocks } from '../src/key-sources/pem.js';
import { makePki, opensslSkip, type TestPki } from './support/pki.js';

let pki: TestPki;
before(() => {
  if (opensslSkip) return;
  pki = makePki();
});

function rejects(fn: () => unknown, code: string, message: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof KeySourceError, `expected KeySourceError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

describe('private keys', { skip: opensslSkip }, () => {
  for (const [name, file, type] of [
    ['PKCS#8 RSA', 'rsaKeyPkcs8', 'rsa'],
    ['PKCS#1 RSA', 'rsaKeyPkcs1', 'rsa'],
    ['PKCS#8 EC', 'ecKeyPkcs8', 'ec'],
    ['SEC1 EC', 'ecKeySec1', 'ec'],
  ] as const) {
    test(`ok/${name}`, () => {
      const path = pki[file];
      assert.match(readFileSync(path, 'utf8'), file.includes('Pkcs1') ? /RSA PRIVATE KEY/ : file.includes('Sec1') ? /EC PRIVATE KEY/ : /BEGIN PRIVATE KEY/);
      const key = loadPrivateKey(path);
      assert.equal(key.type, 'private');
      assert.equal(key.asymmetricKeyType, type);
    });
  }

  test('ok/encrypted PKCS#8 with the right password', () => {
    const key = loadPrivateKey(pki.rsaKeyEncrypted, { pkcs8Password: pki.password });
    const plain = loadPrivateKey(pki.rsaKeyPkcs8);
    assert.deepEqual(
      createPublicKey(key).export({ type: 'spki', format: 'der' }),
      createPublicKey(plain).export({ type: 'spki', format: 'der' }),
    );
  });

  test('fail/encrypted PKCS#8 with a wrong password', () => {
    rejects(() => loadPrivateKey(pki.rsaKeyEncrypted, { pkcs8Password: 'wrong' }), 'password-incorrect', 'incorrect PKCS#8 private key password');
  });

  test('fail/encrypted PKCS#8 without a password', () => {
    rejects(() => loadPrivateKey(pki.rsaKeyEncrypted), 'password-required', /--pkcs8-password/);
  });

  test('ok/key inside a combo file', () => {
    assert.equal(loadPrivateKey(pki.rsaCombo).asymmetricKeyType, 'rsa');
  });

  test('ok/inline PEM string and Buffer', () => {
    const pem = readFileSync(pki.ecKeySec1, 'utf8');
    assert.equal(loadPrivateKey(pem).asymmetricKeyType, 'ec');
    assert.equal(loadPrivateKey(Buffer.from(pem)).asymmetricKeyType, 'ec');
  });

  test('fail/no key block: could not parse PEM data', () => {
    rejects(() => loadPrivateKey(pki.rsaCert), 'pem-not-found', 'could not parse PEM data');
  });

  test('fail/garbage inside a key block: could not parse private key', () => {
    const path = join(pki.dir, 'bad.key');
    writeFileSync(path, '-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n');
    rejects(() => loadPrivateKey(path), 'private-key-invalid', 'could not parse private key');
  });

  test('fail/missing file names the path, not the contents', () => {
    rejects(() => loadPrivateKey(join(pki.dir, 'nope.key')), 'read-failed', /^failed to read private key: .*nope\.key/);
  });

  test('fail/TPM key blob is refused clearly', () => {
    const path = join(pki.dir, 'tpm.key');
    writeFileSync(path, '-----BEGIN TSS2 PRIVATE KEY-----\nMAA=\n-----END TSS2 PRIVATE KEY-----\n');
    rejects(() => loadPrivateKey(path), 'unsupported-source', /not supported yet in this build/);
  });
});

describe('certificates', { skip: opensslSkip }, () => {
  test('ok/serial is decimal and der matches the PEM', () => {
    const cert = loadCertificate(pki.rsaCert);
    assert.equal(cert.serialDecimal, pki.rsaSerialDecimal);
    const block = decodePemBlocks(readFileSync(pki.rsaCert, 'utf8'))[0];
    assert.deepEqual(cert.der, block?.der);
  });

  test('ok/certificate from a combo file with leading text', () => {
    assert.equal(loadCertificate(pki.rsaCombo).serialDecimal, pki.rsaSerialDecimal);
  });

  test('fail/not PEM: could not parse PEM data', () => {
    rejects(() => loadCertificate(pki.rsaKeyPkcs8), 'pem-not-found', 'could not parse PEM data');
  });

  test('fail/bad DER inside a CERTIFICATE block: could not parse certificate', () => {
    const path = join(pki.dir, 'bad.pem');
    writeFileSync(path, '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n');
    rejects(() => loadCertificate(path), 'certificate-invalid', 'could not parse certificate');
  });

  test('ok/intermediates keep file order and ignore text between blocks', () => {
    const chain = loadCertificateChain(pki.bundle);
    assert.equal(chain.length, 2);
    assert.deepEqual(chain[0]?.der, loadCertificate(pki.caCert).der);
    assert.deepEqual(chain[1]?.der, loadCertificate(pki.ecCert).der);
  });

  test('fail/a non-CERTIFICATE block in the intermediates: invalid certificate chain', () => {
    rejects(() => loadCertificateChain(pki.rsaCombo), 'chain-invalid', 'invalid certificate chain');
  });
});

describe('signing identity', { skip: opensslSkip }, () => {
  test('ok/RSA identity signs AWS4-X509-RSA-SHA256 verifiable with the certificate', async () => {
    const id = loadSigningIdentity({ certificate: pki.rsaCert, privateKey: pki.rsaKeyPkcs1, intermediates: pki.bundle });
    assert.equal(id.signer.algorithm, 'AWS4-X509-RSA-SHA256');
    assert.equal(id.chain.length, 2);
    const data = Buffer.from('string to sign');
    const sig = await id.signer.sign(data);
    assert.ok(verify('sha256', data, id.certificate!.x509.publicKey, sig));
  });

  test('ok/EC identity signs AWS4-X509-ECDSA-SHA256 in DER', async () => {
    const id = loadSigningIdentity({ certificate: pki.ecCert, privateKey: pki.ecKeySec1 });
    assert.equal(id.signer.algorithm, 'AWS4-X509-ECDSA-SHA256');
    const data = Buffer.from('x');
    const sig = Buffer.from(await id.signer.sign(data));
    assert.equal(sig[0], 0x30);
    assert.ok(verify('sha256', data, { key: id.certificate!.x509.publicKey, dsaEncoding: 'der' }, sig));
  });

  test('ok/combo file as --certificate alone', () => {
    const id = loadSigningIdentity({ certificate: pki.rsaCombo });
    assert.equal(id.certificate?.serialDecimal, pki.rsaSerialDecimal);
  });

  test('fail/key that does not match the certificate', () => {
    rejects(() => loadSigningIdentity({ certificate: pki.rsaCert, privateKey: pki.ecKeyPkcs8 }), 'key-certificate-mismatch', /does not match/);
  });

  test('fail/no certificate: undefined certificate value', () => {
    rejects(() => loadSigningIdentity({ privateKey: pki.rsaKeyPkcs8 }), 'certificate-invalid', 'undefined certificate value');
  });

  test('fail/neither certificate nor key names the flags', () => {
    rejects(() => loadSigningIdentity({}), 'unsupported-source', /--certificate and --private-key/);
  });

  test('fail/pkcs11 URI needs the asynchronous loader', () => {
    rejects(() => loadSigningIdentity({ certificate: 'pkcs11:token=x;object=y' }), 'unsupported-source', /pkcs11: URIs need openSigningIdentity/);
  });

  test('fail/a non-PEM certificate without a key is read as PKCS#12; garbage and intermediates are refused like the helper', () => {
    const p12 = join(pki.dir, 'id.p12');
    writeFileSync(p12, Buffer.from([0x30, 0x82, 0x01, 0x00]));
    rejects(() => loadSigningIdentity({ certificate: p12 }), 'pem-not-found', 'could not parse PEM data');
    rejects(() => loadSigningIdentity({ certificate: p12, intermediates: pki.bundle }), 'chain-invalid', /can't specify certificate chain when using PKCS#12 files/);
  });

  test('fail/TPM handle is not supported yet', () => {
    rejects(() => loadSigningIdentity({ certificate: pki.rsaCert, privateKey: 'handle:0x81000101' }), 'unsupported-source', /TPM/);
  });
});
