// Failure drill 1 (issue [scale] item 4): two replica processes on one PostgreSQL database under
// a CreateSession load spread over both; one is SIGKILLed mid-load. The client retries a call
// that got no HTTP answer on the other replica (what a load balancer or a retrying SDK does).
// Asserted: no 5xx at any time, every access key id a client received is in the shared audit
// trail, the chain verifies, and credentials minted by the dead replica still work on the other.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { createSession, CreateSessionError } from '@mooring/client';
import { queryBody, signedCall } from '@mooring/server';
import { verifyAuditChain } from '../../src/core/audit/verify-audit-chain.js';
import { PgAuditStore } from '../../src/store/postgres/pg-audit-store.js';
import { PgDatabase } from '../../src/store/postgres/pg-database.js';
import { DATABASE_URL, postgresSkip } from '../store-contract/backends.js';
import { setUpWalkthrough } from './fixture.js';
import { startReplicaProcess, type ReplicaProcess } from './mooring-process.js';

const skip = await postgresSkip();

/** A database of its own on the shared test server: the CLI has no schema flag, and `public` is shared. */
const dbName = `mooring_failover_${randomBytes(5).toString('hex')}`;
const dbUrl = (() => {
  const u = new URL(DATABASE_URL);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const dirs: string[] = [];
const replicas: ReplicaProcess[] = [];
after(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (!skip) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
});

test('ok/SIGKILL of one replica under load: no 5xx after failover, every issued key is audited, chain verifies', { skip, timeout: 150_000 }, async () => {
  await admin(`CREATE DATABASE ${dbName}`);
  const dirA = mkdtempSync(join(tmpdir(), 'mooring-failover-a-'));
  const dirB = mkdtempSync(join(tmpdir(), 'mooring-failover-b-'));
  dirs.push(dirA, dirB);
  const a = await startReplicaProcess({ dataDir: dirA, databaseUrl: dbUrl });
  replicas.push(a);
  // The documented way to add a replica: a copy of the first one's data dir (token keys, TLS).
  cpSync(dirA, dirB, { recursive: true });
  const b = await startReplicaProcess({ dataDir: dirB, databaseUrl: dbUrl });
  replicas.push(b);
  const fx = await setUpWalkthrough(a.endpoint, dirA);

  const endpoints = [a.endpoint, b.endpoint];
  const received: Array<{ accessKeyId: string; secretAccessKey: string; sessionToken: string; via: string }> = [];
  const fiveXx: string[] = [];
  let next = 0;
  let killed = false;
  let retriesAfterKill = 0;
  let okAfterKill = 0;
  const killAt = 30;
  const stopAfter = 30; // successes after the kill

  // One CreateSession "through the load balancer": round-robin, and a call that got no HTTP
  // answer (refused, reset) is retried once on the other replica. A 5xx is recorded, not retried.
  const oneCall = async () => {
    const first = next++ % 2;
    for (const i of [first, 1 - first]) {
      const endpoint = endpoints[i]!;
      try {
        const c = await createSession({ ...fx.target, endpoint });
        return { ...c, via: endpoint };
      } catch (err) {
        if (!(err instanceof CreateSessionError)) throw err;
        if (err.fault === 'network') {
          if (killed) retriesAfterKill++;
          continue;
        }
        if (err.statusCode >= 500) fiveXx.push(`${err.statusCode} ${err.code} ${err.message} (${killed ? 'after' : 'before'} the kill)`);
        throw err;
      }
    }
    throw new Error('no replica answered');
  };
  const worker = async () => {
    while (okAfterKill < stopAfter) {
      const c = await oneCall();
      received.push({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, via: c.via });
      if (killed) okAfterKill++;
      if (!killed && received.length >= killAt) {
        killed = true;
        a.child.kill('SIGKILL');
      }
    }
  };
  const started = Date.now();
  await Promise.all([worker(), worker(), worker(), worker()]);
  await a.exited();
  assert.equal(a.child.signalCode, 'SIGKILL');
  assert.ok(Date.now() - started < 90_000, 'the load finished in bounded time');
  assert.deepEqual(fiveXx, [], 'no 5xx at any time');
  assert.ok(retriesAfterKill > 0, 'calls to the dead replica were retried on the other');
  assert.ok(received.some((r) => r.via === a.endpoint) && received.some((r) => r.via === b.endpoint), 'the load was spread over both replicas');
  assert.ok(b.alive(), 'the surviving replica is still running');

  // Credentials minted by the dead replica are still accepted by the survivor (shared token keys).
  const fromA = received.find((r) => r.via === a.endpoint)!;
  const id = await signedCall({ endpoint: b.endpoint, method: 'POST', path: '/', body: queryBody({ Action: 'GetCallerIdentity', Version: '2011-06-15' }), contentType: 'application/x-www-form-urlencoded; charset=utf-8', service: 'sts', region: 'us-east-1', credentials: fromA, ca: fx.tlsCa });
  assert.equal(id.status, 200, id.body);

  // Every access key id a client holds is in the one shared audit trail, and the chain is whole.
  const db = new PgDatabase({ connectionString: dbUrl, max: 2 });
  try {
    const store = new PgAuditStore(db);
    const inTrail = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await store.query({ eventName: 'CreateSession', limit: 1000, ...(nextToken ? { nextToken } : {}) });
      assert.notEqual(page, 'bad-token');
      if (page === 'bad-token') break;
      for (const r of page.records) {
        const k = (r.event.responseElements as { accessKeyId?: string } | null)?.accessKeyId;
        if (k) inTrail.add(k);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    const missing = received.filter((r) => !inTrail.has(r.accessKeyId));
    assert.deepEqual(missing.map((r) => r.accessKeyId), [], `${missing.length} of ${received.length} issued access key ids are missing from audit_events`);
    const chain = await verifyAuditChain(store);
    assert.equal(chain.ok, true, JSON.stringify(chain));
  } finally {
    await db.close();
  }
});
