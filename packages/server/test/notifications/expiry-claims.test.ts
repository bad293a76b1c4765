// ExpiryNotifier's claim policy (issue [scale]): claim before emitting, give the claim back when
// nothing was emitted or nobody received it, keep it otherwise.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCertificateAuthority } from '@mooring/pki';
import type { AuditEvent } from '../../src/core/audit/audit-event.js';
import { caNotificationKey, notificationDayStart } from '../../src/core/notifications/evaluate-expiry.js';
import { ExpiryNotifier, type DeliveryOutcome } from '../../src/core/notifications/expiry-notifier.js';
import { MemoryNotificationStateStore } from '../../src/core/notifications/notification-state-store.js';
import { undeliveredAndRetryable, type DeliveryResult } from '../../src/core/notifications/webhook-delivery.js';
import { systemRandom } from '../../src/core/ports/random.js';
import { DAY } from '../support/in-process.js';
import { trustAnchor } from '../store-contract/fixtures.js';

const now = new Date();
const ca = createCertificateAuthority({ subject: [['CN', 'Soon CA']], key: 'p256', notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 10 * DAY + 3600_000) });
const anchor = trustAnchor({ source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } } });
const key = caNotificationKey(anchor.trustAnchorId);

function notifier(o: { state: MemoryNotificationStateStore; audit?: (e: AuditEvent) => Promise<void>; deliver?: () => Promise<DeliveryOutcome> }) {
  const audited: AuditEvent[] = [];
  const n = new ExpiryNotifier({
    sources: { trustAnchors: async () => [anchor], subjects: async () => [] },
    state: o.state,
    audit: { record: o.audit ?? (async (e) => void audited.push(e)) },
    clock: { now: () => now },
    random: systemRandom,
    config: { partition: 'aws', region: 'us-east-1', accountId: '111122223333' },
    ...(o.deliver ? { deliver: o.deliver } : {}),
  });
  return { n, audited };
}

describe('ExpiryNotifier claims', () => {
  test('ok/a notification claimed by another replica today is not emitted here', async () => {
    const state = new MemoryNotificationStateStore();
    // The other replica claimed it after this one read the history (lastSent) but before it claimed.
    const lastSent = state.lastSent.bind(state);
    state.lastSent = async (keys) => {
      const r = await lastSent(keys);
      await state.claim(key, now, notificationDayStart(now));
      return r;
    };
    const { n, audited } = notifier({ state });
    const run = await n.runOnce();
    assert.equal(run.emitted.length, 0);
    assert.equal(audited.length, 0);
  });

  test('fail/an audit write that fails gives the claim back; the next scan emits', async () => {
    const state = new MemoryNotificationStateStore();
    let fail = true;
    const audited: AuditEvent[] = [];
    const { n } = notifier({
      state,
      audit: async (e) => {
        if (fail) throw new Error('audit store down');
        audited.push(e);
      },
    });
    await assert.rejects(n.runOnce(), /audit store down/);
    assert.equal(state.sent.has(key), false, 'released');
    fail = false;
    const run = await n.runOnce();
    assert.deepEqual(run.emitted.map((e) => e.resources), [[anchor.trustAnchorArn]]);
    assert.equal(audited.length, 1);
  });

  test('ok/a delivery someone received keeps the claim; one nobody received gives it back', async () => {
    for (const [outcome, kept] of [['settled', true], ['retry-later', false]] as const) {
      const state = new MemoryNotificationStateStore();
      const { n } = notifier({ state, deliver: async () => outcome });
      const run = await n.runOnce();
      await run.delivered;
      assert.equal(run.emitted.length, 1);
      assert.equal(state.sent.has(key), kept, outcome);
      assert.equal((await n.runOnce()).emitted.length, kept ? 0 : 1, `${outcome}: the next scan`);
    }
  });

  test('ok/undeliveredAndRetryable: only when every receiver failed transiently', () => {
    const r = (ok: boolean, last: string): DeliveryResult => ({ target: 'http://x', ok, attempts: 1, last });
    const table: Array<[DeliveryResult[], boolean]> = [
      [[r(false, '503')], true],
      [[r(false, 'timeout'), r(false, 'network'), r(false, 'aborted')], true],
      [[r(false, '429'), r(false, '408')], true],
      [[r(false, '503'), r(true, '200')], false],
      [[r(false, '403')], false],
      [[r(false, '503'), r(false, '410')], false],
      [[], false],
    ];
    for (const [results, want] of table) assert.equal(undeliveredAndRetryable(results), want, JSON.stringify(results.map((x) => x.last)));
  });
});
