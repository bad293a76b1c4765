import { readFileSync } from 'node:fs';
import type { FastifyBaseLogger } from 'fastify';
import type { AuditSink } from '../core/audit/audit-event.js';
import { ExpiryNotifier } from '../core/notifications/expiry-notifier.js';
import type { NotificationStateStore } from '../core/notifications/notification-state-store.js';
import { deliverWebhook, undeliveredAndRetryable, type WebhookDeliveryOptions, type WebhookPoster } from '../core/notifications/webhook-delivery.js';
import type { Clock } from '../core/ports/clock.js';
import type { Random } from '../core/ports/random.js';
import type { ServiceConfig } from '../core/ports/service-config.js';
import type { Subject } from '../core/roles-anywhere/subject.js';
import type { TrustAnchor } from '../core/roles-anywhere/trust-anchor.js';
import type { MooringMetrics } from '../transport/metrics/mooring-metrics.js';
import { abortableSleep, httpWebhookPoster } from '../transport/webhooks/http-webhook-poster.js';
import type { ServerOptions } from './server-options.js';

/** The webhook HMAC key: the file's bytes without a trailing newline; at least 16 bytes. */
function readWebhookSecret(file: string): Buffer {
  const secret = Buffer.from(readFileSync(file, 'utf8').replace(/\r?\n$/, ''), 'utf8');
  if (secret.length < 16) throw new Error('--webhook-secret-file must hold at least 16 bytes');
  return secret;
}

export interface NotificationRuntime {
  notifier: ExpiryNotifier;
  /** Starts evaluating every `notificationIntervalMs` (the CLI calls it; tests drive runOnce). */
  start(): void;
  /** Stops the timer, aborts pending deliveries and waits for a running evaluation. */
  stop(): Promise<void>;
}

/**
 * Expiry notifications (service-spec §9), evaluated off the request path on a timer; each
 * webhook delivery has its own timeouts, so a hanging receiver never stalls CreateSession.
 * Every replica runs one; the per-key claim in ExpiryNotifier makes each notification go out
 * once per deployment, not once per replica (docs/scaling.md).
 */
export function createNotificationRuntime(input: {
  opts: ServerOptions;
  sources: { trustAnchors: () => Promise<TrustAnchor[]>; subjects: () => Promise<Subject[]> };
  state: NotificationStateStore;
  audit: AuditSink;
  metrics: MooringMetrics;
  clock: Clock;
  random: Random;
  config: ServiceConfig;
  log: () => FastifyBaseLogger;
  webhookPoster?: WebhookPoster;
  webhookRetry?: Pick<WebhookDeliveryOptions, 'maxAttempts' | 'initialBackoffMs' | 'maxBackoffMs' | 'timeoutMs'>;
}): NotificationRuntime {
  const { opts, metrics } = input;
  const shutdown = new AbortController();
  const secret = opts.webhookUrls.length > 0 ? readWebhookSecret(opts.webhookSecretFile ?? '') : undefined;
  const notifier = new ExpiryNotifier({
    sources: input.sources,
    state: input.state,
    audit: input.audit,
    clock: input.clock,
    random: input.random,
    config: input.config,
    onEmitted: (e) => metrics.notificationsTotal.inc({ event: e.resources ? 'CA_CERTIFICATE_EXPIRY' : 'END_ENTITY_CERTIFICATE_EXPIRY' }),
    ...(secret
      ? {
          deliver: async (event) => {
            const results = await deliverWebhook(JSON.stringify(event), event.id, {
              urls: opts.webhookUrls,
              secret,
              poster: input.webhookPoster ?? httpWebhookPoster,
              sleep: abortableSleep,
              signal: shutdown.signal,
              ...input.webhookRetry,
            });
            for (const r of results) {
              metrics.webhookDeliveriesTotal.inc({ result: r.ok ? 'ok' : 'failed' });
              if (!r.ok) input.log().warn({ target: r.target, attempts: r.attempts, last: r.last, eventId: event.id }, 'webhook delivery failed');
            }
            // Nobody has it: give the claim back so a later scan, here or on another replica, resends.
            return undeliveredAndRetryable(results) ? 'retry-later' : 'settled';
          },
        }
      : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const evaluate = () => {
    if (running) return; // the previous evaluation is still going: skip this tick
    running = notifier
      .runOnce()
      .then((r) => r.delivered)
      .catch((err: unknown) => input.log().error({ err: { message: (err as Error).message } }, 'expiry notification run failed'))
      .finally(() => (running = undefined));
  };
  return {
    notifier,
    start() {
      if (timer) return;
      setImmediate(evaluate);
      timer = setInterval(evaluate, opts.notificationIntervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      shutdown.abort();
      await running;
    },
  };
}
