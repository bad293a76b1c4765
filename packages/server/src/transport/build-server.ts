import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Principal } from '../core/auth/principal.js';
import type { Authenticator } from '../core/auth/authenticate.js';
import type { Authorizer } from '../core/auth/authorizer.js';
import { authErrorToWire } from '../core/auth/auth-errors.js';
import type { ManagedPolicyService } from '../core/iam/managed-policy-service.js';
import type { RoleService } from '../core/iam/role-service.js';
import type { Random } from '../core/ports/random.js';
import type { ServiceConfig } from '../core/ports/service-config.js';
import type { CreateSessionService } from '../core/session/create-session-service.js';
import { ServiceError } from '../core/errors/service-error.js';
import { queryCallFacts, restCallFacts, type ApiCallAuditor, type RestCallResult } from './audit-api-call.js';
import { authorizeOperation } from './authorize-operation.js';
import { registerOpsRoutes, type ReadinessCheck } from './health.js';
import type { MooringMetrics } from './metrics/mooring-metrics.js';
import { handleQueryRequest } from './query/handle-query.js';
import { OPERATIONS, jsonBody, operationInput, sendJson, type ControlPlaneServices, type Operation } from './control-plane-routes.js';
import { sendJsonError, toWireError } from './error-mapper.js';
import { rawRequest, sourceIpOf, userAgentOf } from './raw-request.js';

export interface ServerDeps extends ControlPlaneServices {
  config: ServiceConfig;
  sessions: CreateSessionService;
  authenticator: Authenticator;
  roles: RoleService;
  policies: ManagedPolicyService;
  authorizer: Authorizer;
  random: Random;
  /** Writes the audit record of every control-plane and IAM/STS call before it is answered. */
  apiAudit: ApiCallAuditor;
  /** Counters and scrape-time gauges; /metrics itself is served only when `exposeMetrics`. */
  metrics: MooringMetrics;
  readiness: ReadinessCheck;
  /** Broker mode: Mooring's own STS is off and STS calls get this explanation. */
  stsDisabledMessage?: string;
}

export interface BuildOptions {
  /** Largest accepted body; the biggest legal one is an ImportCrl of 300,000 bytes, base64 in JSON. */
  bodyLimit?: number;
  logger?: FastifyServerOptions['logger'];
  https?: { key: string | Buffer; cert: string | Buffer } | null;
  /** Serve unauthenticated /metrics on this listener (`--metrics-listen main`). Default false. */
  exposeMetrics?: boolean;
}

/** Route config of control-plane routes: lets the error handler audit failures raised before the handler ran (e.g. 413). */
interface AuditedRouteConfig {
  operation?: Operation;
}

/**
 * The HTTP transport: builds the app without listening (style-anchors §8.10). Three
 * authentication domains share one listener: X.509-signed CreateSession, SigV4 (HMAC)
 * rest-json control plane, and SigV4 Query-protocol IAM/STS on `POST /`.
 */
