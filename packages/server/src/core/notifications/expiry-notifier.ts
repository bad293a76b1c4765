import type { AuditSink } from '../audit/audit-event.js';
import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { Subject } from '../roles-anywhere/subject.js';
import type { TrustAnchor } from '../roles-anywhere/trust-anchor.js';
import { evaluateExpiryNotifications, type DueNotification, type ExpiryEvaluationInput } from './evaluate-expiry.js';
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
  /** Delivers one event (webhooks); must not throw. Absent: events are only audited. */
  deliver?: (event: ExpiryEventBridgeEvent) => Promise<void>;
  /** Called once per emitted event, after it is audited (metrics). */
  onEmitted?: (event: ExpiryEventBridgeEvent) => void;
}

export interface ExpiryRun {
  emitted: ExpiryEventBridgeEvent[];
  /** Settles when every delivery of this run finished (success, give-up or abort). */
  delivered: Promise<void>;
}

/**
 * One evaluation of service-spec §9 expiry notifications. For each due notification, in order:
 * the event is written to the audit trail (durable), then marked sent for today, then handed to
 * delivery, which runs in the background with its own bounded retries: delivery is best-effort,
 * like EventBridge's, and a receiver that is down does not cause a second event the same day.
 * Nothing here runs on a request path.
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
    // Evaluate once without history to learn which keys matter, then with their history.
    const candidates = evaluateExpiryNotifications(base);
    const lastSent = await this.deps.state.lastSent(candidates.map((d) => d.key));
    const due: DueNotification[] = evaluateExpiryNotifications({ ...base, lastSent });

    const emitted: ExpiryEventBridgeEvent[] = [];
    const deliveries: Array<Promise<void>> = [];
    for (const d of due) {
      const event = toEventBridgeEvent(d, this.deps.config, this.deps.random, now);
      await this.deps.audit.record(expiryNotificationAuditEvent(this.deps.config, this.deps.random, event));
      await this.deps.state.markSent(d.key, now);
      emitted.push(event);
      this.deps.onEmitted?.(event);
      if (this.deps.deliver) deliveries.push(this.deps.deliver(event).catch(() => undefined));
    }
    // Two days of history is all "once a day" needs.
    await this.deps.state.pruneBefore(new Date(now.getTime() - 2 * DAY_MS));
    return { emitted, delivered: Promise.all(deliveries).then(() => undefined) };
  }
}
