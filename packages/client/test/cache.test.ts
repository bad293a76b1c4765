import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../src/index.js';
import { captureIo } from './support/capture-io.js';
import { makePki, opensslSkip, type TestPki } from './support/pki.js';
import { startServer, type TestServer } from './support/server.js';

const TA = 'arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/tttt';
const PROFILE = 'arn:aws:rolesanywhere:us-east-1:000000000000:profile/pppp';

describe('credential-process --cache', { skip: opensslSkip }, () => {
  let pki: TestPki;
  let ra: TestServer;
  before(async () => {
    if (opensslSkip) return;
    pki = makePki();
    ra = await startServer();
  });
  after(() => ra?.close());
  const args = (role = 'R', extra: string[] = []) => [
    'credential-process', '--cache', '--certificate', pki.ecCert, '--private-key', pki.ecKeyPkcs8,
    '--trust-anchor-arn', TA, '--profile-arn', PROFILE, '--role-arn', `arn:aws:iam::000000000000:role/${role}`, '--endpoint', ra.url, ...extra,
  ];
  const call = async (env: Record<string, string>, argv = args()) => {
    const io = captureIo(env);
    assert.equal(await main(argv, io), 0, io.err());
    return io.out();
  };

  test('ok/second call is served from a 0600 file in $XDG_CACHE_HOME/mooring-helper, no CreateSession', async () => {
    const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'mooring-cache-')) };
    const n = ra.seen.length;
    const first = await call(env);
    const second = await call(env);
    assert.equal(second, first);
    assert.equal(ra.seen.length - n, 1);
    const dir = join(env.XDG_CACHE_HOME, 'mooring-helper');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const [file] = readdirSync(dir);
    assert.match(file ?? '', /^[0-9a-f]{64}\.json$/);
    assert.equal(statSync(join(dir, file as string)).mode & 0o777, 0o600);
  });

  test('ok/keyed by role, session name and duration; HOME/.cache without XDG', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mooring-home-'));
    const n = ra.seen.length;
    await call({ HOME: home }, args('A'));
    await call({ HOME: home }, args('B'));
    await call({ HOME: home }, args('B', ['--role-session-name', 'other']));
    await call({ HOME: home }, args('A'));
    await call({ HOME: home }, args('A', ['--session-duration', '900']));
    await call({ HOME: home }, args('A', ['--session-duration', '900']));
    assert.equal(ra.seen.length - n, 4);
    assert.equal(readdirSync(join(home, '.cache', 'mooring-helper')).length, 4);
  });

  test('ok/not reused within 5 minutes of expiry', async () => {
    const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'mooring-cache-')) };
    const saved = ra.expiration;
    ra.expiration = () => new Date(Date.now() + 4 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    try {
      const n = ra.seen.length;
      await call(env);
      await call(env);
      assert.equal(ra.seen.length - n, 2);
    } finally {
      ra.expiration = saved;
    }
  });

  test('fail/a cache file others can read is ignored (and replaced)', async () => {
    const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'mooring-cache-')) };
    await call(env);
    const dir = join(env.XDG_CACHE_HOME, 'mooring-helper');
    const file = join(dir, readdirSync(dir)[0] as string);
    chmodSync(file, 0o644);
    const n = ra.seen.length;
    await call(env);
    assert.equal(ra.seen.length - n, 1);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  test('ok/without --cache nothing is written', async () => {
    const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'mooring-cache-')) };
    await call(env, args().filter((a) => a !== '--cache'));
    assert.deepEqual(readdirSync(env.XDG_CACHE_HOME), []);
  });
});
