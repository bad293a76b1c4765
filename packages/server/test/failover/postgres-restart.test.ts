// Failure drill 2 (issue [scale] item 4): PostgreSQL restarts mid-load. On a private cluster (the
// machine's shared PostgreSQL is never touched): replica A is a real `mooring server` process,
// replica B runs in this process so its change feed can be observed. While PostgreSQL is down
// both report not-ready (/readyz 503) and CreateSession fails fast with an AWS-shaped 5xx (error
// code header, JSON `{"message"}`, no stack trace), neither crashes nor hangs. After PostgreSQL
// is back both recover without a restart: /readyz 200, CreateSession 201, and the LISTEN/NOTIFY
// change feed is back (a CRL enabled on A blocks on B within 1 s, and B hears of it).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSession, CreateSessionError } from '@mooring/client';
import { buildCrl, toPem } from '@mooring/pki';
import { composeServer, type ComposedServer } from '../../src/app/compose.js';
import { toServerOptions } from '../../src/app/server-options.js';
import { verifyAuditChain } from '../../src/core/audit/verify-audit-chain.js';
import type { Change } from '../../src/store/postgres/change-feed.js';
import { PgAuditStore } from '../../src/store/postgres/pg-audit-store.js';
import { PgDatabase } from '../../src/store/postgres/pg-database.js';
// Plain .mjs helper shared by every package's tests (types: scripts/test-support.d.mts).
import { requireOrSkip } from '../../../../scripts/test-support.mjs';
import { setUpWalkthrough, type Fixture } from './fixture.js';
import { startReplicaProcess, type ReplicaProcess } from './mooring-process.js';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

const skip = requireOrSkip(privatePostgresUnavailable() === undefined, `private PostgreSQL cluster: ${privatePostgresUnavailable()}`) as string | undefined;

