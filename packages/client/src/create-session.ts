import { X509Certificate } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  canonicalRequest,
  credentialScope,
  parseAuthorization,
  signX509Request,
  stringToSign,
  type RawHttpRequest,
  type X509Signer,
} from '@mooring/protocol';
import { serialToDecimal } from './key-sources/certificate.js';
import { CreateSessionError, errorFromResponse } from './session/create-session-error.js';
import { encodeGoQuery } from './session/go-query.js';
import { sendHttpRequest, type TlsOptions } from './session/http-send.js';
import { proxyForUrl } from './session/proxy.js';
import { parseSessionResponse, type SessionCredentials } from './session/session-response.js';
import { VERSION } from './version.js';

/** @public */
export interface CreateSessionOptions {
  /** Base URL; a path is kept as a prefix of `/sessions` (spec §1.1 `--endpoint`). */
  endpoint: string;
  /** Signing region (credential scope). */
  region: string;
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  /** `durationSeconds`; default 3600. The service accepts 900–43200. */
  durationSeconds?: number;
  /** Sent only when non-empty; the profile must allow it. */
  roleSessionName?: string;
  signer: X509Signer;
  certificateDer: Buffer;
  /** Intermediates, sent in this order in `X-Amz-X509-Chain`. */
  chainDer?: Buffer[];
  tls?: TlsOptions;
  userAgent?: string;
  now?: () => Date;
  /** Attempts for throttling, 5xx and network errors, each freshly signed; default 3 (the SDK's). */
  maxAttempts?: number;
  /** Receives diagnostic lines (canonical request, string to sign); never secrets. */
  debug?: (line: string) => void;
  /** Environment for proxy variables; default `process.env`. */
  env?: Record<string, string | undefined>;
}

export type { SessionCredentials };

const CONNECT_TIMEOUT_MS = 30_000;
const TOTAL_TIMEOUT_MS = 60_000;

/**
 * Calls Roles Anywhere CreateSession exactly as the official helper does (signing-helper-spec
 * §2.1): `POST <endpoint>/sessions?profileArn=…&roleArn=…&trustAnchorArn=…` (Go query encoding),
 * body `{"durationSeconds":N[,"roleSessionName":"…"]}`, signed with SigV4-X509 over every header
 * present. Resolves to the first credential set; rejects with {@link CreateSessionError}.
 * @public
 */
export async function createSession(opts: CreateSessionOptions): Promise<SessionCredentials> {
  let url: URL;
  try {
    url = new URL(opts.endpoint);
  } catch {
    throw new CreateSessionError({ code: 'InvalidEndpoint', message: `invalid endpoint URL: '${opts.endpoint}'`, fault: 'network' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CreateSessionError({ code: 'InvalidEndpoint', message: `unsupported endpoint scheme: ${url.protocol}`, fault: 'network' });
  }
  const durationSeconds = opts.durationSeconds ?? 3600;
  if (!Number.isSafeInteger(durationSeconds)) {
    throw new CreateSessionError({ code: 'ValidationException', message: 'durationSeconds must be an integer', fault: 'response' });
  }
  // Field order matters to nobody but byte-for-byte comparisons; keep the helper's.
  const body = Buffer.from(
    JSON.stringify(opts.roleSessionName ? { durationSeconds, roleSessionName: opts.roleSessionName } : { durationSeconds }),
  );
  const query = encodeGoQuery({ profileArn: opts.profileArn, roleArn: opts.roleArn, trustAnchorArn: opts.trustAnchorArn });
  const basePath = url.pathname.replace(/\/+$/, '');
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 3);
  const proxy = proxyForUrl(url, opts.env ?? process.env);
  let serialDecimal: string;
  try {
    serialDecimal = serialToDecimal(new X509Certificate(opts.certificateDer).serialNumber);
  } catch (err) {
    throw new CreateSessionError({ code: 'InvalidCertificate', message: 'could not parse certificate', fault: 'response', cause: err });
  }
  const request: PreparedRequest = { url, path: `${basePath}/sessions`, query, body, proxy, serialDecimal };

  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(opts, request);
    } catch (err) {
      if (!(err instanceof CreateSessionError) || !err.retryable || attempt >= maxAttempts) throw err;
      opts.debug?.(`attempt ${attempt} failed (${err.code}); retrying`);
      // Full-jitter exponential backoff, as the SDKs' standard retry mode.
      await sleep(Math.random() * Math.min(20_000, 200 * 2 ** attempt));
    }
  }
}

