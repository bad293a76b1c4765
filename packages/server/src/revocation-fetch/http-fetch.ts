import { request } from 'node:http';
import type { FetchResult } from '../core/revocation-online/revocation-fetcher.js';

export interface HttpFetchOptions {
  method: 'GET' | 'POST';
  body?: Buffer;
  headers?: Record<string, string>;
  /** Whole-exchange deadline: connect, headers and body (default 3,000 ms). */
  timeoutMs?: number;
  /** Largest accepted body; larger ones are aborted as soon as they are known to be (default 300,000). */
  maxBytes?: number;
}

/**
 * One bounded HTTP exchange for revocation data. Only http: (CRLs and OCSP responses are signed
 * objects, RFC 5280 §4.2.1.13 and RFC 6960 App. A.1 use plain HTTP, and fetching https: would
 * make revocation depend on revocation). No redirects are followed, no proxy and no keep-alive
 * pool are used. A single timer bounds the WHOLE exchange (unlike a socket idle timeout, which a
 * responder trickling one byte a second would never trip), and the body is cut off at `maxBytes`.
 * Never rejects.
 */
export function httpFetch(url: string, opts: HttpFetchOptions): Promise<FetchResult> {
  const timeoutMs = opts.timeoutMs ?? 3_000;
  const maxBytes = opts.maxBytes ?? 300_000;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({ ok: false, reason: 'unsupported-url', detail: 'not a URL' });
  }
  if (target.protocol !== 'http:') return Promise.resolve({ ok: false, reason: 'unsupported-url', detail: `scheme ${target.protocol} is not fetched (http: only)` });
  if (target.username || target.password) return Promise.resolve({ ok: false, reason: 'unsupported-url', detail: 'URLs with credentials are not fetched' });

  return new Promise<FetchResult>((resolve) => {
    let settled = false;
    const finish = (r: FetchResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const req = request(target, {
      method: opts.method,
      agent: false,
      headers: {
        ...(opts.headers ?? {}),
        ...(opts.body ? { 'content-length': String(opts.body.length) } : {}),
        connection: 'close',
      },
    });
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout', detail: `no complete answer from ${target.host} within ${timeoutMs} ms` }), timeoutMs);
    timer.unref();
    req.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, reason: 'network', detail: `${target.host}: ${e.code ?? e.message}` }));
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return finish({ ok: false, reason: 'http-status', detail: `${target.host} answered HTTP ${res.statusCode ?? '?'}` });
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        return finish({ ok: false, reason: 'too-large', detail: `${target.host} announced ${declared} bytes; at most ${maxBytes}` });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return finish({ ok: false, reason: 'too-large', detail: `${target.host} sent more than ${maxBytes} bytes` });
        chunks.push(chunk);
      });
      res.on('end', () => finish({ ok: true, body: Buffer.concat(chunks) }));
      res.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, reason: 'network', detail: `${target.host}: ${e.code ?? e.message}` }));
      res.on('aborted', () => finish({ ok: false, reason: 'network', detail: `${target.host}: response aborted` }));
    });
    req.end(opts.body);
  });
}