export function buildServer(deps: ServerDeps, opts: BuildOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    genReqId: () => deps.random.uuid(),
    ...(opts.https ? { https: opts.https } : {}),
  } as FastifyServerOptions);

  // Keep every body as raw bytes: signatures are over the bytes received (SigV4).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // Callback form, not async: one promise less on every response (issue [scale] hot path).
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-amzn-RequestId', req.id);
    done(null, payload);
  });

  // Control-plane requests whose audit record is written (so a failure is never recorded twice).
  const audited = new WeakSet<FastifyRequest>();
  const auditRest = async (
    req: FastifyRequest,
    op: Operation,
    principal: Principal | undefined,
    input: Record<string, unknown> | undefined,
    out: RestCallResult,
  ): Promise<void> => {
    audited.add(req);
    await deps.apiAudit.record(restCallFacts(op, { req, raw: rawRequest(req).raw, userAgent: userAgentOf(req) }, principal, input, out));
  };

  app.setErrorHandler(async (err, req, reply) => {
    const w = toWireError(err);
    if (w.status >= 500) req.log.error({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'unhandled error');
    const op = (req.routeOptions.config as AuditedRouteConfig | undefined)?.operation;
    if (op && !audited.has(req)) {
      try {
        await auditRest(req, op, undefined, undefined, { error: err });
      } catch (auditErr) {
        req.log.error({ err: { message: (auditErr as Error).message } }, 'audit write failed');
        return sendJsonError(reply, toWireError(auditErr));
      }
    }
    return sendJsonError(reply, w);
  });
  app.setNotFoundHandler((req, reply) =>
    sendJsonError(reply, { status: 404, code: 'UnknownOperationException', message: `No operation matches ${req.method} ${req.url.split('?')[0]}` }),
  );

  registerOpsRoutes(app, { readiness: deps.readiness, metrics: opts.exposeMetrics ? deps.metrics : undefined });

  // CreateSession audits itself (core/session); the transport only observes it for metrics.
  app.post('/sessions', async (req, reply) => {
    const { raw, body } = rawRequest(req);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let res;
    try {
      res = await deps.sessions.createSession({ request: raw, body, sourceIp: sourceIpOf(req), userAgent: userAgentOf(req), requestId: req.id });
    } catch (err) {
      deps.metrics.observeCreateSession({ ok: false, errorType: err instanceof ServiceError ? (err.reason ?? err.code) : 'internal-error', seconds: seconds() });
      throw err;
    }
    deps.metrics.observeCreateSession({ ok: true, trustAnchorArn: res.trustAnchorArn, seconds: seconds() });
    return sendJson(reply, 201, res.response as unknown as Record<string, unknown>);
  });

  app.post('/', async (req, reply) => {
    const { raw } = rawRequest(req);
    const userAgent = userAgentOf(req);
    const res = await handleQueryRequest({ ...raw, sourceIp: sourceIpOf(req), requestId: req.id }, {
      roles: deps.roles,
      policies: deps.policies,
      authorizer: deps.authorizer,
      authenticator: deps.authenticator,
      config: deps.config,
      random: deps.random,
      onInternalError: (err) => req.log.error({ err: { message: (err as Error).message } }, 'unhandled error'),
      onCall: (call) => deps.apiAudit.record(queryCallFacts(call, { raw, sourceIp: sourceIpOf(req), userAgent })),
      ...(deps.stsDisabledMessage ? { stsDisabledMessage: deps.stsDisabledMessage } : {}),
    });
    reply.code(res.status).headers(res.headers);
    return reply.send(res.body);
  });

  for (const op of OPERATIONS) {
    app.route({
      method: op.method,
      url: op.url,
      config: { operation: op } satisfies AuditedRouteConfig,
      handler: async (req, reply) => {
        const { raw, body } = rawRequest(req);
        const auth = await deps.authenticator.authenticate(raw, { service: 'rolesanywhere' });
        if (!auth.ok) {
          const w = authErrorToWire(auth.reason, 'json');
          await auditRest(req, op, undefined, undefined, { wire: w });
          return sendJsonError(reply, w);
        }
        const principal = auth.principal;
        let input: Record<string, unknown> | undefined;
        let out: Record<string, unknown> | undefined;
        try {
          const contentType = req.headers['content-type'];
          const json = op.method === 'GET' || op.method === 'DELETE' ? {} : jsonBody(body, typeof contentType === 'string' ? contentType : undefined);
          input = operationInput(op, req.params as Record<string, string>, new URLSearchParams(raw.query), json);
          await authorizeOperation(deps, principal, op.name, input, sourceIpOf(req));
          out = await op.run(deps, { principal, input });
        } catch (err) {
          await auditRest(req, op, principal, input, { error: err });
          throw err;
        }
        await auditRest(req, op, principal, input, { response: out });
        return sendJson(reply, op.status, out);
      },
    });
  }
  return app;
}

