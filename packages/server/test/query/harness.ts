// A Query-protocol server for tests: the framework-neutral handler behind a bare node:http
// server, so real AWS clients (CLI, boto3) can talk to it.
import { unmapIpv4 } from '../../src/transport/raw-request.js';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Authenticator } from '../../src/core/auth/authenticate.js';
import { ensureBootstrapAdmin } from '../../src/core/iam/bootstrap-admin.js';
import type { Clock } from '../../src/core/ports/clock.js';
import { SessionTokenCodec } from '../../src/core/sts/session-token.js';
import { generateTokenKey } from '../../src/core/sts/token-keys.js';
import { handleQueryRequest, type QueryHandlerDeps, type QueryRequest } from '../../src/transport/query/handle-query.js';
import { config, fixedClock, newIamServices, seededRandom } from '../iam/fixtures.js';

export async function queryFixture(opts: { clock?: Clock } = {}) {
  const clock = opts.clock ?? fixedClock();
  const random = seededRandom('query');
  const { service: roles, policyService: policies, authorizer, accessKeys } = newIamServices({ clock, random });
  const key = generateTokenKey(random);
  const codec = new SessionTokenCodec({ keys: [key], currentKid: key.kid, random });
  const admin = await ensureBootstrapAdmin(accessKeys, random, config, 'mooring-admin', clock);
  const internalErrors: unknown[] = [];
  const deps: QueryHandlerDeps = {
    roles,
    policies,
    authorizer,
    authenticator: new Authenticator({ accessKeys, codec, clock, config }),
    config,
    random,
    onInternalError: (e) => internalErrors.push(e),
  };
  return { deps, roles, policies, authorizer, codec, random, admin, clock, internalErrors };
}

function toRawRequest(req: IncomingMessage, body: Buffer): QueryRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const headers: Record<string, string | string[]> = {};
  // headersDistinct keeps repeated headers (node drops duplicate Authorization from req.headers).
  for (const [k, v] of Object.entries(req.headersDistinct)) {
    if (v) headers[k] = v.length === 1 ? (v[0] as string) : v;
  }
  return {
    method: req.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers,
    body,
    sourceIp: unmapIpv4(req.socket.remoteAddress ?? ''), // as the server's sourceIpOf gives it
  };
}

export async function startQueryServer(deps: QueryHandlerDeps): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handleQueryRequest(toRawRequest(req, Buffer.concat(chunks)), deps).then(
        (r) => {
          res.writeHead(r.status, r.headers);
          res.end(r.body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type CliCreds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/**
 * The environment of one AWS CLI / boto3 run: these credentials and the test region only, no
 * config or credentials file and no instance metadata, so nothing on the machine leaks in.
 */
export function awsCliEnv(creds: CliCreds): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  return {
    ...clean,
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    ...(creds.sessionToken ? { AWS_SESSION_TOKEN: creds.sessionToken } : {}),
    AWS_DEFAULT_REGION: config.region,
    AWS_REGION: config.region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
  };
}
