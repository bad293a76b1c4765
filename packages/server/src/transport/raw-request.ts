import type { FastifyRequest } from 'fastify';
import type { RawHttpRequest } from '@mooring/protocol';

/**
 * The request exactly as received: raw path and query (still percent-encoded), raw header
 * values and body bytes. SigV4 verification must canonicalise these, never a re-serialised form.
 */
export function rawRequest(req: FastifyRequest): { raw: RawHttpRequest; body: Buffer } {
  const url = req.raw.url ?? '/';
  const q = url.indexOf('?');
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  return {
    raw: {
      method: req.method,
      path: q === -1 ? url : url.slice(0, q),
      query: q === -1 ? '' : url.slice(q + 1),
      headers: req.headers as RawHttpRequest['headers'],
      body,
    },
    body,
  };
}

export function userAgentOf(req: FastifyRequest): string {
  const ua = req.headers['user-agent'];
  return typeof ua === 'string' ? ua.slice(0, 1024) : '';
}
