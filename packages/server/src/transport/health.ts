import type { FastifyInstance } from 'fastify';
import type { MooringMetrics } from './metrics/mooring-metrics.js';
import { PROMETHEUS_CONTENT_TYPE } from './metrics/registry.js';

/** Whether the server can serve requests; `reason` goes to the log, never to the wire. */
export type ReadinessCheck = () => Promise<{ ok: true } | { ok: false; reason: string }>;

export interface OpsRoutesOptions {
  readiness: ReadinessCheck;
  /** Serve /metrics on this app (unauthenticated: see docs/observability.md). */
  metrics?: MooringMetrics | undefined;
  /** A readiness check that has not answered by then counts as not ready (default 2000 ms). */
  timeoutMs?: number;
}

/** Below the usual probe timeouts (Kubernetes' default is 1 s, load balancers 2–5 s) plus slack. */
export const DEFAULT_READINESS_TIMEOUT_MS = 2000;

/**
 * `check()`, or not-ready once `timeoutMs` passed. A database that accepts connections but does
 * not answer (network partition, stalled server) would otherwise hold the probe open until the
 * prober gives up, and an unanswered probe tells the load balancer less than a 503 does
 * (docs/scaling.md, "Failure drills").
 */
export async function boundedReadiness(check: ReadinessCheck, timeoutMs: number): ReturnType<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: false; reason: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `readiness check did not answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(check)
        .catch((err: unknown) => ({ ok: false as const, reason: err instanceof Error ? err.message : String(err) })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz` (the process answers), `/readyz` (the database answers a trivial query within
 * `timeoutMs`; 503 otherwise) and optionally `/metrics` (Prometheus text format 0.0.4). None is
 * authenticated: probes and scrapers carry no AWS credentials. They reveal no secret: readiness says only
 * ready/not ready, and metric labels are resource ids and reason codes.
 */
export function registerOpsRoutes(app: FastifyInstance, o: OpsRoutesOptions): void {
  app.get('/healthz', async (_req, reply) => reply.code(200).header('content-type', 'application/json').send('{"status":"ok"}'));
  app.get('/readyz', async (req, reply) => {
    const r = await boundedReadiness(o.readiness, o.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS);
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
