import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { fromContainerMetadata, fromHttp, fromInstanceMetadata } from '@aws-sdk/credential-providers';
import { main } from '../src/index.js';
import { CredentialsUnavailableError, RefreshingCredentials, type HeldCredentials } from '../src/run-modes/refreshing-credentials.js';
import { CONTAINER_PATH, startCredentialServer, type CredentialServer } from '../src/serve/credential-server.js';
import { commandWorks, requireOrSkip } from '../../../scripts/test-support.mjs';
import { captureIo } from './support/capture-io.js';
import { makePki, opensslSkip, type TestPki } from './support/pki.js';
import { CREDENTIALS, startServer, type TestServer } from './support/server.js';

const run = promisify(execFile);
const TA = 'arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/tttt';
const PROFILE = 'arn:aws:rolesanywhere:us-east-1:000000000000:profile/pppp';
const ROLE = 'arn:aws:iam::000000000000:role/path/ExampleRole';

const creds = (expiration: string, id = 'ASIAFIRST') => ({
  accessKeyId: id,
  secretAccessKey: 'secret-' + id,
  sessionToken: 'token-' + id,
  expiration,
  raw: {},
});

describe('RefreshingCredentials', () => {
  test('ok/concurrent callers share one in-flight refresh', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const holder = new RefreshingCredentials({
      fetch: async () => {
        calls++;
        await gate;
        return creds(new Date(Date.now() + 3600_000).toISOString());
      },
    });
    const all = Promise.all(Array.from({ length: 8 }, () => holder.get()));
    release();
    const got = await all;
    assert.equal(calls, 1);
    assert.ok(got.every((h) => h === got[0]));
    holder.stop();
  });

  test('ok/a failed refresh keeps the last good credentials; after expiry get() throws', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    let fail = false;
    const holder = new RefreshingCredentials({
      now: () => now,
      minRetryMs: 3600_000,
      fetch: async () => {
        if (fail) throw new Error('AccessDeniedException: nope');
        return creds('2030-01-01T01:00:00Z');
      },
    });
    await holder.start();
    fail = true;
    now = Date.parse('2030-01-01T00:50:00Z'); // inside the refresh window: background refresh fails
    assert.equal((await holder.get()).credentials.accessKeyId, 'ASIAFIRST');
    await new Promise((r) => setImmediate(r));
    assert.match(String(holder.error), /nope/);
    now = Date.parse('2030-01-01T01:00:01Z'); // expired: never serve them
    await assert.rejects(holder.get(), (err: unknown) => err instanceof CredentialsUnavailableError && /nope/.test(err.message));
    holder.stop();
  });

  test('ok/a failing endpoint is retried with backoff, also after expiry and whatever the clients poll', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const T0 = Date.parse('2030-01-01T00:00:00Z');
    let now = T0;
    let fail = false;
    const attempts: number[] = [];
    const holder = new RefreshingCredentials({
      now: () => now,
      fetch: async () => {
        attempts.push((now - T0) / 1000);
        if (fail) throw new Error('AccessDeniedException: nope');
        return creds(new Date(T0 + 60_000).toISOString());
      },
    });
    const settle = () => new Promise((r) => setImmediate(r));
    const advance = async (seconds: number) => {
      for (let i = 0; i < seconds; i++) {
        now += 1000;
        t.mock.timers.tick(1000);
        await settle();
      }
    };
    await holder.start(); // 60 s credentials: refresh window 30 s
    fail = true;
    await advance(29);
    // Inside the refresh window, clients polling every second do not each start a CreateSession.
    for (let i = 0; i < 20; i++) {
      await advance(1);
      assert.equal((await holder.get()).credentials.accessKeyId, 'ASIAFIRST');
    }
    await advance(51); // to 100 s
    for (let i = 0; i < 5; i++) await assert.rejects(holder.get(), CredentialsUnavailableError);
    await advance(100); // to 200 s
    // Backoff 5, 10, 20 s, capped at the expiry (60 s), then 40 and 80 s after it.
    assert.deepEqual(attempts, [0, 30, 35, 45, 60, 100, 180]);
    holder.stop();
  });

  test('ok/refreshes in the background before expiry', async () => {
    let calls = 0;
    const holder = new RefreshingCredentials({
      fetch: async () => {
        calls++;
        return creds(new Date(Date.now() + 2400).toISOString(), `ASIA${calls}`);
      },
    });
    await holder.start();
    // Lifetime 2.4 s → window 1.2 s → refresh after ~1.2 s, without any get().
    await new Promise((r) => setTimeout(r, 1600));
    assert.ok(calls >= 2, `expected a background refresh, got ${calls} fetches`);
    assert.notEqual((await holder.get()).credentials.accessKeyId, 'ASIA1');
    holder.stop();
  });
});

