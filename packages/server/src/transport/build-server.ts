import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Authenticator } from '../core/auth/authenticate.js';
import type { Authorizer } from '../core/auth/authorizer.js';
import { authErrorToWire } from '../core/auth/auth-errors.js';
import type { ManagedPolicyService } from '../core/iam/managed-policy-service.js';
import type { RoleService } from '../core/iam/role-service.js';
import type { Random } from '../core/ports/random.js';
import type { ServiceConfig } from '../core/ports/service-config.js';
import type { CreateSessionService } from '../core/session/create-session-service.js';
import { authorizeOperation } from './authorize-operation.js';
import { handleQueryRequest } from './query/handle-query.js';
import { OPERATIONS, jsonBody, operationInput, sendJson, type ControlPlaneServices } from './control-plane-routes.js';
import { sendJsonError, toWireError } from './error-mapper.js';
import { rawRequest, userAgentOf } from './raw-request.js';

export interface ServerDeps extends ControlPlaneServices {
  config: ServiceConfig;
  sessions: CreateSessionService;
  authenticator: Authenticator;
  roles: RoleService;
  policies: ManagedPolicyService;
  authorizer: Authorizer;
  random: Random;
}

export interface BuildOptions {
  /** Largest accepted body; the biggest legal one is an ImportCrl of 300,000 bytes, base64 in JSON. */
  bodyLimit?: number;
  logger?: FastifyServerOptions['logger'];
  https?: { key: string | Buffer; cert: string | Buffer } | null;
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

  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-amzn-RequestId', req.id);
    return payload;
  });

  app.setErrorHandler((err, req, reply) => {
    const w = toWireError(err);
    if (w.status >= 500) req.log.error({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'unhandled error');
    return sendJsonError(reply, w);
  });
  app.setNotFoundHandler((req, reply) =>
    sendJsonError(reply, { status: 404, code: 'UnknownOperationException', message: `No operation matches ${req.method} ${req.url.split('?')[0]}` }),
  );

  app.post('/sessions', async (req, reply) => {
    const { raw, body } = rawRequest(req);
    const res = await deps.sessions.createSession({ request: raw, body, sourceIp: req.ip, userAgent: userAgentOf(req), requestId: req.id });
    return sendJson(reply, 201, res as unknown as Record<string, unknown>);
  });

  app.post('/', async (req, reply) => {
    const { raw } = rawRequest(req);
    const res = await handleQueryRequest({ ...raw, sourceIp: req.ip }, {
      roles: deps.roles,
      policies: deps.policies,
      authorizer: deps.authorizer,
      authenticator: deps.authenticator,
      config: deps.config,
      random: deps.random,
    });
    reply.code(res.status).headers(res.headers);
    return reply.send(res.body);
  });

  for (const op of OPERATIONS) {
    app.route({
      method: op.method,
      url: op.url,
      handler: async (req, reply) => {
        const { raw, body } = rawRequest(req);
        const auth = await deps.authenticator.authenticate(raw, { service: 'rolesanywhere' });
        if (!auth.ok) return sendJsonError(reply, authErrorToWire(auth.reason, 'json'));
        const principal = auth.principal;
        const contentType = req.headers['content-type'];
        const json = op.method === 'GET' || op.method === 'DELETE' ? {} : jsonBody(body, typeof contentType === 'string' ? contentType : undefined);
        const input = operationInput(op, req.params as Record<string, string>, new URLSearchParams(raw.query), json);
        await authorizeOperation(deps, principal, op.name, input, req.ip);
        const out = await op.run(deps, { principal, input });
        return sendJson(reply, op.status, out);
      },
    });
  }
  return app;
}