/** A bounded HTTPS GET: status, or 0 when no answer came within `timeoutMs`. */
function get(url: string, ca: string, timeoutMs = 5000): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = httpsRequest(url, { ca, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await check()) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) assert.fail(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

interface Outcome {
  ok: boolean;
  ms: number;
  status: number;
  code: string;
  fault: string;
  message: string;
}

let cluster: PrivatePostgres | undefined;
/** Cleared on every way out, so the load loop can never keep the test process alive. */
let loading = true;
let a: ReplicaProcess | undefined;
let b: ComposedServer | undefined;
const dirs: string[] = [];
after(async () => {
  loading = false;
  await a?.stop();
  await b?.app.close();
  await cluster?.destroy();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('ok/PostgreSQL restart mid-load: not ready and clean 5xx while down, recovers by itself', { skip, timeout: 150_000 }, async (t) => {
  cluster = await startPrivatePostgres();
  const dirA = mkdtempSync(join(tmpdir(), 'mooring-pgrestart-a-'));
  const dirB = mkdtempSync(join(tmpdir(), 'mooring-pgrestart-b-'));
  dirs.push(dirA, dirB);
  a = await startReplicaProcess({ dataDir: dirA, databaseUrl: cluster.url });
  cpSync(dirA, dirB, { recursive: true });
  b = await composeServer(toServerOptions({ dataDir: dirB, databaseUrl: cluster.url, listen: '127.0.0.1:0', logLevel: 'silent' }));
  const bEndpoint = `https://127.0.0.1:${new URL(await b.app.listen({ host: '127.0.0.1', port: 0 })).port}`;
  const aEndpoint = a.endpoint;
  const fx: Fixture = await setUpWalkthrough(aEndpoint, dirA);
  const heard: Change[] = [];
  b.stores.changes.subscribe((c) => heard.push(c));

  const attempt = async (endpoint: string): Promise<Outcome & { accessKeyId?: string }> => {
    const t0 = Date.now();
    try {
      const c = await createSession({ ...fx.target, endpoint });
      return { ok: true, ms: Date.now() - t0, status: 201, code: '', fault: '', message: '', accessKeyId: c.accessKeyId };
    } catch (err) {
      if (!(err instanceof CreateSessionError)) throw err;
      return { ok: false, ms: Date.now() - t0, status: err.statusCode, code: err.code, fault: err.fault, message: err.message };
    }
  };

  // Load: two clients alternate between the replicas for the whole drill. Each outcome is filed
  // under the phase in which its call started.
  type Phase = 'up' | 'stopping' | 'down' | 'starting' | 'back';
  let phase: Phase = 'up';
  const outcomes: Record<Phase, Outcome[]> = { up: [], stopping: [], down: [], starting: [], back: [] };
  const received: string[] = [];
  const client = async (offset: number) => {
    for (let n = offset; loading; n++) {
      const p = phase;
      const o = await attempt(n % 2 ? aEndpoint : bEndpoint);
      if (o.accessKeyId) received.push(o.accessKeyId);
      outcomes[p].push(o);
      if (!o.ok) await sleep(20);
    }
  };
  const load = Promise.all([client(0), client(1)]);
  try {
  await until('load running', 20_000, async () => outcomes.up.filter((o) => o.ok).length >= 10);

  // PostgreSQL goes away (fast shutdown terminates every connection, pooled and LISTEN).
  phase = 'stopping';
  await cluster.stop();
  phase = 'down';
  for (const [name, ep] of [['A', aEndpoint], ['B', bEndpoint]] as const) {
    // Generous on a loaded 2-core machine; each probe itself is bounded by get()'s 5 s.
    let seen = -1;
    await until(`/readyz on ${name} turns 503 (last seen ${seen})`, 15_000, async () => (seen = (await get(`${ep}/readyz`, fx.tlsCa)).status) === 503).catch((e: Error) => assert.fail(`${e.message}; last /readyz status ${seen}`));
    const r = await get(`${ep}/readyz`, fx.tlsCa);
    assert.deepEqual(JSON.parse(r.body), { status: 'not ready' }, 'readiness says only not ready (no internal detail)');
    const o = await attempt(ep);
    assert.equal(o.ok, false, `CreateSession on ${name} cannot succeed without its database`);
    assert.equal(o.fault, 'service', `${name} answered with an HTTP error, not a dropped connection (${o.message})`);
    assert.ok(o.status >= 500 && o.status <= 599, `${name}: a 5xx (got ${o.status})`);
    assert.match(o.code, /^(InternalServerException|ServiceUnavailableException|ServiceUnavailable)$/, `${name}: an AWS error code`);
    assert.ok(o.message.length > 0 && !/\bat .+:\d+:\d+|ECONNREFUSED|postgres/i.test(o.message), `${name}: a clean message, no internals: ${o.message}`);
    assert.ok(o.ms < 10_000, `${name}: failed within a bounded time (${o.ms} ms)`);
  }
  // Stay down long enough for the change feed's reconnect back-off to grow past its first steps.
  await sleep(2000);
  assert.ok(a.alive(), 'replica A survived the outage');

  // PostgreSQL is back: both replicas recover by themselves.
  phase = 'starting';
  await cluster.start();
  phase = 'back';
  for (const [name, ep] of [['A', aEndpoint], ['B', bEndpoint]] as const) {
    await until(`/readyz on ${name} back to 200`, 15_000, async () => (await get(`${ep}/readyz`, fx.tlsCa)).status === 200);
    await until(`CreateSession on ${name} back to 201`, 15_000, async () => (await attempt(ep)).ok);
  }
  await until('the load succeeds again', 15_000, async () => outcomes.back.filter((o) => o.ok).length >= 10);
  } finally {
    loading = false;
    await load;
  }

  assert.ok(outcomes.down.length > 0, 'the load ran into the outage');
  assert.deepEqual(outcomes.down.filter((o) => o.ok), [], 'nothing succeeds without the database');
  // Whatever failed, whenever: an HTTP answer with an AWS 5xx, never a dropped connection or a hang.
  const failures = Object.values(outcomes).flat().filter((o) => !o.ok);
  assert.ok(failures.length > 0);
  for (const o of failures) {
    assert.equal(o.fault, 'service', `every failed call got an HTTP answer: ${o.message}`);
    assert.ok(o.status >= 500, `a 5xx: ${o.status} ${o.code}`);
    assert.ok(o.ms < 10_000, `no hang (${o.ms} ms)`);
  }
  assert.ok(outcomes.up.filter((o) => o.ok).length >= 10 && outcomes.back.filter((o) => o.ok).length >= 10);
  const codes = [...new Set(failures.map((o) => `${o.status} ${o.code}: ${o.message}`))];
  t.diagnostic(`calls per phase (ok/failed): ${Object.entries(outcomes).map(([k, v]) => `${k} ${v.filter((o) => o.ok).length}/${v.filter((o) => !o.ok).length}`).join(', ')}`);
  t.diagnostic(`answers while down: ${codes.join(' | ')}; slowest failure ${Math.max(...failures.map((o) => o.ms))} ms`);

  // The change feed reconnected (it backs off up to 5 s): a write on A is heard on B again.
  const feedBack = await until("B's change feed hears A's writes again", 15_000, async () => {
    const before = heard.length;
    const t = await fx.call(aEndpoint, 'rolesanywhere', 'POST', '/TagResource', JSON.stringify({ resourceArn: fx.trustAnchorArn, tags: [{ key: 'probe', value: String(Date.now()) }] }));
    assert.ok(t.status === 200 || t.status === 201, t.body);
    await sleep(300);
    return heard.slice(before).some((c) => c.kind === 'trust-anchor' && c.id === fx.trustAnchorId);
  });

  t.diagnostic(`change feed heard A again ${feedBack} ms after recovery was checked`);
  // Notifications sent while it was away are lost: the reconnect itself is announced, so caches drop everything.
  assert.ok(heard.some((c) => c.kind === 'resync'), "B's feed announced a resync after reconnecting");

  // A CRL enabled on A after recovery blocks the leaf on B within one second, and B hears it.
  const crl = toPem('X509 CRL', buildCrl({ issuer: { cert: fx.ca.cert, key: fx.ca.key }, thisUpdate: new Date(), revoked: [{ serial: fx.leaf.cert.serialHex, revocationDate: new Date() }] }));
  const imp = await fx.call(aEndpoint, 'rolesanywhere', 'POST', '/crls', JSON.stringify({ name: 'c', crlData: Buffer.from(crl).toString('base64'), trustAnchorArn: fx.trustAnchorArn }));
  assert.equal(imp.status, 201, imp.body);
  const crlId = (JSON.parse(imp.body) as { crl: { crlId: string } }).crl.crlId;
  const enabled = await fx.call(aEndpoint, 'rolesanywhere', 'POST', `/crl/${crlId}/enable`);
  assert.equal(enabled.status, 200, enabled.body);
  const enabledAt = Date.now();
  let refused: Outcome | undefined;
  while (!refused && Date.now() - enabledAt < 1000) {
    const o = await attempt(bEndpoint);
    if (!o.ok) refused = o;
  }
  assert.ok(refused, 'B refused the revoked leaf within 1 s');
  assert.equal(refused.status, 403, refused.message);
  assert.match(refused.message, /revoked/i);
  await until('B heard the CRL change', 1000, async () => heard.some((c) => c.kind === 'crl' && c.id === crlId));

  // Nothing issued was lost: every access key id a client received is in the trail, and it verifies.
  const db = new PgDatabase({ connectionString: cluster.url, max: 2 });
  try {
    const store = new PgAuditStore(db);
    const inTrail = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await store.query({ eventName: 'CreateSession', limit: 1000, ...(nextToken ? { nextToken } : {}) });
      if (page === 'bad-token') assert.fail('bad page token');
      for (const r of page.records) {
        const k = (r.event.responseElements as { accessKeyId?: string } | null)?.accessKeyId;
        if (k) inTrail.add(k);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(received.filter((k) => !inTrail.has(k)), [], 'every issued access key id is in audit_events');
    const chain = await verifyAuditChain(store);
    assert.equal(chain.ok, true, JSON.stringify(chain));
  } finally {
    await db.close();
  }
});
