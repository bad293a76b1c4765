import type { AuditSink } from '../audit/audit-event.js';
import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { Subject } from '../roles-anywhere/subject.js';
import type { TrustAnchor } from '../roles-anywhere/trust-anchor.js';
import { evaluateExpiryNotifications, notificationDayStart, type DueNotification, type ExpiryEvaluationInput } from './evaluate-expiry.js';
import { toEventBridgeEvent, type ExpiryEventBridgeEvent } from './expiry-event.js';
import { caCertificatesOf, DAY_MS, endEntityCertificatesFrom } from './expiry-facts.js';
import { expiryNotificationAuditEvent } from './notification-audit.js';
import type { NotificationStateStore } from './notification-state-store.js';

/** Current state to evaluate: every trust anchor and every subject (ListSubjects data). */
export interface ExpirySources {
  trustAnchors(): Promise<TrustAnchor[]>;
  subjects(): Promise<Subject[]>;
}

export interface ExpiryNotifierDeps {
  sources: ExpirySources;
  state: NotificationStateStore;
  audit: AuditSink;
  clock: Clock;
  random: Random;
  config: ServiceConfig;
  /**
   * Delivers one event (webhooks); must not throw. 'retry-later' when no receiver got it and
   * none refused it for good (see undeliveredAndRetryable). Absent: events are only audited.
   */
  deliver?: (event: ExpiryEventBridgeEvent) => Promise<DeliveryOutcome>;
  /** Called once per emitted event, after it is audited (metrics). */
  onEmitted?: (event: ExpiryEventBridgeEvent) => void;
}

/** 'retry-later' gives the day's claim back, so a later scan (on any replica) emits the event anew. */
export type DeliveryOutcome = 'settled' | 'retry-later';

export interface ExpiryRun {
  emitted: ExpiryEventBridgeEvent[];
  /** Settles when every delivery of this run finished (success, give-up or abort). */
  delivered: Promise<void>;
}

/**
 * One evaluation of service-spec §9 expiry notifications. For each due notification, in order:
 * 1. claim the key for today (NotificationStateStore.claim: one atomic conditional write), so of
 *    several replicas scanning the same database exactly one emits it (issue [scale]); a lost
 *    claim means another replica, or an earlier scan, has it: skip;
 * 2. write the event to the audit trail (durable); if that fails nothing was emitted, so the
 *    claim is released and the run fails: a later scan on any replica retries;
 * 3. hand it to delivery, which runs in the background with its own bounded retries. If no
 *    receiver got it and none refused it for good (all timed out, were unreachable, answered
 *    408/429/5xx, or shutdown aborted the delivery), the claim is released too, and a later scan
 *    on any replica emits a new event (new id, new audit record). If any receiver has it or
 *    refused it for good, the claim stands: resending would duplicate it there or be refused.
 * A replica that dies between claim and audit leaves the key claimed: that notification is
 * skipped until the next UTC day (at most once a day wins over at least once). A failed
 * release has the same effect. Nothing here runs on a request path.
 */
export class ExpiryNotifier {
  constructor(private readonly deps: ExpiryNotifierDeps) {}

  async runOnce(): Promise<ExpiryRun> {
    const now = this.deps.clock.now();
    const anchors = await this.deps.sources.trustAnchors();
    const subjects = await this.deps.sources.subjects();
    const base: ExpiryEvaluationInput = {
      trustAnchors: anchors.map((ta) => ({
        trustAnchorId: ta.trustAnchorId,
        trustAnchorArn: ta.trustAnchorArn,
        notificationSettings: ta.notificationSettings,
        caCertificates: caCertificatesOf(ta),
      })),
      endEntityCertificates: endEntityCertificatesFrom(subjects, anchors, now),
      now,
      lastSent: new Map(),
    };
    // Evaluate once without history to learn which keys matter, then with their history. The
    // history only saves claims that would fail anyway; the claim below is what decides.
    const candidates = evaluateExpiryNotifications(base);
    const lastSent = await this.deps.state.lastSent(candidates.map((d) => d.key));
    const due: DueNotification[] = evaluateExpiryNotifications({ ...base, lastSent });

    const emitted: ExpiryEventBridgeEvent[] = [];
    const deliveries: Array<Promise<void>> = [];
    const since = notificationDayStart(now);
    for (const d of due) {
      if (!(await this.deps.state.claim(d.key, now, since))) continue;
      const event = toEventBridgeEvent(d, this.deps.config, this.deps.random, now);
      try {
        await this.deps.audit.record(expiryNotificationAuditEvent(this.deps.config, this.deps.random, event));
      } catch (err) {
        await this.deps.state.release(d.key, now).catch(() => false);
        throw err;
      }
      emitted.push(event);
      this.deps.onEmitted?.(event);
      if (this.deps.deliver) deliveries.push(this.deliverOrRelease(this.deps.deliver, d.key, now, event));
    }
    // Two days of history is all "once a day" needs.
    await this.deps.state.pruneBefore(new Date(now.getTime() - 2 * DAY_MS));
    return { emitted, delivered: Promise.all(deliveries).then(() => undefined) };
  }

  private async deliverOrRelease(deliver: NonNullable<ExpiryNotifierDeps['deliver']>, key: string, claimedAt: Date, event: ExpiryEventBridgeEvent): Promise<void> {
    try {
      if ((await deliver(event)) === 'retry-later') await this.deps.state.release(key, claimedAt);
    } catch {
      // deliver does not throw; a failed release leaves the key sent for today (see above).
    }
  }
}
