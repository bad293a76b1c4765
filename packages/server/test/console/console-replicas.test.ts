// Console sessions shared by replicas: two servers composed as `--database-url` builds them, on
// one PostgreSQL schema, behind an imagined load balancer without sticky sessions. A browser
// signed in on A is signed in on B, B accepts A's CSRF token, and a sign-out on B ends the
// session on A too.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { postgresSkip } from '../store-contract/backends.js';
import { composedReplicaHooks } from '../support/composed-replicas.js';
import { SESSION_COOKIE } from '../../src/transport/console/web-security.js';
import { Harness } from '../support/in-process.js';

const HOSTHDR = { host: 'mooring.test', origin: 'https://mooring.test', 'content-type': 'application/x-www-form-urlencoded' };

describe('console sessions on PostgreSQL (two composed replicas)', { skip: await postgresSkip() }, () => {
  let a: Harness;
  let b: Harness;

  composedReplicaHooks('mooring-console', async (r) => {
    a = r.a;
    b = r.b;
  });

  const get = (h: Harness, url: string, cookie: string) => h.server.app.inject({ method: 'GET', url, headers: { host: 'mooring.test', cookie } });
  const post = (h: Harness, url: string, cookie: string, form: Record<string, string>) =>
    h.server.app.inject({ method: 'POST', url, headers: { ...HOSTHDR, cookie }, payload: new URLSearchParams(form).toString() });

  async function signInOnA(): Promise<string> {
    const form = { accessKeyId: a.server.admin.accessKeyId, secretAccessKey: a.server.admin.secretAccessKey };
    const r = await a.server.app.inject({ method: 'POST', url: '/console/sign-in', headers: HOSTHDR, payload: new URLSearchParams(form).toString() });
    assert.equal(r.statusCode, 303, r.body);
    const cookie = String(r.headers['set-cookie'] ?? '').split(';')[0] ?? '';
    assert.match(cookie, /=./);
    return cookie;
  }

  test('ok/signed in on A, the same cookie opens a console page on B', async () => {
    const cookie = await signInOnA();
    const page = await get(b, '/console/trust-anchors', cookie);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /data-testid="principal">[^<]+</);
    assert.match(page.body, /action="\/console\/sign-out"/);
    assert.equal((await get(b, '/console/sign-in', cookie)).headers.location, '/console/trust-anchors', 'B treats the browser as signed in');
  });

  test('ok/a CSRF token issued on A is accepted by B; sign-out on B ends the session on A', async () => {
    const cookie = await signInOnA();
    const onA = await get(a, '/console/profiles', cookie);
    assert.equal(onA.statusCode, 200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(onA.body)![1]!;

    const wrong = await post(b, '/console/sign-out', cookie, { csrf: `${csrf}x` });
    assert.equal(wrong.statusCode, 403, 'B still checks the token');
    assert.equal((await get(a, '/console/profiles', cookie)).statusCode, 200, 'a refused sign-out changes nothing');

    const out = await post(b, '/console/sign-out', cookie, { csrf });
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/console/sign-in');

    const afterOnA = await get(a, '/console/profiles', cookie);
    assert.equal(afterOnA.statusCode, 303, 'A refuses the cookie after sign-out on B');
    assert.match(String(afterOnA.headers.location), /^\/console\/sign-in/);
    assert.equal((await get(b, '/console/profiles', cookie)).statusCode, 303);
  });

  test('fail/a forged cookie is refused on both replicas', async () => {
    for (const h of [a, b]) {
      const r = await get(h, '/console/trust-anchors', `${SESSION_COOKIE}=${'A'.repeat(43)}`);
      assert.equal(r.statusCode, 303);
    }
  });
});
