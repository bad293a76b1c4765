import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { main, VERSION } from '../src/index.js';
import { fixedStringToSign } from '../src/cli/sign-string.js';
import { loadPrivateKey } from '../src/key-sources/private-key.js';
import { captureIo } from './support/capture-io.js';
import { makePki, opensslSkip, type TestPki } from './support/pki.js';

let pki: TestPki;
before(() => {
  if (opensslSkip) return;
  pki = makePki();
});

describe('sign-string', { skip: opensslSkip }, () => {
  test('ok/fixed string layout: prefix, version 1, raw SHA-256 of "IAM RA" || PKCS#1 RSAPublicKey', () => {
    const key = loadPrivateKey(pki.rsaKeyPkcs8);
    const pkcs1 = createPublicKey(key).export({ type: 'pkcs1', format: 'der' });
    const expected = Buffer.concat([
      Buffer.from('AWS Roles Anywhere Credential Helper Signing Test1'),
      createHash('sha256').update(Buffer.concat([Buffer.from('IAM RA'), pkcs1])).digest(),
    ]);
    assert.deepEqual(fixedStringToSign(key), expected);
  });

  test('ok/EC public key is the 65-byte uncompressed point', () => {
    const key = loadPrivateKey(pki.ecKeySec1);
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    const point = spki.subarray(spki.length - 65); // P-256 SPKI ends with the BIT STRING 04||X||Y
    assert.equal(point[0], 4);
    const expected = createHash('sha256').update(Buffer.concat([Buffer.from('IAM RA'), point])).digest();
    assert.deepEqual(fixedStringToSign(key).subarray(-32), expected);
  });

  for (const [digest, keyFile, certFile] of [
    ['SHA256', 'rsaKeyPkcs8', 'rsaCert'],
    ['SHA384', 'rsaKeyPkcs1', 'rsaCert'],
    ['SHA512', 'ecKeySec1', 'ecCert'],
  ] as const) {
    test(`ok/--digest ${digest} json output verifies with node:crypto (${keyFile})`, async () => {
      const io = captureIo();
      const code = await main(['sign-string', '--private-key', pki[keyFile], '--digest', digest], io);
      assert.equal(io.err(), '');
      assert.equal(code, 0);
      const hex = JSON.parse(io.out()) as string;
      assert.match(io.out(), /^"[0-9a-f]+"$/);
      const pub = new X509Certificate(readFileSync(pki[certFile])).publicKey;
      const data = fixedStringToSign(loadPrivateKey(pki[keyFile]));
      assert.ok(verify(digest.toLowerCase(), data, { key: pub, dsaEncoding: 'der' }, Buffer.from(hex, 'hex')));
    });
  }

  test('ok/--format text is bare hex, --format bin is raw bytes', async () => {
    const text = captureIo();
    assert.equal(await main(['sign-string', '--private-key', pki.rsaKeyPkcs8, '--format', 'text'], text), 0);
    assert.match(text.out(), /^[0-9a-f]{512}$/);
    const bin = captureIo();
    assert.equal(await main(['sign-string', '--private-key', pki.rsaKeyPkcs8, '--format=bin'], bin), 0);
    // RSA PKCS#1 v1.5 is deterministic: the same bytes as the text output.
    assert.equal(bin.outBytes().toString('hex'), text.out());
  });

  test('fail/--digest is case-sensitive like the helper', async () => {
    const io = captureIo();
    assert.equal(await main(['sign-string', '--private-key', pki.rsaKeyPkcs8, '--digest', 'sha256'], io), 1);
    assert.match(io.err(), /^Error: invalid argument "sha256" for "--digest" flag: sha256 is not included in SHA256,SHA384,SHA512\n/);
  });
});

describe('read-certificate-data', { skip: opensslSkip }, () => {
  test('ok/RSA certificate JSON exactly as the helper prints it', async () => {
    const io = captureIo();
    assert.equal(await main(['read-certificate-data', '--certificate', pki.rsaCert], io), 0);
    const der = new X509Certificate(readFileSync(pki.rsaCert)).raw.toString('base64');
    assert.equal(
      io.out(),
      `{"keyType":"RSA","certificateData":"${der}","serialNumber":"${pki.rsaSerialDecimal}","supportedAlgorithms":["RSASHA256","RSASHA384","RSASHA512"]}`,
    );
  });

  test('ok/EC certificate', async () => {
    const io = captureIo();
    assert.equal(await main(['read-certificate-data', '--certificate', pki.ecCert], io), 0);
    const parsed = JSON.parse(io.out()) as Record<string, unknown>;
    assert.equal(parsed.keyType, 'EC');
    assert.equal(parsed.serialNumber, '2');
    assert.deepEqual(parsed.supportedAlgorithms, ['ECSHA256', 'ECSHA384', 'ECSHA512']);
  });

  test('fail/not a certificate', async () => {
    const io = captureIo();
    assert.equal(await main(['read-certificate-data', '--certificate', pki.rsaKeyPkcs8], io), 1);
    assert.equal(io.err(), 'could not parse PEM data\n');
  });
});

describe('root, help and version', () => {
  test('ok/version matches package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(VERSION, pkg.version);
    const io = captureIo();
    assert.equal(await main(['version'], io), 0);
    assert.equal(io.out(), `${pkg.version}\n`);
  });

  test('ok/no command prints the root help and exits 0', async () => {
    const io = captureIo();
    assert.equal(await main([], io), 0);
    assert.match(io.out(), /Available Commands:\n  credential-process /);
  });

  test('ok/-h and help <command> print the command help to stdout', async () => {
    for (const argv of [['credential-process', '-h'], ['help', 'credential-process'], ['credential-process', '--help']]) {
      const io = captureIo();
      assert.equal(await main(argv, io), 0);
      assert.match(io.out(), /Usage:\n  mooring-helper credential-process \[flags\]/);
      assert.match(io.out(), /--session-duration int +Duration, in seconds, for the resulting session \(default 3600\)/);
      assert.equal(io.err(), '');
    }
  });

  test('fail/unknown command', async () => {
    const io = captureIo();
    assert.equal(await main(['frobnicate'], io), 1);
    assert.equal(io.err(), `Error: unknown command "frobnicate" for "mooring-helper"\nRun 'mooring-helper --help' for usage.\n`);
    assert.equal(io.errRaw(), io.err(), 'usage errors are cobra\'s: no log prefix');
  });

  test('ok/help on an unknown topic says so, then prints the usage on stderr, exit 0 (cobra)', async () => {
    const io = captureIo();
    assert.equal(await main(['help', 'frobnicate'], io), 0);
    assert.equal(io.out(), '');
    assert.match(io.err(), /^Unknown help topic \[`frobnicate`\]\nUsage:\n {2}mooring-helper \[command\]\n/);
  });

  test('ok/errors are logged as Go\'s log package does: local date and time, then the message', { skip: opensslSkip }, async () => {
    const io = captureIo();
    const before = new Date();
    assert.equal(await main(['read-certificate-data', '--certificate', pki.rsaKeyPkcs8], io), 1);
    const m = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) could not parse PEM data\n$/.exec(io.errRaw());
    assert.ok(m, io.errRaw());
    const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    assert.ok(Math.abs(at.getTime() - before.getTime()) < 5_000, 'local time, now');
  });
});
