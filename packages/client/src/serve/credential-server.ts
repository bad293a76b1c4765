import { timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HeldCredentials } from '../run-modes/refreshing-credentials.js';
import { MAX_TOKEN_TTL_SECONDS, MIN_TOKEN_TTL_SECONDS, TokenStore } from './token-store.js';

/** @internal */
export interface CredentialServerOptions {
  /** Current credentials; rejects when none are valid (then the server answers 500). */
  credentials: () => Promise<HeldCredentials>;
  /** The IMDS role name: the last segment of the role ARN (signing-helper-spec §4). */
  roleName: string;
  roleArn: string;
  /** Default 127.0.0.1; `::1` and other addresses are allowed (official helper issue #76). */
  listenAddress?: string;
  /** Default 9911; 0 picks a free port. */
  port?: number;
  /** The `Authorization` value the container endpoint requires. */
  containerToken: string;
  now?: () => number;
  /** Diagnostics (no tokens, no credentials). */
  log?: (line: string) => void;
}

/** @internal */
export interface CredentialServer {
  port: number;
  address: string;
  /** Base URL for `AWS_EC2_METADATA_SERVICE_ENDPOINT`, with a trailing slash. */
  imdsEndpoint: string;
  /** URL for `AWS_CONTAINER_CREDENTIALS_FULL_URI`. */
  containerUri: string;
  close(): Promise<void>;
}

/** IMDS paths and headers (EC2 User Guide, "Instance metadata categories", "Use IMDSv2"). */
const TOKEN_PATH = '/latest/api/token';
const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials';
const TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
/** The container-credentials route (ECS format, for `AWS_CONTAINER_CREDENTIALS_FULL_URI`). */
export const CONTAINER_PATH = '/v1/container-credentials';

/**
 * The `serve` endpoint: an IMDSv2 subset compatible with the official helper's (spec §4) plus
 * an ECS/container-credentials route (issue #40). Answers with an error status whenever no valid
 * credentials exist, never with empty credentials and 200 (the ≤1.8.0 bug fixed by PR #200).
 * @internal
 */
export async function startCredentialServer(options: CredentialServerOptions): Promise<CredentialServer> {
  const tokens = new TokenStore(options.now ?? Date.now);
  const server = http.createServer((req, res) => {
    handle(req, res, options, tokens).catch((err: unknown) => {
      options.log?.(`request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });
  // Requests are tiny; keep slow clients from holding sockets (IMDS clients time out in 1 s).
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  const address = options.listenAddress ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9911, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    port,
    address,
    imdsEndpoint: `http://${host}:${port}/`,
    containerUri: `http://${host}:${port}${CONTAINER_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: CredentialServerOptions,
  tokens: TokenStore,
): Promise<void> {
  // A request relayed by a proxy did not come from this host: refuse it, as IMDSv2 does
  // (EC2 User Guide: IMDSv2 "will not issue a token to a request with X-Forwarded-For").
  if (req.headers['x-forwarded-for'] !== undefined) {
    send(res, 400, 'unable to process requests with X-Forwarded-For header');
    return;
  }
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === TOKEN_PATH || path === `${TOKEN_PATH}/`) {
    if (req.method !== 'PUT') return send(res, 405, '');
    const raw = req.headers[TTL_HEADER];
    const ttlText = Array.isArray(raw) ? raw[0] : raw;
    // The official helper defaults a missing TTL to the maximum; the range is EC2's.
    const ttl = ttlText === undefined ? MAX_TOKEN_TTL_SECONDS : /^\d+$/.test(ttlText) ? Number(ttlText) : NaN;
    if (!Number.isInteger(ttl) || ttl < MIN_TOKEN_TTL_SECONDS || ttl > MAX_TOKEN_TTL_SECONDS) {
      return send(res, 400, 'invalid token TTL');
    }
    return send(res, 200, tokens.issue(ttl), { [TTL_HEADER]: String(ttl) });
  }
  if (path === CREDENTIALS_PATH || path.startsWith(`${CREDENTIALS_PATH}/`)) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '');
    const rawToken = req.headers[TOKEN_HEADER];
    const check = tokens.check(Array.isArray(rawToken) ? rawToken[0] : rawToken);
    if (!check.ok) return send(res, 401, check.reason === 'missing' ? 'no token provided' : 'invalid token provided');
    const ttlHeader = { [TTL_HEADER]: String(check.remainingSeconds) };
    const rest = path.slice(CREDENTIALS_PATH.length).replace(/^\/|\/$/g, '');
    if (rest === '') return send(res, 200, options.roleName, ttlHeader);
    // Unlike the official helper (a Go subtree pattern), an unknown role name is 404, as on EC2.
    if (rest !== options.roleName) return send(res, 404, 'Not Found', ttlHeader);
    const held = await currentOrError(options, res);
    if (held === undefined) return;
    return send(res, 200, imdsCredentialsJson(held), ttlHeader);
  }
  if (path === CONTAINER_PATH) {
    if (req.method !== 'GET') return send(res, 405, '');
    if (!tokenMatches(req.headers.authorization, options.containerToken)) {
      return send(res, 401, JSON.stringify({ message: 'invalid or missing Authorization token' }), {}, 'application/json');
    }
    const held = await currentOrError(options, res, 'application/json');
    if (held === undefined) return;
    return send(res, 200, containerCredentialsJson(held, options.roleArn), {}, 'application/json');
  }
  send(res, 404, '404 page not found');
}

/** Serves credentials only while they are valid; otherwise a 500 that SDKs treat as failure. */
async function currentOrError(
  options: CredentialServerOptions,
  res: http.ServerResponse,
  contentType = 'text/plain',
): Promise<HeldCredentials | undefined> {
  try {
    return await options.credentials();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    options.log?.(`credentials unavailable: ${message}`);
    const body = contentType === 'application/json' ? JSON.stringify({ message: 'credentials unavailable' }) : 'credentials unavailable';
    send(res, 500, body, {}, contentType);
    return undefined;
  }
}

/**
 * The document EC2 returns for `security-credentials/<role>` (EC2 User Guide, "Retrieve
 * security credentials from instance metadata"), in its key order and layout. LastUpdated is
 * in whole seconds with `Z`, as on EC2 (the official helper prints local time with nanoseconds).
 * @internal
 */
export function imdsCredentialsJson(held: HeldCredentials): string {
  const c = held.credentials;
  const fields: Array<[string, string]> = [
    ['Code', 'Success'],
    ['LastUpdated', isoSeconds(held.lastUpdated)],
    ['Type', 'AWS-HMAC'],
    ['AccessKeyId', c.accessKeyId],
    ['SecretAccessKey', c.secretAccessKey],
    ['Token', c.sessionToken],
    ['Expiration', isoSeconds(held.expiresAt)],
  ];
  return `{\n${fields.map(([k, v]) => `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`).join(',\n')}\n}`;
}

/** The ECS task-role document (Amazon ECS Developer Guide, "Task IAM role"). @internal */
export function containerCredentialsJson(held: HeldCredentials, roleArn: string): string {
  const c = held.credentials;
  return JSON.stringify({
    RoleArn: roleArn,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    Token: c.sessionToken,
    Expiration: isoSeconds(held.expiresAt),
  });
}

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function send(
  res: http.ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
  contentType = 'text/plain',
): void {
  res.writeHead(status, {
    'content-type': `${contentType}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
    // Credentials must never be cached by anything in between.
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
