// `npm run demo` and the `mooring` CLI's own options, as a user runs them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { toServerOptions } from '../../src/app/server-options.js';
import { runAsync } from '../support/run.js';
import { Harness } from '../support/in-process.js';
import { composeServer } from '../../src/app/compose.js';

test('ok/npm run demo walks every step and exits 0', async () => {
  const r = await runAsync('node', ['packages/server/bin/mooring.js', 'demo'], { timeoutMs: 120_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  for (const step of ['[1]', '[2]', '[3]', '[4]', '[5]', '[6]']) assert.ok(r.stdout.includes(step), `step ${step} missing`);
  assert.match(r.stdout, /assumed-role\/bucket-lister\/[0-9a-f]+/);
  assert.match(r.stdout, /Demo complete: every step worked\./);
  assert.doesNotMatch(r.stdout, /SecretAccessKey|aws_secret_access_key/);
});

test('ok/--region and --account-id shape every ARN', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-opts-'));
  const s = await composeServer(toServerOptions({ dataDir: dir, listen: '127.0.0.1:0', logLevel: 'silent', region: 'eu-west-2', accountId: '222233334444' }));
  try {
    const h = Object.assign(new Harness(), { server: s, dir });
    await s.app.ready();
    const { signHmacRequest } = await import('@mooring/protocol');
    const req = signHmacRequest(
      { method: 'POST', path: '/profiles', query: '', headers: { host: 'x', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'p', roleArns: [] }) },
      { accessKeyId: s.admin.accessKeyId, secretAccessKey: s.admin.secretAccessKey },
      { region: 'eu-west-2', service: 'rolesanywhere', date: new Date() },
    );
    const r = await h.send(req);
    assert.equal(r.status, 201, r.body);
    assert.match(r.json().profile.profileArn, /^arn:aws:rolesanywhere:eu-west-2:222233334444:profile\//);
    assert.equal(s.admin.userArn, 'arn:aws:iam::222233334444:user/mooring-admin');
    await s.app.close();
    // The README's audit commands, on the data dir this server left behind.
    const audit = await runAsync('node', ['packages/server/bin/mooring.js', 'audit', '--data-dir', dir, '--since', '1h']);
    assert.equal(audit.status, 0, audit.stderr);
    const verify = await runAsync('node', ['packages/server/bin/mooring.js', 'audit', 'verify', '--data-dir', dir]);
    assert.equal(verify.status, 0, verify.stderr);
    // The README's key rotation: a new current key, the old one still listed (it keeps verifying).
    const rotate = await runAsync('node', ['packages/server/bin/mooring.js', 'keys', 'rotate', '--data-dir', dir]);
    assert.equal(rotate.status, 0, rotate.stderr);
    const m = /current ([0-9a-f]{8}); all ([0-9a-f, ]+)/.exec(rotate.stdout);
    assert.ok(m, rotate.stdout);
    assert.equal(m[2]!.split(', ').length, 2);
    assert.ok(!rotate.stdout.includes('"key"'), 'key material is never printed');
    // The README's rolling rotation for several replicas: stage (prints the kid), then activate it.
    const stage = await runAsync('node', ['packages/server/bin/mooring.js', 'keys', 'stage', '--data-dir', dir]);
    assert.equal(stage.status, 0, stage.stderr);
    const staged = /staged ([0-9a-f]{8}): copy .* mooring keys activate --data-dir \S+ --kid \1\n/.exec(stage.stdout)?.[1];
    assert.ok(staged, stage.stdout);
    assert.match(stage.stdout, new RegExp(`current ${m[1]}; `), 'staging does not change the signing key');
    const activate = await runAsync('node', ['packages/server/bin/mooring.js', 'keys', 'activate', '--data-dir', dir, '--kid', staged]);
    assert.equal(activate.status, 0, activate.stderr);
    assert.match(activate.stdout, new RegExp(`current ${staged}; `));
  } finally {
    await s.app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fail/bad server options are refused with a clear message', () => {
  assert.throws(() => toServerOptions({}), /--data-dir is required/);
  assert.throws(() => toServerOptions({ dataDir: 'd', listen: 'nope' }), /--listen must be HOST:PORT/);
  assert.throws(() => toServerOptions({ dataDir: 'd', accountId: '12' }), /--account-id must be 12 digits/);
  assert.throws(() => toServerOptions({ dataDir: 'd', region: 'moon' }), /--region 'moon'/);
});

test('ok/a relative --data-dir becomes absolute, so the printed AWS_CA_BUNDLE path survives a cd', () => {
  assert.equal(toServerOptions({ dataDir: 'rel/dir' }).dataDir, join(process.cwd(), 'rel', 'dir'));
});

test('fail/unknown mooring command and flag exit 1', async () => {
  const a = await runAsync('node', ['packages/server/bin/mooring.js', 'frobnicate']);
  assert.equal(a.status, 1);
  assert.match(a.stderr, /unknown command "frobnicate"/);
  const b = await runAsync('node', ['packages/server/bin/mooring.js', 'server', '--data-dir', '/tmp/x', '--bogus']);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /Unknown option '--bogus'/);
});

test('fail/a listener that cannot bind ends the server with exit 1, the main one or the metrics one', async () => {
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  const port = (busy.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'mooring-busy-'));
  try {
    for (const [name, flags] of [
      ['main', ['--listen', `127.0.0.1:${port}`]],
      ['metrics', ['--listen', '127.0.0.1:0', '--metrics-listen', `127.0.0.1:${port}`]],
    ] as const) {
      const r = await runAsync('node', ['packages/server/bin/mooring.js', 'server', '--data-dir', join(dir, name), '--log-level', 'silent', ...flags], { timeoutMs: 30_000 });
      assert.equal(r.status, 1, `${name}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /EADDRINUSE/, name);
      assert.doesNotMatch(r.stdout, /is listening/, name);
    }
  } finally {
    busy.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ok/the README\'s mooring pki quick start: init-ca, issue, check', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-pki-'));
  try {
    const bin = join(process.cwd(), 'packages/server/bin/mooring.js');
    const init = await runAsync('node', [bin, 'pki', 'init-ca', '--dir', './ca', '--cn', 'myPrivateCA'], { cwd: dir });
    assert.equal(init.status, 0, init.stderr);
    const issue = await runAsync('node', [bin, 'pki', 'issue', '--dir', './ca', '--cn', 'myContainer', '--out', 'my'], { cwd: dir });
    assert.equal(issue.status, 0, issue.stderr);
    const check = await runAsync('node', [bin, 'pki', 'check', 'my-cert.pem', '--ca', 'ca/ca-cert.pem'], { cwd: dir });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.doesNotMatch(check.stdout, /✗/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
