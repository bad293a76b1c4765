import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { Socket } from 'node:net';

/** TLS settings for the CreateSession call. @public */
export interface TlsOptions {
  /** Extra trusted CA certificates (PEM), added to node's root store, like `AWS_CA_BUNDLE`. */
  ca?: string | Buffer;
  /** `false` only for `--no-verify-ssl`. */
  rejectUnauthorized?: boolean;
}

/** @internal */
export interface HttpSendRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer;
  tls?: TlsOptions;
  proxy?: URL | undefined;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
}

/** @internal */
export interface HttpSendResponse {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A response larger than this is not a CreateSession response; stop reading. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * One HTTP(S) exchange with the official helper's transport limits: TLS 1.2 minimum, a
 * 30 s connect timeout, and (our addition; the helper has none, spec §2.9) an overall deadline.
 * @internal
 */
export function sendHttpRequest(req: HttpSendRequest): Promise<HttpSendResponse> {
  return new Promise((resolve, reject) => {
    const isHttps = req.url.protocol === 'https:';
    const tlsOptions: tls.ConnectionOptions = {
      minVersion: 'TLSv1.2',
      rejectUnauthorized: req.tls?.rejectUnauthorized !== false,
      // Node's `ca` replaces the default store; an extra bundle must be added to it.
      ...(req.tls?.ca !== undefined ? { ca: [...tls.rootCertificates, req.tls.ca.toString()] } : {}),
      servername: isIpLiteral(req.url.hostname) ? undefined : req.url.hostname,
    } as tls.ConnectionOptions;
    const port = Number(req.url.port || (isHttps ? 443 : 80));
    let settled = false;
    const finish = (err: Error | undefined, res?: HttpSendResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      if (err !== undefined) reject(err);
      else resolve(res as HttpSendResponse);
    };
    const total = setTimeout(() => {
      const err = Object.assign(new Error(`request timed out after ${req.totalTimeoutMs} ms`), { code: 'ETIMEDOUT' });
      request?.destroy(err);
      finish(err);
    }, req.totalTimeoutMs);

    let request: http.ClientRequest | undefined;
    const start = (createConnection?: () => Socket): void => {
      const options: https.RequestOptions = {
        method: req.method,
        hostname: req.url.hostname.replace(/^\[|\]$/g, ''),
        port,
        path: req.url.pathname + req.url.search,
        headers: req.headers,
        ...(createConnection !== undefined ? { createConnection } : isHttps ? { ...tlsOptions, agent: false } : { agent: false }),
      };
      request = (isHttps && createConnection === undefined ? https.request : http.request)(options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) res.destroy(new Error('response too large'));
          else chunks.push(chunk);
        });
        res.on('error', (err) => finish(err));
        res.on('end', () => finish(undefined, { statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      request.on('error', (err) => finish(err));
      armConnectTimeout(request, req.connectTimeoutMs);
      request.end(req.body);
    };

    if (req.proxy === undefined) {
      start();
      return;
    }
    // HTTPS through a proxy: an HTTP CONNECT tunnel (RFC 9110 §9.3.6), then TLS inside it.
    const connect = http.request({
      method: 'CONNECT',
      hostname: req.proxy.hostname.replace(/^\[|\]$/g, ''),
      port: Number(req.proxy.port || 80),
      path: `${req.url.hostname}:${port}`,
      headers: { host: `${req.url.hostname}:${port}`, ...proxyAuthorization(req.proxy) },
      agent: false,
    });
    armConnectTimeout(connect, req.connectTimeoutMs);
    connect.on('error', (err) => finish(err));
    connect.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        finish(new Error(`proxy CONNECT failed with HTTP ${res.statusCode}`));
        return;
      }
      start(() => (isHttps ? tls.connect({ ...tlsOptions, socket }) : socket));
    });
    connect.end();
  });
}

function armConnectTimeout(request: http.ClientRequest, ms: number): void {
  request.on('socket', (socket: Socket) => {
    if (!socket.connecting) return;
    const timer = setTimeout(() => {
      request.destroy(Object.assign(new Error(`connect timed out after ${ms} ms`), { code: 'ETIMEDOUT' }));
    }, ms);
    socket.once('connect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
  });
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '') return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}

function isIpLiteral(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[');
}