describe('credential server (IMDSv2 + container routes)', () => {
  let server: CredentialServer;
  let failing = false;
  const held: HeldCredentials = {
    credentials: creds('2099-01-01T00:00:00Z'),
    expiresAt: new Date('2099-01-01T00:00:00Z'),
    lastUpdated: new Date('2030-01-01T00:00:00.123Z'),
  };
  before(async () => {
    server = await startCredentialServer({
      credentials: async () => {
        if (failing) throw new CredentialsUnavailableError('no valid credentials: AccessDeniedException: x');
        return held;
      },
      roleName: 'ExampleRole',
      roleArn: ROLE,
      port: 0,
      containerToken: 'container-token',
    });
  });
  after(() => server.close());
  const url = (p: string) => `http://127.0.0.1:${server.port}${p}`;
  const token = async (ttl = '60') =>
    (await fetch(url('/latest/api/token'), { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': ttl } })).text();

  test('ok/token, role name, then EC2-shaped credentials in EC2 key order', async () => {
    const put = await fetch(url('/latest/api/token'), { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '300' } });
    assert.equal(put.status, 200);
    assert.equal(put.headers.get('x-aws-ec2-metadata-token-ttl-seconds'), '300');
    const t = await put.text();
    assert.equal(t.length, 100);
    const role = await fetch(url('/latest/meta-data/iam/security-credentials/'), { headers: { 'x-aws-ec2-metadata-token': t } });
    assert.equal(role.status, 200);
    assert.equal(await role.text(), 'ExampleRole');
    const res = await fetch(url('/latest/meta-data/iam/security-credentials/ExampleRole'), { headers: { 'x-aws-ec2-metadata-token': t } });
    assert.equal(res.status, 200);
    assert.ok(Number(res.headers.get('x-aws-ec2-metadata-token-ttl-seconds')) > 290);
    const body = await res.text();
    assert.deepEqual(Object.keys(JSON.parse(body)), ['Code', 'LastUpdated', 'Type', 'AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration']);
    assert.deepEqual(JSON.parse(body), {
      Code: 'Success',
      LastUpdated: '2030-01-01T00:00:00Z',
      Type: 'AWS-HMAC',
      AccessKeyId: 'ASIAFIRST',
      SecretAccessKey: 'secret-ASIAFIRST',
      Token: 'token-ASIAFIRST',
      Expiration: '2099-01-01T00:00:00Z',
    });
  });

  test('fail/TTL outside 1..21600, or not a number, is 400', async () => {
    for (const ttl of ['0', '21601', 'abc', '-5']) {
      const res = await fetch(url('/latest/api/token'), { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': ttl } });
      assert.equal(res.status, 400, ttl);
      assert.equal(await res.text(), 'invalid token TTL');
    }
    assert.equal((await fetch(url('/latest/api/token'), { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' } })).status, 200);
  });

  test('fail/no IMDSv1: GET without or with a wrong token is 401', async () => {
    const none = await fetch(url('/latest/meta-data/iam/security-credentials/ExampleRole'));
    assert.equal(none.status, 401);
    assert.equal(await none.text(), 'no token provided');
    const wrong = await fetch(url('/latest/meta-data/iam/security-credentials/ExampleRole'), { headers: { 'x-aws-ec2-metadata-token': 'x'.repeat(100) } });
    assert.equal(wrong.status, 401);
    assert.equal(await wrong.text(), 'invalid token provided');
  });

  test('fail/X-Forwarded-For is refused on every route', async () => {
    const t = await token();
    const put = await fetch(url('/latest/api/token'), { method: 'PUT', headers: { 'x-forwarded-for': '10.0.0.1' } });
    assert.equal(put.status, 400);
    assert.equal(await put.text(), 'unable to process requests with X-Forwarded-For header');
    const get = await fetch(url('/latest/meta-data/iam/security-credentials/ExampleRole'), { headers: { 'x-aws-ec2-metadata-token': t, 'x-forwarded-for': '1.2.3.4' } });
    assert.equal(get.status, 400);
  });

  test('fail/wrong method is 405, unknown role 404, unknown path 404', async () => {
    assert.equal((await fetch(url('/latest/api/token'))).status, 405);
    const t = await token();
    assert.equal((await fetch(url('/latest/meta-data/iam/security-credentials/Other'), { headers: { 'x-aws-ec2-metadata-token': t } })).status, 404);
    assert.equal((await fetch(url('/nope'))).status, 404);
  });

  test('fail/no valid credentials: 500 and no credential fields, never 200', async () => {
    failing = true;
    try {
      const t = await token();
      const res = await fetch(url('/latest/meta-data/iam/security-credentials/ExampleRole'), { headers: { 'x-aws-ec2-metadata-token': t } });
      assert.equal(res.status, 500);
      const body = await res.text();
      assert.ok(!body.includes('AccessKeyId') && !body.includes('secret-'), body);
      const c = await fetch(url(CONTAINER_PATH), { headers: { authorization: 'container-token' } });
      assert.equal(c.status, 500);
    } finally {
      failing = false;
    }
  });

  test('ok/container route requires the Authorization token', async () => {
    assert.equal((await fetch(url(CONTAINER_PATH))).status, 401);
    assert.equal((await fetch(url(CONTAINER_PATH), { headers: { authorization: 'container-tokeX' } })).status, 401);
    const res = await fetch(url(CONTAINER_PATH), { headers: { authorization: 'container-token' } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      RoleArn: ROLE,
      AccessKeyId: 'ASIAFIRST',
      SecretAccessKey: 'secret-ASIAFIRST',
      Token: 'token-ASIAFIRST',
      Expiration: '2099-01-01T00:00:00Z',
    });
  });
});

/** Runs `mooring-helper serve` in-process until `stop()`; resolves once it printed its port. */
async function startServe(argv: string[], env: Record<string, string | undefined> = {}) {
  const controller = new AbortController();
  const io = { ...captureIo(env), signal: controller.signal };
  const exit = main(['serve', ...argv], io);
  for (let i = 0; i < 200 && !/port: \d+/.test(io.err()); i++) {
    const done = await Promise.race([exit.then(() => true), new Promise((r) => setTimeout(() => r(false), 25))]);
    if (done) break;
  }
  const port = Number(/port: (\d+)/.exec(io.err())?.[1]);
  return { io, port, exit, stop: async () => (controller.abort(), exit) };
}

const pythonSkip = requireOrSkip(
  commandWorks('python3', ['-c', 'import botocore']),
  'python3 with botocore not found (reads credentials from serve like an EC2 instance)',
);
const awsCliSkip = requireOrSkip(commandWorks('aws', ['--version']), 'AWS CLI not found (reads credentials from serve)');

describe('mooring-helper serve', { skip: opensslSkip }, () => {
  let pki: TestPki;
  let ra: TestServer;
  let serve: Awaited<ReturnType<typeof startServe>>;
  const flags = () => [
    '--certificate', pki.ecCert, '--private-key', pki.ecKeyPkcs8,
    '--trust-anchor-arn', TA, '--profile-arn', PROFILE, '--role-arn', ROLE,
    '--endpoint', ra.url, '--port', '0',
  ];
  before(async () => {
    if (opensslSkip) return;
    pki = makePki();
    ra = await startServer();
    serve = await startServe(flags());
  });
  after(async () => {
    await serve?.stop();
    await ra?.close();
  });
  const clientEnv = () => ({
    AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${serve.port}/`,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${serve.port}${CONTAINER_PATH}`,
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: /AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=(\S+)/.exec(serve.io.err())?.[1] ?? '',
  });

  test('ok/prints the setup lines and made exactly one verified CreateSession', () => {
    assert.ok(serve.port > 0, serve.io.err());
    assert.match(serve.io.err(), new RegExp(`^Local server started on port: ${serve.port}\nMake it available to the sdk by running:\nexport AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:${serve.port}/\n`));
    // The bearer token is not printed: it is in a 0600 file whose path is.
    const file = clientEnv().AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
    assert.match(serve.io.err(), /export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=\S+container-token\n$/);
    assert.match(readFileSync(file, 'utf8'), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(!serve.io.err().includes(readFileSync(file, 'utf8')));
    assert.ok(!serve.io.err().includes(CREDENTIALS.secretAccessKey));
    assert.equal(ra.seen.length, 1);
    assert.equal(ra.seen[0]?.verdict, 'ok');
  });

  test('ok/@aws-sdk fromInstanceMetadata, fromContainerMetadata and fromHttp read the credentials', async () => {
    const env = clientEnv();
    // fromContainerMetadata (smithy) reads only AWS_CONTAINER_AUTHORIZATION_TOKEN, not the _FILE
    // variant that fromHttp and the SDKs' default chain read: its users export the file's content.
    const tokenValue = readFileSync(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, 'utf8');
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const withTokenValue = async () => {
        process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = tokenValue;
        try {
          return await fromContainerMetadata()();
        } finally {
          delete process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
        }
      };
      for (const provider of [fromInstanceMetadata(), fromHttp({}), withTokenValue]) {
        const c = await provider();
        assert.equal(c.accessKeyId, CREDENTIALS.accessKeyId);
        assert.equal(c.secretAccessKey, CREDENTIALS.secretAccessKey);
        assert.equal(c.sessionToken, CREDENTIALS.sessionToken);
        assert.equal(c.expiration?.toISOString(), '2099-01-01T00:00:00.000Z');
      }
    } finally {
      for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
      Object.assign(process.env, saved);
    }
    assert.equal(ra.seen.length, 1, 'served from the holder, no extra CreateSession');
  });

  test('ok/botocore reads them as an EC2 instance would (iam-role)', { skip: pythonSkip }, async () => {
    const script =
      'import botocore.session, json\n' +
      's = botocore.session.get_session()\n' +
      'c = s.get_credentials()\n' +
      'f = c.get_frozen_credentials()\n' +
      'print(json.dumps([c.method, f.access_key, f.secret_key, f.token]))\n';
    const { stdout } = await run('python3', ['-c', script], { env: isolatedAwsEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: clientEnv().AWS_EC2_METADATA_SERVICE_ENDPOINT }) });
    assert.deepEqual(JSON.parse(stdout), ['iam-role', CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken]);
  });

  test('ok/the AWS CLI finds them through IMDS and through the container endpoint', { skip: awsCliSkip }, async () => {
    const e = clientEnv();
    const imds = await run('aws', ['configure', 'list'], { env: isolatedAwsEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: e.AWS_EC2_METADATA_SERVICE_ENDPOINT }) });
    assert.match(imds.stdout, new RegExp(`access_key\\s+\\*+${CREDENTIALS.accessKeyId.slice(-4)}\\s+iam-role`));
    const container = await run('aws', ['configure', 'list'], {
      env: isolatedAwsEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: e.AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: e.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE }),
    });
    assert.match(container.stdout, new RegExp(`access_key\\s+\\*+${CREDENTIALS.accessKeyId.slice(-4)}\\s+container-role`));
  });

  test('ok/a token file from the environment is used as is; a generated one is removed on exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-serve-token-'));
    const given = join(dir, 'token');
    writeFileSync(given, 'given-token\n', { mode: 0o600 });
    const withFile = await startServe(flags(), { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: given });
    try {
      assert.match(withFile.io.err(), new RegExp(`export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${given}\n`));
      const uri = `http://127.0.0.1:${withFile.port}${CONTAINER_PATH}`;
      assert.equal((await fetch(uri, { headers: { authorization: 'given-token' } })).status, 200);
      assert.equal((await fetch(uri, { headers: { authorization: 'other' } })).status, 401);
    } finally {
      await withFile.stop();
    }
    assert.ok(existsSync(given), 'a file the caller gave is left alone');
    const own = await startServe(flags());
    const generated = /AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=(\S+)/.exec(own.io.err())![1]!;
    assert.ok(existsSync(generated));
    await own.stop();
    assert.ok(!existsSync(generated), 'removed on exit');
  });

  test('ok/--listen-address ::1 serves over IPv6', async () => {
    const v6 = await startServe([...flags(), '--listen-address', '::1']);
    try {
      assert.match(v6.io.err(), new RegExp(`AWS_EC2_METADATA_SERVICE_ENDPOINT=http://\\[::1\\]:${v6.port}/`));
      const res = await fetch(`http://[::1]:${v6.port}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '5' } });
      assert.equal(res.status, 200);
    } finally {
      assert.equal(await v6.stop(), 0);
    }
  });

  test('fail/refresh failures after expiry give 500, never empty credentials', async () => {
    const short = await startServer();
    short.expiration = () => new Date(Date.now() + 1500).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const s = await startServe([...flags().slice(0, -4), '--endpoint', short.url, '--port', '0']);
    try {
      assert.ok(s.port > 0, s.io.err());
      for (let i = 0; i < 20; i++) short.replies.push({ status: 403, headers: { 'x-amzn-ErrorType': 'AccessDeniedException' }, body: '{"message":"Untrusted signing certificate"}' });
      await new Promise((r) => setTimeout(r, 2100));
      const t = await (await fetch(`http://127.0.0.1:${s.port}/latest/api/token`, { method: 'PUT' })).text();
      const res = await fetch(`http://127.0.0.1:${s.port}/latest/meta-data/iam/security-credentials/ExampleRole`, { headers: { 'x-aws-ec2-metadata-token': t } });
      assert.equal(res.status, 500);
      assert.ok(!(await res.text()).includes('AccessKeyId'));
      assert.match(s.io.err(), /Error generating credentials: operation error RolesAnywhere: CreateSession, https response error StatusCode: 403, RequestID: [^,]*, AccessDeniedException: Untrusted signing certificate/);
      assert.ok(!s.io.err().includes(CREDENTIALS.secretAccessKey) && !s.io.err().includes(t));
    } finally {
      await s.stop();
      await short.close();
    }
  });

  test('fail/first CreateSession fails: exit 1 before listening', async () => {
    ra.replies.push({ status: 403, headers: { 'x-amzn-ErrorType': 'AccessDeniedException' }, body: '{"message":"Untrusted signing certificate"}' });
    const s = await startServe(flags());
    assert.equal(await s.exit, 1);
    assert.match(s.io.err(), /^operation error RolesAnywhere: CreateSession, https response error StatusCode: 403, RequestID: [^,]*, AccessDeniedException: Untrusted signing certificate\n$/);
  });

  test('fail/a role ARN without role/ is refused', async () => {
    const io = captureIo();
    assert.equal(await main(['serve', ...flags().map((f) => (f === ROLE ? 'arn:aws:iam::000000000000:user/x' : f))], io), 1);
    assert.equal(io.err(), 'invalid role ARN\n');
  });
});

/** An environment in which AWS tools find no other credentials than the ones under test. */
function isolatedAwsEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_METADATA_SERVICE_TIMEOUT: '2',
    ...extra,
  };
}
