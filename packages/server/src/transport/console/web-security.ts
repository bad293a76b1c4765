import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * `__Host-` prefix: the browser accepts the cookie only with Secure, Path=/ and no Domain, so a
 * sibling host cannot plant or shadow it (RFC 6265bis §4.1.3.2).
 */
export const SESSION_COOKIE = '__Host-mooring-console';

/**
 * No script at all, styles only from our own stylesheet, forms only to ourselves, no framing
 * (CSP Level 3; OWASP Clickjacking Defense). The console is server-rendered, so 'none' costs nothing.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Headers on every console response. Pages can show ARNs and policies: never cache them. */
export function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'same-origin')
    .header('cache-control', 'no-store');
}

/**
 * HttpOnly (no script can read it), Secure, SameSite=Strict (never sent on cross-site requests,
 * RFC 6265bis §5.4.7), Max-Age bounded by the session's expiry.
 */
export function sessionCookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; Secure; SameSite=Strict`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
}

/** The value of one cookie from the Cookie header (RFC 6265 §5.4 syntax); first occurrence wins. */
export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Origin check for state-changing requests (OWASP CSRF Prevention Cheat Sheet, "Verifying
 * origin with standard headers"): the Origin header, or failing that the Referer, must name this
 * very host. A request with neither is refused: every browser that submits our forms sends Origin
 * on POST (Fetch Standard §3.1), so only a non-browser client lacks both.
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const host = req.headers.host;
  if (typeof host !== 'string' || host.length === 0) return false;
  const origin = req.headers.origin;
  const candidate = typeof origin === 'string' && origin !== 'null' ? origin : typeof req.headers.referer === 'string' ? req.headers.referer : undefined;
  if (candidate === undefined) return false;
  try {
    const u = new URL(candidate);
    // Same scheme too: over TLS an `http://host` origin is another origin (RFC 6454 §4), and
    // URL.host drops a default port, so comparing hosts alone would let it pass.
    return u.host.toLowerCase() === host.toLowerCase() && (u.protocol === 'https:' || (u.protocol === 'http:' && req.protocol === 'http'));
  } catch {
    return false;
  }
}

/** An application/x-www-form-urlencoded body, whichever way the host app parsed it. */
export function formOf(body: unknown): URLSearchParams {
  if (Buffer.isBuffer(body)) return new URLSearchParams(body.toString('utf8'));
  if (typeof body === 'string') return new URLSearchParams(body);
  if (body && typeof body === 'object') {
    const out = new URLSearchParams();
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (typeof v === 'string') out.set(k, v);
    return out;
  }
  return new URLSearchParams();
}
