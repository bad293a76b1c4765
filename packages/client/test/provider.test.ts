import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CreateSessionError, fromRolesAnywhere, SessionConfigError } from '../src/index.js';
import { makePki, opensslSkip, type TestPki } from './support/pki.js';
import { CREDENTIALS, startServer, type TestServer } from './support/server.js';

const TA = 'arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/tttt';
const PROFILE = 'arn:aws:rolesanywhere:us-east-1:000000000000:profile/pppp';
const ROLE = 'arn:aws:iam::000000000000:role/ExampleRole';

let pki: TestPki;
let server: TestServer;
before(async () => {
  if (opensslSkip) return;
  pki = makePki();
  server = await startServer({ tls: { cert: pki.serverCert, key: pki.serverKey } });
});
after(() => server?.close());

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function provider(extra: Partial<Parameters<typeof fromRolesAnywhere>[0]> = {}) {
  return fromRolesAnywhere({
    certificate: pki.rsaCert,
    privateKey: pki.rsaKeyPkcs8,
    trustAnchorArn: TA,
    profileArn: PROFILE,
    roleArn: ROLE,
    endpoint: server.url,
    caBundle: pki.serverCert,
    ...extra,
  });
}

describe('fromRolesAnywhere', { skip: opensslSkip }, () => {
  test('ok/returns the SDK identity shape with a Date expiration', async () => {
    server.expiration = () => '2099-01-01T00:00:00Z';
    const before = server.seen.length;
    const id = await provider()();
    assert.equal(id.accessKeyId, CREDENTIALS.accessKeyId);
    assert.equal(id.secretAccessKey, CREDENTIALS.secretAccessKey);
    assert.equal(id.sessionToken, CREDENTIALS.sessionToken);
    assert.deepEqual(id.expiration, new Date('2099-01-01T00:00:00Z'));
    assert.equal(server.seen[before]?.verdict, 'ok');
  });

  test('ok/caches: two calls, one request', async () => {
    server.expiration = () => iso(Date.now() + 3600_000);
    const before = server.seen.length;
    const p = provider();
    const a = await p();
    const b = await p();
    assert.equal(server.seen.length - before, 1);
    assert.equal(a, b);
  });

  test('ok/concurrent calls share one in-flight CreateSession', async () => {
    server.expiration = () => iso(Date.now() + 3600_000);
    const before = server.seen.length;
    const p = provider();
    const all = await Promise.all([p(), p(), p(), p()]);
    assert.equal(server.seen.length - before, 1);
    assert.ok(all.every((x) => x === all[0]));
  });

  test('ok/refreshes when fewer than 5 minutes remain', async () => {
    let clock = Date.now();
    server.expiration = () => iso(clock + 3600_000);
    const before = server.seen.length;
    const p = provider({ now: () => new Date(clock) });
    const first = await p();
    clock += 54 * 60_000; // 6 minutes left: still cached
    assert.equal(await p(), first);
    assert.equal(server.seen.length - before, 1);
    clock += 2 * 60_000; // 4 minutes left: refresh
    const second = await p();
    assert.notEqual(second, first);
    assert.ok(second.expiration!.getTime() > first.expiration!.getTime());
    assert.equal(server.seen.length - before, 2);
    assert.ok(server.seen.slice(before).every((s) => s.verdict === 'ok'));
  });

  test('ok/inline PEM strings and Buffers instead of paths', async () => {
    server.expiration = () => '2099-01-01T00:00:00Z';
    const id = await provider({
      certificate: readFileSync(pki.ecCert, 'utf8'),
      privateKey: readFileSync(pki.ecKeySec1),
      intermediates: readFileSync(pki.bundle, 'utf8'),
      caBundle: readFileSync(pki.serverCert),
    })();
    assert.equal(id.accessKeyId, CREDENTIALS.accessKeyId);
    assert.equal(server.seen.at(-1)?.verdict, 'ok');
    assert.equal(String(server.seen.at(-1)?.raw.headers['x-amz-x509-chain']).split(',').length, 2);
  });

  test('ok/forceRefresh skips the cache', async () => {
    server.expiration = () => iso(Date.now() + 3600_000);
    const before = server.seen.length;
    const p = provider();
    await p();
    await p({ forceRefresh: true });
    assert.equal(server.seen.length - before, 2);
  });

  test('ok/a failed refresh keeps serving still-valid credentials', async () => {
    let clock = Date.now();
    server.expiration = () => iso(clock + 10 * 60_000);
    const p = provider({ now: () => new Date(clock) });
    const first = await p();
    clock += 6 * 60_000; // 4 minutes left
    server.replies.push({ status: 403, headers: { 'x-amzn-ErrorType': 'AccessDeniedException' }, body: '{"message":"no"}' });
    assert.equal(await p(), first);
  });

  test('fail/service errors reach the caller as CreateSessionError', async () => {
    server.replies.push({ status: 403, headers: { 'x-amzn-ErrorType': 'AccessDeniedException' }, body: '{"message":"Untrusted signing certificate"}' });
    await assert.rejects(provider()(), (err: unknown) => {
      assert.ok(err instanceof CreateSessionError);
      assert.equal(err.code, 'AccessDeniedException');
      assert.equal(err.message, 'Untrusted signing certificate');
      assert.equal(err.statusCode, 403);
      assert.equal(err.requestId, 'req-1');
      return true;
    });
  });

  test('fail/ARN mistakes throw at construction', () => {
    assert.throws(() => provider({ profileArn: 'nope' }), SessionConfigError);
  });
});

