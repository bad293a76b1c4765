import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { main } from '../src/index.js';
import { captureIo } from './support/capture-io.js';
import { makePki, opensslSkip, type TestPki } from './support/pki.js';
import { CREDENTIALS, startServer, type TestServer } from './support/server.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../bin/mooring-helper.js', import.meta.url));

const TA = 'arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/tttt';
const PROFILE = 'arn:aws:rolesanywhere:us-east-1:000000000000:profile/pppp';
const ROLE = 'arn:aws:iam::000000000000:role/ExampleRole';
const EXPECTED_STDOUT =
  `{"Version":1,"AccessKeyId":"${CREDENTIALS.accessKeyId}","SecretAccessKey":"${CREDENTIALS.secretAccessKey}",` +
  `"SessionToken":"${CREDENTIALS.sessionToken}","Expiration":"2099-01-01T00:00:00Z"}`;

let pki: TestPki;
let tlsServer: TestServer;
let plainServer: TestServer;

before(async () => {
  if (opensslSkip) return;
  pki = makePki();
  tlsServer = await startServer({ tls: { cert: pki.serverCert, key: pki.serverKey } });
  plainServer = await startServer();
});
after(async () => {
  await tlsServer?.close();
  await plainServer?.close();
});

function args(endpoint: string, extra: string[] = []): string[] {
  return [
    'credential-process',
    '--certificate', pki.rsaCert,
    '--private-key', pki.rsaKeyPkcs8,
    '--trust-anchor-arn', TA,
    '--profile-arn', PROFILE,
    '--role-arn', ROLE,
    '--endpoint', endpoint,
    ...extra,
  ];
}

