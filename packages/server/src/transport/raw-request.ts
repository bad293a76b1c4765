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
      headers: rawHeaders(req.raw.rawHeaders),
      body,
    },
    body,
  };
}

/**
 * The client's address as IAM's `aws:SourceIp` sees it: an IPv4 client of a dual-stack listener
 * arrives as `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2) and is the IPv4 address `a.b.c.d`, so that an
 * `IpAddress` condition on an IPv4 range matches it (and a Deny on one cannot be dodged).
 */
export function sourceIpOf(req: FastifyRequest): string {
  return unmapIpv4(req.ip);
}

export function unmapIpv4(ip: string): string {
  return ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

export function userAgentOf(req: FastifyRequest): string {
  const ua = req.headers['user-agent'];
  return typeof ua === 'string' ? ua.slice(0, 1024) : '';
}

/**
 * Headers from the raw header list, not `req.headers`: Node silently drops repeated
 * Authorization/Host/… lines and joins others, and a verifier must see exactly what came
 * (a duplicated Authorization header is an error, not "the first one wins").
 * The record has no prototype: a client's header named `constructor` or `__proto__` must be an
 * ordinary header, not Object.prototype's member (which once made a signed `constructor`
 * header a 500).
 */
function rawHeaders(list: readonly string[]): RawHttpRequest['headers'] {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (let i = 0; i + 1 < list.length; i += 2) {
    const name = list[i]!.toLowerCase();
    const value = list[i + 1]!;
    const prev = out[name];
    if (prev === undefined) out[name] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[name] = [prev, value];
  }
  return out;
}
