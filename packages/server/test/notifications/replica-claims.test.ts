// Issue [scale]: with several replicas on one PostgreSQL database, each expiry notification is
// emitted and delivered once per deployment, not once per replica (NotificationStateStore.claim).
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createCertificateAuthority } from '@mooring/pki';
import { createNotificationRuntime, type NotificationRuntime } from '../../src/app/notification-runtime.js';
import type { ServerOptions } from '../../src/app/server-options.js';
import type { Page, PageRequest } from '../../src/core/roles-anywhere/page.js';
import { caNotificationKey } from '../../src/core/notifications/evaluate-expiry.js';
import type { ExpiryEventBridgeEvent } from '../../src/core/notifications/expiry-event.js';
import { EXPIRY_AUDIT_EVENT_NAME } from '../../src/core/notifications/notification-audit.js';
import type { NotificationStateStore } from '../../src/core/notifications/notification-state-store.js';
import { verifyWebhookSignature } from '../../src/core/notifications/webhook-delivery.js';
import { systemClock } from '../../src/core/ports/clock.js';
import { systemRandom } from '../../src/core/ports/random.js';
import { MooringMetrics } from '../../src/transport/metrics/mooring-metrics.js';
import { DAY, sessionRequest, walkthroughSetup } from '../support/in-process.js';
import { dropSchema, newSchemaName, postgresSkip } from '../store-contract/backends.js';
import { startReplica, type Replica } from '../replicas/replica.js';

const skip = await postgresSkip();
const SECRET = 'replica-claims-secret-0123456789';

interface Received {
  event: ExpiryEventBridgeEvent;
  status: number;
  signed: boolean;
}

