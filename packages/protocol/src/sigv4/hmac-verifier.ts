import { timingSafeEqual } from 'node:crypto';
import { formatAmzDate, parseAmzDate } from './amz-date.js';
import { DEFAULT_MAX_SKEW_SECONDS } from './constants.js';
import { canonicalRequest, credentialScope, stringToSign } from './canonical-request.js';
import { headerValues } from './header-values.js';
import { payloadHashForVerifying } from './payload-hash.js';
import { deriveSigningKey, hmacSignatureHex } from './signing-key.js';
import type { ParsedAuthorization, RawHttpRequest } from './types.js';

export type HmacVerifyFailure =
  | 'missing-authorization' | 'duplicated-authorization' | 'malformed-authorization' | 'unsupported-algorithm'
  | 'missing-date' | 'malformed-date' | 'date-mismatch' | 'clock-skew' | 'signed-header-missing'
  | 'host-not-signed' | 'bad-signature';

/**
 * The request time: X-Amz-Date, else the HTTP Date header (AWS SigV4 docs, "Elements of an AWS
 * API request signature": X-Amz-Date takes precedence). The header used must be one of the
 * signed headers, otherwise the signature does not bind the time and an old request could be
 * replayed with a fresh date; such a request is treated as having no date.
 */
function requestDate(
  req: RawHttpRequest,
  signed: readonly string[],
): { ok: true; value: Date } | { ok: false; reason: 'missing-date' | 'malformed-date' } {
  for (const name of ['x-amz-date', 'date']) {
    const values = headerValues(req.headers, name);
    if (values.length === 0) continue;
    if (!signed.includes(name)) return { ok: false, reason: 'missing-date' };
    if (values.length > 1) return { ok: false, reason: 'malformed-date' };
    const text = (values[0] as string).trim();
    // The Date header uses the HTTP IMF-fixdate form (RFC 9110 §5.6.7).
    const date = name === 'x-amz-date' ? parseAmzDate(text) : parseHttpDate(text);
    return date ? { ok: true, value: date } : { ok: false, reason: 'malformed-date' };
  }
  return { ok: false, reason: 'missing-date' };
}

const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

function parseHttpDate(v: string): Date | undefined {
  if (!IMF_FIXDATE.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/**
 * Verifies an AWS4-HMAC-SHA256 request against the secret of the access key named in
 * `auth.credential.id` (looked up by the caller, who also checks the scope's region and
 * service, which are covered by the signature). The canonical request is rebuilt from exactly
 * `auth.signedHeaders`, the raw path, raw query and received body bytes.
 */
export function verifyHmacRequest(
  req: RawHttpRequest,
  auth: ParsedAuthorization,
  secretAccessKey: string,
  opts: { now: Date; maxSkewSeconds?: number },
): { ok: true } | { ok: false; reason: HmacVerifyFailure } {
  if (auth.algorithm !== 'AWS4-HMAC-SHA256') return { ok: false, reason: 'unsupported-algorithm' };

  const date = requestDate(req, auth.signedHeaders);
  if (!date.ok) return date;
  const amzDate = formatAmzDate(date.value);
  // The scope date must be the request's own date (AWS SigV4 docs, "Create a string to sign").
  if (auth.credential.date !== amzDate.slice(0, 8)) return { ok: false, reason: 'date-mismatch' };
  const maxSkewMs = (opts.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS) * 1000;
  if (Math.abs(opts.now.getTime() - date.value.getTime()) > maxSkewMs) return { ok: false, reason: 'clock-skew' };

  // "The host header must be included as a signed header" (AWS SigV4 docs, canonical request).
  if (!auth.signedHeaders.includes('host')) return { ok: false, reason: 'host-not-signed' };

  const payloadHash = payloadHashForVerifying(req);
  if (payloadHash === undefined) return { ok: false, reason: 'bad-signature' };
  const cr = canonicalRequest(req, auth.signedHeaders, { payloadHash });
  if (!cr.ok) return { ok: false, reason: 'signed-header-missing' };

  const c = auth.credential;
  const sts = stringToSign('AWS4-HMAC-SHA256', amzDate, credentialScope(c.date, c.region, c.service), cr.value);
  const expected = Buffer.from(hmacSignatureHex(deriveSigningKey(secretAccessKey, c.date, c.region, c.service), sts), 'hex');
  const given = Buffer.from(auth.signature, 'hex');
  // Constant-time comparison so the signature cannot be recovered byte by byte from timing.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  return { ok: true };
}
