import type { FastifyInstance } from 'fastify';
import type { MooringMetrics } from './metrics/mooring-metrics.js';
import { PROMETHEUS_CONTENT_TYPE } from './metrics/registry.js';

/** Whether the server can serve requests; `reason` goes to the log, never to the wire. */
export type ReadinessCheck = () => Promise<{ ok: true } | { ok: false; reason: string }>;

export interface OpsRoutesOptions {
  readiness: ReadinessCheck;
  /** Serve /metrics on this app (unauthenticated: see docs/observability.md). */
  metrics?: MooringMetrics | undefined;
}

/**
 * `/healthz` (the process answers), `/readyz` (the database answers a trivial query; 503
 * otherwise) and optionally `/metrics` (Prometheus text format 0.0.4). None is authenticated:
 * probes and scrapers carry no AWS credentials. They reveal no secret: readiness says only
 * ready/not ready, and metric labels are resource ids and reason codes.
 */
export function registerOpsRoutes(app: FastifyInstance, o: OpsRoutesOptions): void {
  app.get('/healthz', async (_req, reply) => reply.code(200).header('content-type', 'application/json').send('{"status":"ok"}'));
  app.get('/readyz', async (req, reply) => {
    let r: Awaited<ReturnType<ReadinessCheck>>;
    try {
      r = await o.readiness();
    } catch (err) {
      r = { ok: false, reason: (err as Error).message };
    }
    if (!r.ok) req.log.warn({ reason: r.reason }, 'not ready');
    return reply
      .code(r.ok ? 200 : 503)
      .header('content-type', 'application/json')
      .send(JSON.stringify({ status: r.ok ? 'ready' : 'not ready' }));
  });
  const metrics = o.metrics;
  if (metrics) {
    app.get('/metrics', async (req, reply) => {
      const text = await metrics.registry.render((err) => req.log.warn({ err: { message: (err as Error).message } }, 'metrics source failed'));
      return reply.code(200).header('content-type', PROMETHEUS_CONTENT_TYPE).send(text);
    });
  }
}
