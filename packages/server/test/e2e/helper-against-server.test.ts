// mooring-helper against a running Mooring: the bad-input cases of issue [client] that need a
// real server (an expired certificate is warned about and still sent; the service refuses it)
// and one that needs none (an unreachable endpoint fails fast with a clear error).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Harness, walkthroughSetup, DAY } from '../support/in-process.js';
import { REPO_ROOT, runAsync } from '../support/run.js';

describe('helper against server', () => {
  const h = new Harness();
  let s: Awaited<ReturnType<typeof walkthroughSetup>>;
  let endpoint: string;
  let dir: string;
  const helper = join(REPO_ROOT, 'node_modules', '.bin', 'mooring-helper');

  before(async () => {
    await h.start();
    s = await walkthroughSetup(h);
    endpoint = (await h.server.app.listen({ host: '127.0.0.1', port: 0 })).replace('http://', 'https://');
    dir = mkdtempSync(join(tmpdir(), 'mooring-helper-e2e-'));
    writeFileSync(join(dir, 'ca.pem'), h.server.caPem);
  });
  after(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const args = (cert: string, key: string, ep = endpoint) => [
    'credential-process', '--certificate', cert, '--private-key', key,
    '--trust-anchor-arn', s.trustAnchorArn, '--profile-arn', s.profileArn, '--role-arn', s.roleArn, '--endpoint', ep,
  ];

  test('fail/an expired certificate is warned about, still sent, and refused by the service', async () => {
    const old = s.leaf('myContainer', { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) }) as ReturnType<typeof s.leaf>;
    writeFileSync(join(dir, 'old.pem'), old.pem);
    writeFileSync(join(dir, 'old.key'), old.keyPem);
    const r = await runAsync(helper, args(join(dir, 'old.pem'), join(dir, 'old.key')), { env: { ...process.env, AWS_CA_BUNDLE: join(dir, 'ca.pem') } });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /warning: the certificate expired at/);
    assert.match(r.stderr, /AccessDeniedException: Untrusted signing certificate/);
  });

  test('ok/a valid certificate gets credentials from the same server', async () => {
    const me = s.leaf('myContainer') as ReturnType<typeof s.leaf>;
    writeFileSync(join(dir, 'me.pem'), me.pem);
    writeFileSync(join(dir, 'me.key'), me.keyPem);
    const r = await runAsync(helper, args(join(dir, 'me.pem'), join(dir, 'me.key')), { env: { ...process.env, AWS_CA_BUNDLE: join(dir, 'ca.pem') } });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
    assert.match(r.stdout, /"AccessKeyId":"ASIA/);
  });

  test('fail/an unreachable endpoint fails fast with a clear error', async () => {
    const me = s.leaf('myContainer') as ReturnType<typeof s.leaf>;
    writeFileSync(join(dir, 'me.pem'), me.pem);
    writeFileSync(join(dir, 'me.key'), me.keyPem);
    const r = await runAsync(helper, args(join(dir, 'me.pem'), join(dir, 'me.key'), 'https://127.0.0.1:1'), { timeoutMs: 60_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /ECONNREFUSED|connect/i);
  });
});