interface PreparedRequest {
  url: URL;
  /** The path actually requested (endpoint prefix + `/sessions`). */
  path: string;
  query: string;
  body: Buffer;
  proxy: URL | undefined;
  serialDecimal: string;
}

async function attemptOnce(opts: CreateSessionOptions, prepared: PreparedRequest): Promise<SessionCredentials> {
  const { url, path, query, body, proxy } = prepared;
  const unsigned: RawHttpRequest = {
    method: 'POST',
    // The helper's canonical URI is always `/sessions`, whatever the endpoint's path (spec §2.3).
    path: '/sessions',
    query,
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  };
  let signed: RawHttpRequest;
  try {
    signed = await signX509Request({
      request: unsigned,
      signer: opts.signer,
      certificateDer: opts.certificateDer,
      ...(opts.chainDer !== undefined && opts.chainDer.length > 0 ? { chainDer: opts.chainDer } : {}),
      serialDecimal: prepared.serialDecimal,
      region: opts.region,
      date: (opts.now ?? (() => new Date()))(),
    });
  } catch (err) {
    throw new CreateSessionError({ code: 'SigningError', message: `could not sign request: ${errorText(err)}`, fault: 'response', cause: err });
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // Added after signing: the helper does not sign User-Agent or Content-Length (spec §2.1).
  headers['user-agent'] = opts.userAgent ?? `mooring-helper/${VERSION}`;
  headers['content-length'] = String(body.length);
  if (opts.debug !== undefined) debugSignedRequest(signed, opts.debug, `${url.origin}${path}?${query}`);

  let response;
  try {
    response = await sendHttpRequest({
      url: new URL(`${url.origin}${path}?${query}`),
      method: 'POST',
      headers,
      body,
      ...(opts.tls !== undefined ? { tls: opts.tls } : {}),
      proxy,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      totalTimeoutMs: TOTAL_TIMEOUT_MS,
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code === 'ETIMEDOUT' ? 'TimeoutError' : 'NetworkError';
    throw new CreateSessionError({ code, message: `CreateSession request failed: ${errorText(err)}`, fault: 'network', cause: err });
  }
  const requestId = response.headers['x-amzn-requestid'];
  // Status and request id only: the body holds the secret key and session token.
  opts.debug?.(`response: HTTP ${response.statusCode}${requestId ? `, x-amzn-RequestId ${String(requestId)}` : ''}`);
  if (response.statusCode < 200 || response.statusCode > 299) {
    throw errorFromResponse(response.statusCode, response.headers, response.body);
  }
  return parseSessionResponse(response.body, response.statusCode);
}

/**
 * The canonical request the signature covers, rebuilt from the signed request (the helper's
 * missing "log canonical request" feature, PR #152). Only public data: headers carry the
 * certificate, never the key.
 */
function debugSignedRequest(signed: RawHttpRequest, debug: (line: string) => void, target: string): void {
  debug(`POST ${target}`);
  const auth = parseAuthorization(signed.headers.authorization);
  if (!auth.ok) return;
  const cr = canonicalRequest(signed, auth.value.signedHeaders, { canonicalUri: '/sessions' });
  if (!cr.ok) return;
  const amzDate = String(signed.headers['x-amz-date']);
  const c = auth.value.credential;
  debug(`canonical request:\n${cr.value}`);
  debug(`string to sign:\n${stringToSign(auth.value.algorithm, amzDate, credentialScope(c.date, c.region, c.service), cr.value)}`);
  debug(`authorization: ${String(signed.headers.authorization)}`);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
