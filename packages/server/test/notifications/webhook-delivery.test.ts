// Expiry notifications delivered to webhooks: HMAC-signed, retried, bounded, never on the
// request path (issue 4 item 5, "Bad input": a webhook URL that hangs).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createCertificateAuthority } from '@mooring/pki';
import { deliverWebhook, verifyWebhookSignature, SIGNATURE_HEADER } from '../../src/core/notifications/webhook-delivery.js';
import { EXPIRY_AUDIT_EVENT_NAME } from '../../src/core/notifications/notification-audit.js';
import { httpWebhookPoster } from '../../src/transport/webhooks/http-webhook-poster.js';
import { DAY, sessionRequest, walkthroughSetup } from '../support/in-process.js';
import { OptionsHarness } from '../observability/support.js';

const SECRET = 'test-webhook-secret-0123456789';

interface Received {
  body: string;
  signature: string | undefined;
  eventId: string | undefined;
}

/** A loopback receiver: `plan` decides each answer by attempt number ('hang' never answers). */
async function receiver(plan: (n: number) => number | 'hang'): Promise<{ url: string; got: Received[]; attempts: () => number; close: () => Promise<void> }> {
  const got: Received[] = [];
  let n = 0;
  const hanging = new Set<IncomingMessage>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const what = plan(++n);
      if (what === 'hang') return void hanging.add(req);
      got.push({ body: Buffer.concat(chunks).toString('utf8'), signature: req.headers[SIGNATURE_HEADER] as string | undefined, eventId: req.headers['x-mooring-event-id'] as string | undefined });
      res.writeHead(what).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook?token=abc`,
    got,
    attempts: () => n,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

describe('deliverWebhook', () => {
  test('ok/retried after the receiver fails twice; the HMAC verifies', async () => {
    const rx = await receiver((n) => (n <= 2 ? 500 : 204));
    const waits: number[] = [];
    try {
      const body = JSON.stringify({ hello: 'world' });
      const [r] = await deliverWebhook(body, 'ev-1', {
        urls: [rx.url], secret: Buffer.from(SECRET), poster: httpWebhookPoster,
        sleep: async (ms) => void waits.push(ms), initialBackoffMs: 100,
      });
      assert.deepEqual(r, { target: new URL(rx.url).origin, ok: true, attempts: 3, last: '204' });
      assert.deepEqual(waits, [100, 200]);
      assert.equal(rx.got.length, 3);
      const last = rx.got[2]!;
      assert.equal(last.body, body);
      assert.equal(last.eventId, 'ev-1');
      assert.ok(verifyWebhookSignature(Buffer.from(SECRET), last.body, last.signature));
      assert.ok(!verifyWebhookSignature(Buffer.from('another-secret-0123456'), last.body, last.signature));
    } finally {
      await rx.close();
    }
  });

  test('fail/a client error is final; a hanging receiver times out after bounded attempts', async () => {
    const refuses = await receiver(() => 403);
    const hangs = await receiver(() => 'hang');
    try {
      const opts = { secret: Buffer.from(SECRET), poster: httpWebhookPoster, sleep: async () => {}, maxAttempts: 2, timeoutMs: 150 };
      const started = Date.now();
      const [a, b] = await deliverWebhook('{}', 'ev-2', { ...opts, urls: [refuses.url, hangs.url] });
      assert.deepEqual([a!.ok, a!.attempts, a!.last], [false, 1, '403']);
      assert.deepEqual([b!.ok, b!.attempts, b!.last], [false, 2, 'timeout']);
      assert.equal(hangs.attempts(), 2);
      assert.ok(Date.now() - started < 2000);
      assert.ok(!JSON.stringify([a, b]).includes('token=abc'), 'results name the origin only');
    } finally {
      await refuses.close();
      await hangs.close();
    }
  });
});

describe('expiry notifications in the server', () => {
  const secretFile = join(tmpdir(), `mooring-webhook-secret-${process.pid}`);
  writeFileSync(secretFile, `${SECRET}\n`);

  test('ok/CA and end-entity events are audited, delivered signed, and not repeated the same day', async () => {
    const rx = await receiver((n) => (n <= 2 ? 503 : 200));
    const h = new OptionsHarness({ webhookUrls: [rx.url], webhookSecretFile: secretFile, metricsListen: 'main' }, { webhookRetry: { initialBackoffMs: 10 } });
    await h.start();
    try {
      const s = await walkthroughSetup(h);
      // A second anchor whose CA expires in 10 days (threshold 45: due).
      const soon = createCertificateAuthority({ subject: [['CN', 'Soon CA']], key: 'p256', notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 10 * DAY + 3600_000) });
      const ta = await h.admin('rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name: 'soon', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: soon.pem } } }));
      assert.equal(ta.status, 201, ta.body);
      const soonArn = ta.json().trustAnchor.trustAnchorArn as string;
      // The leaf expires in 30 days and authenticates now: an end-entity event is due.
      const leaf = s.leaf('myContainer');
      const cs = await h.send(await sessionRequest({ identity: leaf, trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn }));
      assert.equal(cs.status, 201, cs.body);

      const run = await h.server.notifier.runOnce();
      await run.delivered;
      const ca = run.emitted.find((e) => e.resources);
      const ee = run.emitted.find((e) => !e.resources);
      assert.equal(run.emitted.length, 2);
      assert.deepEqual(ca!.resources, [soonArn]);
      assert.equal(ca!.detail.issuer, 'CN=Soon CA');
      assert.equal(ca!.detail['days-to-expiry'], 10);
      assert.equal(ee!.detail['certificate-serial-number'], leaf.serialHex.toUpperCase().replace(/^([89A-F])/, '00$1'));
      assert.equal(ee!.detail['days-to-expiry'], 29);

      // Both delivered (after two 503s for the first), signed, bodies exactly the events.
      const ok = rx.got.filter((g) => g.body && verifyWebhookSignature(Buffer.from(SECRET), g.body, g.signature));
      assert.equal(ok.length, rx.got.length);
      const delivered = new Set(rx.got.slice(2).map((g) => (JSON.parse(g.body) as { id: string }).id));
      assert.deepEqual(delivered, new Set(run.emitted.map((e) => e.id)));

      const page = await h.server.audit.query({ eventName: EXPIRY_AUDIT_EVENT_NAME });
      assert.ok(page !== 'bad-token');
      assert.equal(page.records.length, 2);
      const rec = page.records[0]!.event as unknown as { eventType: string; serviceEventDetails: { id: string } };
      assert.equal(rec.eventType, 'AwsServiceEvent');
      assert.ok(run.emitted.some((e) => e.id === rec.serviceEventDetails.id));

      const again = await h.server.notifier.runOnce();
      assert.equal(again.emitted.length, 0, 'at most once a day');
      const rows = h.db.prepare('SELECT count(*) AS n FROM notification_state').get() as { n: number };
      assert.equal(rows.n, 2);
      const metrics = (await h.server.app.inject({ method: 'GET', url: '/metrics' })).body;
      assert.match(metrics, /mooring_expiry_notifications_total\{event="CA_CERTIFICATE_EXPIRY"\} 1/);
      assert.match(metrics, /mooring_webhook_deliveries_total\{result="ok"\} 2/);
    } finally {
      await h.stop();
      await rx.close();
    }
  });

  test('fail/a hanging webhook does not delay CreateSession', async () => {
    const rx = await receiver(() => 'hang');
    const h = new OptionsHarness({ webhookUrls: [rx.url], webhookSecretFile: secretFile }, { webhookRetry: { timeoutMs: 30_000, maxAttempts: 1 } });
    await h.start();
    try {
      const s = await walkthroughSetup(h);
      const first = await h.send(await sessionRequest({ identity: s.leaf('myContainer'), trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn }));
      assert.equal(first.status, 201);
      const run = await h.server.notifier.runOnce();
      assert.equal(run.emitted.length, 1);
      let settled = false;
      void run.delivered.then(() => (settled = true));
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(rx.attempts(), 1, 'the receiver got the request and hangs');

      const started = Date.now();
      const next = await h.send(await sessionRequest({ identity: s.leaf('myContainer'), trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn }));
      assert.equal(next.status, 201);
      assert.ok(Date.now() - started < 1000, 'CreateSession answered while the webhook hangs');
      assert.equal(settled, false, 'delivery is still pending');
    } finally {
      const closing = Date.now();
      await h.stop(); // aborts the pending delivery
      assert.ok(Date.now() - closing < 5000, 'shutdown does not wait out the webhook timeout');
      await rx.close();
    }
  });

  test('fail/--webhook-url without a secret file is refused', async () => {
    const { toServerOptions } = await import('../../src/app/server-options.js');
    assert.throws(() => toServerOptions({ dataDir: '/tmp/x', webhookUrls: ['https://example.test/h'] }), /--webhook-secret-file/);
    assert.throws(() => toServerOptions({ dataDir: '/tmp/x', webhookUrls: ['ftp://example.test/h'], webhookSecretFile: secretFile }), /http/);
    assert.throws(() => toServerOptions({ dataDir: '/tmp/x', notificationInterval: '1s' }), /between/);
    assert.equal(toServerOptions({ dataDir: '/tmp/x', notificationInterval: '15m' }).notificationIntervalMs, 900_000);
  });
});