/** One webhook receiver for the whole deployment; `answer` is what it replies next. */
async function receiver(): Promise<{ url: string; got: Received[]; answer: { status: number }; close(): Promise<void> }> {
  const got: Received[] = [];
  const answer = { status: 200 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      got.push({ event: JSON.parse(body) as ExpiryEventBridgeEvent, status: answer.status, signed: verifyWebhookSignature(Buffer.from(SECRET), body, req.headers['x-mooring-signature'] as string) });
      res.writeHead(answer.status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
    got,
    answer,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

async function allPages<T>(list: (p: PageRequest) => Promise<Page<T> | 'bad-token'>): Promise<T[]> {
  const out: T[] = [];
  let nextToken: string | undefined;
  do {
    const p = await list({ pageSize: 100, ...(nextToken ? { nextToken } : {}) });
    if (p === 'bad-token') throw new Error('bad-token');
    out.push(...p.items);
    nextToken = p.nextToken;
  } while (nextToken);
  return out;
}

/**
 * The replica's store, with a gate after `lastSent`: when armed, each replica waits there until
 * all have read the history, so every one of them evaluates the same notifications as due and
 * tries to claim them. Without the claim both would send.
 */
class GatedState implements NotificationStateStore {
  claims: Array<{ key: string; won: boolean }> = [];
  gate: (() => Promise<void>) | undefined;
  constructor(private readonly inner: NotificationStateStore) {}
  async lastSent(keys: readonly string[]) {
    const r = await this.inner.lastSent(keys);
    await this.gate?.();
    return r;
  }
  async claim(key: string, at: Date, since: Date) {
    const won = await this.inner.claim(key, at, since);
    this.claims.push({ key, won });
    return won;
  }
  release(key: string, at: Date) {
    return this.inner.release(key, at);
  }
  pruneBefore(cutoff: Date) {
    return this.inner.pruneBefore(cutoff);
  }
}

function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const all = new Promise<void>((r) => (open = r));
  return async () => {
    if (++arrived === n) open();
    await all;
  };
}

describe('expiry notifications on two replicas sharing one database', { skip }, () => {
  const schema = newSchemaName();
  const secretFile = join(tmpdir(), `mooring-replica-claims-${process.pid}`);
  let a: Replica;
  let b: Replica;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let fx: Awaited<ReturnType<typeof walkthroughSetup>>;
  const runtimes: NotificationRuntime[] = [];

  function runtime(r: Replica, state: NotificationStateStore): NotificationRuntime {
    const rt = createNotificationRuntime({
      opts: { webhookUrls: [rx.url], webhookSecretFile: secretFile, notificationIntervalMs: 3_600_000 } as ServerOptions,
      sources: {
        trustAnchors: () => allPages((p) => r.stores.trustAnchors.listTrustAnchors(p)),
        subjects: () => allPages((p) => r.stores.subjects.listSubjects(p)),
      },
      state,
      audit: r.stores.auditSink,
      metrics: new MooringMetrics(systemClock),
      clock: systemClock,
      random: systemRandom,
      config: r.h.server.config,
      log: () => r.h.server.app.log,
      // One attempt: a failed delivery is decided at once, with no backoff to wait out.
      webhookRetry: { maxAttempts: 1, timeoutMs: 2000 },
    });
    runtimes.push(rt);
    return rt;
  }

  async function soonAnchor(cn: string, days: number): Promise<{ arn: string; id: string }> {
    const ca = createCertificateAuthority({ subject: [['CN', cn]], key: 'p256', notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + days * DAY + 3600_000) });
    const ta = await a.h.admin('rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name: cn.replace(/\W/g, '-'), enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } } }));
    assert.equal(ta.status, 201, ta.body);
    return { arn: ta.json().trustAnchor.trustAnchorArn as string, id: ta.json().trustAnchor.trustAnchorId as string };
  }

  before(async () => {
    writeFileSync(secretFile, SECRET);
    rx = await receiver();
    a = await startReplica({ schema });
    b = await startReplica({ schema, copyDataDirFrom: a.dataDir });
    fx = await walkthroughSetup(a.h);
  });
  after(async () => {
    for (const rt of runtimes) await rt.stop();
    await a?.stop();
    await b?.stop();
    await rx?.close();
    await dropSchema(schema);
    rmSync(secretFile, { force: true });
  });

  test('ok/both replicas scan at once: each notification is emitted, audited and delivered once', async () => {
    const soon = await soonAnchor('Soon CA', 10);
    // The walkthrough leaf (expires in 30 days) authenticates on B: an end-entity event is due too.
    const cs = await b.h.send(await sessionRequest({ identity: fx.leaf('myContainer'), trustAnchorArn: fx.trustAnchorArn, profileArn: fx.profileArn, roleArn: fx.roleArn }));
    assert.equal(cs.status, 201, cs.body);
    const stateA = new GatedState(a.stores.notificationState);
    const stateB = new GatedState(b.stores.notificationState);
    const ra = runtime(a, stateA);
    const rb = runtime(b, stateB);

    const emitted: ExpiryEventBridgeEvent[] = [];
    for (let round = 0; round < 3; round++) {
      const gate = round === 0 ? barrier(2) : undefined;
      stateA.gate = gate;
      stateB.gate = gate;
      const runs = await Promise.all([ra.notifier.runOnce(), rb.notifier.runOnce()]);
      await Promise.all(runs.map((r) => r.delivered));
      emitted.push(...runs.flatMap((r) => r.emitted));
    }

    // Round one: both replicas found both notifications due and raced for them.
    const raced = [...stateA.claims, ...stateB.claims];
    assert.equal(raced.length, 4, 'each replica tried to claim both notifications');
    assert.equal(raced.filter((c) => c.won).length, 2, 'one winner per notification');
    assert.equal(new Set(raced.filter((c) => c.won).map((c) => c.key)).size, 2);

    assert.equal(emitted.length, 2, 'one CA and one end-entity event in the whole deployment');
    assert.deepEqual(emitted.find((e) => e.resources)?.resources, [soon.arn]);
    assert.equal(rx.got.length, 2, 'the receiver got exactly one delivery per notification');
    assert.ok(rx.got.every((g) => g.signed && g.status === 200));
    assert.deepEqual(new Set(rx.got.map((g) => g.event.id)), new Set(emitted.map((e) => e.id)));

    const audited = await a.stores.audit.query({ eventName: EXPIRY_AUDIT_EVENT_NAME, limit: 100 });
    assert.ok(audited !== 'bad-token');
    assert.equal(audited.records.length, 2, 'one audit record per notification');
  });

  test('fail/a delivery nobody received is given back, and the other replica sends it once', async () => {
    const later = await soonAnchor('Later CA', 20);
    const key = caNotificationKey(later.id);
    const ra = runtime(a, a.stores.notificationState);
    const rb = runtime(b, b.stores.notificationState);
    const before = rx.got.length;

    rx.answer.status = 503;
    const first = await ra.notifier.runOnce();
    await first.delivered;
    assert.deepEqual(first.emitted.map((e) => e.resources), [[later.arn]], 'only the new anchor is due');
    assert.equal((await b.stores.notificationState.lastSent([key])).size, 0, 'the claim was released');

    rx.answer.status = 200;
    const second = await rb.notifier.runOnce();
    await second.delivered;
    assert.deepEqual(second.emitted.map((e) => e.resources), [[later.arn]], 'the other replica re-emits it');
    assert.equal((await ra.notifier.runOnce()).emitted.length, 0, 'and then it is sent for today');
    assert.equal((await rb.notifier.runOnce()).emitted.length, 0);

    const forLater = rx.got.slice(before).filter((g) => g.event.resources?.[0] === later.arn);
    assert.deepEqual(forLater.map((g) => g.status), [503, 200], 'one refused attempt, then exactly one delivery');
    assert.equal(forLater[1]!.event.id, second.emitted[0]!.id);
  });
});
