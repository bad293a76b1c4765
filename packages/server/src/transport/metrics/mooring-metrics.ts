import type { Clock } from '../../core/ports/clock.js';
import { daysToExpiry } from '../../core/notifications/expiry-facts.js';
import { Counter, Gauge, Histogram, MetricsRegistry } from './registry.js';

/** Current state the scrape-time gauges mirror; wired by the composition root. */
export interface MetricsSources {
  caCertificates(): Promise<Array<{ trustAnchorArn: string; serialHex: string; notAfter: Date }>>;
  crls(): Promise<Array<{ crlId: string; enabled: boolean; thisUpdate: Date; nextUpdate?: Date | undefined }>>;
  auditQueueDepth(): number;
}

/** Latency buckets in seconds: CreateSession is a few ms of crypto plus one durable commit. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Mooring's metrics (issue [revocation-audit] item 6), mirroring the CloudWatch metrics of
 * service-spec §9 (Success by TrustAnchorArn, Failure by ErrorType, DaysToExpiry per CA).
 * Label values are bounded and secret-free: `error_type` is the core's typed reason code,
 * `trust_anchor_arn` is set only on success (on failure it would be attacker-chosen text).
 */
export class MooringMetrics {
  readonly registry = new MetricsRegistry();
  readonly createSessionTotal = this.registry.register(
    new Counter('mooring_create_session_total', 'CreateSession calls by outcome, typed failure reason and (on success) trust anchor.', [
      'outcome',
      'error_type',
      'trust_anchor_arn',
    ]),
  );
  readonly createSessionDuration = this.registry.register(
    new Histogram('mooring_create_session_duration_seconds', 'CreateSession latency, including the durable audit commit.', ['outcome'], LATENCY_BUCKETS),
  );
  readonly apiCallsTotal = this.registry.register(
    new Counter('mooring_api_calls_total', 'Control-plane, IAM and STS calls by service, operation and error code ("" on success).', [
      'event_source',
      'event_name',
      'error_code',
    ]),
  );
  readonly caDaysToExpiry = this.registry.register(
    new Gauge('mooring_ca_days_to_expiry', 'Whole days until each trust anchor CA certificate expires (negative once expired).', ['trust_anchor_arn', 'serial']),
  );
  readonly crlAgeSeconds = this.registry.register(new Gauge('mooring_crl_age_seconds', 'Seconds since the thisUpdate of each CRL.', ['crl_id']));
  readonly crlStale = this.registry.register(new Gauge('mooring_crl_stale', '1 when the CRL is past its nextUpdate, else 0.', ['crl_id', 'enabled']));
  readonly auditQueueDepth = this.registry.register(new Gauge('mooring_audit_queue_depth', 'Audit records waiting for their group commit.'));
  readonly notificationsTotal = this.registry.register(
    new Counter('mooring_expiry_notifications_total', 'Certificate expiry notifications emitted, by event.', ['event']),
  );
  readonly brokerCallDuration = this.registry.register(
    new Histogram('mooring_broker_call_duration_seconds', 'Broker mode: AWS STS/IAM call latency, including SDK retries.', ['service', 'operation', 'outcome'], LATENCY_BUCKETS),
  );
  readonly brokerCallErrors = this.registry.register(
    new Counter('mooring_broker_call_errors_total', 'Broker mode: failed AWS STS/IAM calls by error code.', ['service', 'operation', 'code']),
  );
  readonly webhookDeliveriesTotal = this.registry.register(
    new Counter('mooring_webhook_deliveries_total', 'Webhook deliveries by result (ok, failed).', ['result']),
  );

  constructor(clock: Clock, sources?: MetricsSources) {
    if (!sources) return;
    this.registry.onCollect(() => this.auditQueueDepth.set({}, sources.auditQueueDepth()));
    this.registry.onCollect(async () => {
      const now = clock.now();
      const certs = await sources.caCertificates();
      this.caDaysToExpiry.reset();
      for (const c of certs) this.caDaysToExpiry.set({ trust_anchor_arn: c.trustAnchorArn, serial: c.serialHex }, daysToExpiry(c.notAfter, now));
    });
    this.registry.onCollect(async () => {
      const now = clock.now().getTime();
      const crls = await sources.crls();
      this.crlAgeSeconds.reset();
      this.crlStale.reset();
      for (const c of crls) {
        this.crlAgeSeconds.set({ crl_id: c.crlId }, Math.max(0, Math.round((now - c.thisUpdate.getTime()) / 1000)));
        this.crlStale.set({ crl_id: c.crlId, enabled: String(c.enabled) }, c.nextUpdate !== undefined && c.nextUpdate.getTime() < now ? 1 : 0);
      }
    });
  }

  observeCreateSession(o: { ok: true; trustAnchorArn: string; seconds: number } | { ok: false; errorType: string; seconds: number }): void {
    const outcome = o.ok ? 'success' : 'failure';
    this.createSessionTotal.inc({ outcome, error_type: o.ok ? '' : o.errorType, trust_anchor_arn: o.ok ? o.trustAnchorArn : '' });
    this.createSessionDuration.observe({ outcome }, o.seconds);
  }
}