describe('credential-process (spawned binary)', { skip: opensslSkip }, () => {
  before(async () => {
    // The binary runs the compiled output; build it (incremental, also builds protocol).
    await run('npx', ['tsc', '-b', 'packages/client'], { cwd: repoRoot, timeout: 120_000 });
  });

  test('ok/HTTPS with AWS_CA_BUNDLE prints the exact credential_process JSON', async () => {
    const before = tlsServer.seen.length;
    const { stdout, stderr } = await run('node', [bin, ...args(tlsServer.url)], {
      env: { ...process.env, AWS_CA_BUNDLE: pki.serverCert },
    });
    assert.equal(stdout, EXPECTED_STDOUT);
    assert.equal(stderr, '');
    const seen = tlsServer.seen[before];
    assert.equal(seen?.verdict, 'ok');
    assert.equal(seen?.raw.path, '/sessions');
    assert.equal(
      seen?.raw.query,
      'profileArn=arn%3Aaws%3Arolesanywhere%3Aus-east-1%3A000000000000%3Aprofile%2Fpppp' +
        '&roleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2FExampleRole' +
        '&trustAnchorArn=arn%3Aaws%3Arolesanywhere%3Aus-east-1%3A000000000000%3Atrust-anchor%2Ftttt',
    );
    assert.equal(Buffer.from(seen!.raw.body).toString(), '{"durationSeconds":3600}');
    assert.equal(seen?.raw.headers['content-type'], 'application/json');
    assert.equal(seen?.raw.headers['user-agent'], 'mooring-helper/0.1.0');
    assert.equal(seen?.raw.headers.host, new URL(tlsServer.url).host);
    assert.match(String(seen?.raw.headers.authorization), new RegExp(`^AWS4-X509-RSA-SHA256 Credential=${pki.rsaSerialDecimal}/\\d{8}/us-east-1/rolesanywhere/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-x509, Signature=[0-9a-f]+$`));
  });

  test('ok/--no-verify-ssl without a CA bundle', async () => {
    const { stdout } = await run('node', [bin, ...args(tlsServer.url, ['--no-verify-ssl'])], {
      env: { ...process.env, AWS_CA_BUNDLE: '' },
    });
    assert.equal(stdout, EXPECTED_STDOUT);
  });

  test('fail/untrusted server certificate without a CA bundle', async () => {
    await assert.rejects(run('node', [bin, ...args(tlsServer.url)], { env: { ...process.env, AWS_CA_BUNDLE: '' } }), (err: { code: number; stdout: string; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.equal(err.stdout, '');
      assert.match(err.stderr, /CreateSession request failed: .*(self-signed|certificate)/i);
      return true;
    });
  });

  test('fail/403 AccessDeniedException prints the Go SDK\'s operation error line (ending Code: message) and exits 1', async () => {
    plainServer.replies.push({
      status: 403,
      headers: { 'x-amzn-ErrorType': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.rolesanywhere/' },
      body: '{"message":"Untrusted signing certificate"}',
    });
    await assert.rejects(run('node', [bin, ...args(plainServer.url)]), (err: { code: number; stdout: string; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.equal(err.stdout, '');
      // As the official helper logs it: Go's log prefix, then the SDK's error line.
      assert.match(err.stderr, /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d operation error RolesAnywhere: CreateSession, https response error StatusCode: 403, RequestID: [^,]*, AccessDeniedException: Untrusted signing certificate\n$/);
      return true;
    });
  });

  test('fail/unknown flag prints cobra-style error and usage, exit 1', async () => {
    await assert.rejects(run('node', [bin, 'credential-process', '--bogus']), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, /^Error: unknown flag: --bogus\nUsage:\n  mooring-helper credential-process \[flags\]\n/);
      return true;
    });
  });

  test('ok/version prints the version and a newline', async () => {
    const { stdout } = await run('node', [bin, 'version']);
    assert.equal(stdout, '0.1.0\n');
  });
});

describe('credential-process (in-process)', { skip: opensslSkip }, () => {
  test('ok/EC key, intermediates, role session name, duration and a path prefix', async () => {
    const io = captureIo();
    const before = plainServer.seen.length;
    const code = await main(
      [
        'credential-process',
        '--certificate', pki.ecCert,
        '--private-key', pki.ecKeySec1,
        '--intermediates', pki.bundle,
        '--trust-anchor-arn', TA,
        '--profile-arn', PROFILE,
        '--role-arn', ROLE,
        '--endpoint=' + plainServer.url + '/prefix/',
        '--session-duration', '900',
        '--role-session-name', 'alice',
      ],
      io,
    );
    assert.equal(io.err(), '');
    assert.equal(code, 0);
    assert.equal(io.out(), EXPECTED_STDOUT);
    const seen = plainServer.seen[before]!;
    assert.equal(seen.verdict, 'ok');
    assert.equal(seen.raw.path, '/prefix/sessions');
    assert.equal(Buffer.from(seen.raw.body).toString(), '{"durationSeconds":900,"roleSessionName":"alice"}');
    const chain = String(seen.raw.headers['x-amz-x509-chain']).split(',');
    assert.equal(chain.length, 2);
    assert.match(String(seen.raw.headers.authorization), /^AWS4-X509-ECDSA-SHA256 Credential=2\/.*SignedHeaders=content-type;host;x-amz-date;x-amz-x509;x-amz-x509-chain,/);
  });

  test('ok/encrypted PKCS#8 key with --pkcs8-password', async () => {
    const io = captureIo();
    const code = await main([...args(plainServer.url).map((a) => (a === pki.rsaKeyPkcs8 ? pki.rsaKeyEncrypted : a)), '--pkcs8-password', pki.password], io);
    assert.equal(io.err(), '');
    assert.equal(code, 0);
  });

  test('fail/encrypted PKCS#8 key with a wrong password', async () => {
    const io = captureIo();
    const code = await main([...args(plainServer.url).map((a) => (a === pki.rsaKeyPkcs8 ? pki.rsaKeyEncrypted : a)), '--pkcs8-password', 'nope'], io);
    assert.equal(code, 1);
    assert.equal(io.err(), 'incorrect PKCS#8 private key password\n');
  });

  test('ok/--debug prints canonical request and string to sign, never the secrets', async () => {
    const io = captureIo();
    const code = await main([...args(plainServer.url), '--debug'], io);
    assert.equal(code, 0);
    assert.match(io.err(), /canonical request:\nPOST\n\/sessions\nprofileArn=arn%3Aaws/);
    assert.match(io.err(), /string to sign:\nAWS4-X509-RSA-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/rolesanywhere\/aws4_request\n[0-9a-f]{64}/);
    assert.ok(!io.err().includes(CREDENTIALS.secretAccessKey));
    assert.ok(!io.err().includes(CREDENTIALS.sessionToken));
  });

  test('ok/region defaults to the trust anchor region; --region overrides the scope', async () => {
    const server = await startServer({ region: 'eu-west-1' });
    try {
      const io = captureIo();
      assert.equal(await main([...args(server.url), '--region', 'eu-west-1'], io), 0);
      assert.equal(server.seen[0]?.verdict, 'ok');
      assert.match(String(server.seen[0]?.raw.headers.authorization), /\/eu-west-1\/rolesanywhere\//);
    } finally {
      await server.close();
    }
  });

  test('fail/missing trust anchor ARN', async () => {
    const io = captureIo();
    assert.equal(await main(['credential-process', '--certificate', pki.rsaCert, '--private-key', pki.rsaKeyPkcs8], io), 1);
    assert.equal(io.err(), "failed to parse trust anchor arn: 'arn: invalid prefix'\n");
  });

  test('fail/bad profile ARN', async () => {
    const io = captureIo();
    assert.equal(await main(['credential-process', '--trust-anchor-arn', TA, '--profile-arn', 'arn:aws:x'], io), 1);
    assert.equal(io.err(), "failed to parse profile arn: 'arn: not enough sections'\n");
  });

  test('fail/trust anchor and profile regions differ', async () => {
    const io = captureIo();
    assert.equal(await main(['credential-process', '--trust-anchor-arn', TA, '--profile-arn', PROFILE.replace('us-east-1', 'eu-west-1')], io), 1);
    assert.equal(io.err(), "trust anchor and profile regions don't match\n");
  });

  test('fail/mutually exclusive flags use cobra\'s message', async () => {
    const io = captureIo();
    assert.equal(await main(['credential-process', '--certificate', 'c', '--system-store-name', 'MY'], io), 1);
    assert.match(io.err(), /^Error: if any flags in the group \[certificate system-store-name\] are set none of the others can be; \[certificate system-store-name\] were all set\n/);
  });

  test('fail/TPM flags are refused clearly', async () => {
    const io = captureIo();
    assert.equal(await main([...args(plainServer.url), '--tpm-key-password', 'x'], io), 1);
    assert.equal(io.err(), '--tpm-key-password: TPM keys are not supported yet in this build\n');
  });

  test('fail/2xx without sessionToken is a clear error, not a crash', async () => {
    plainServer.replies.push({ status: 201, body: JSON.stringify({ credentialSet: [{ credentials: { accessKeyId: 'A', secretAccessKey: 'S', expiration: 'E' } }] }) });
    const io = captureIo();
    assert.equal(await main(args(plainServer.url), io), 1);
    assert.equal(io.out(), '');
    assert.equal(io.err(), 'CreateSession response is missing credentialSet[0].credentials.sessionToken\n');
    assert.ok(!io.err().includes('S\n'));
  });

  test('fail/empty credentialSet', async () => {
    plainServer.replies.push({ status: 201, body: '{"credentialSet":[]}' });
    const io = captureIo();
    assert.equal(await main(args(plainServer.url), io), 1);
    assert.equal(io.err(), 'unable to obtain temporary security credentials from CreateSession\n');
  });

  test('ok/500 then 201: retried with a fresh signature', async () => {
    const before = plainServer.seen.length;
    plainServer.replies.push({ status: 500, body: '{"__type":"com.amazon#InternalServerException","message":"boom"}' });
    const io = captureIo();
    assert.equal(await main(args(plainServer.url), io), 0);
    assert.equal(plainServer.seen.length - before, 2);
    assert.equal(io.out(), EXPECTED_STDOUT);
  });

  test('fail/invalid endpoint URL', async () => {
    const io = captureIo();
    assert.equal(await main(args('not a url'), io), 1);
    assert.equal(io.err(), "invalid endpoint URL: 'not a url'\n");
  });

  test('fail/serve and update check the ARNs first, like credential-process', async () => {
    for (const cmd of ['serve', 'update']) {
      const io = captureIo();
      assert.equal(await main(cmd === 'serve' ? [cmd, '--role-arn', ROLE] : [cmd], io), 1);
      assert.equal(io.err(), "failed to parse trust anchor arn: 'arn: invalid prefix'\n");
    }
  });
});
