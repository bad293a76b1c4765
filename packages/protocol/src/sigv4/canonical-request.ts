import { canonicalHeadersOf } from './canonical-headers.js';
import { canonicalQuery } from './canonical-query.js';
import { canonicalUri } from './canonical-uri.js';
import { sha256Hex } from './hash.js';
import { indexHeaders, type HeaderIndex } from './header-values.js';
import type { RawHttpRequest } from './types.js';

type CanonicalRequestResult =
  | { ok: true; value: string }
  | { ok: false; reason: 'signed-header-missing'; header: string };

/**
 * The lines of the canonical request after the URI (query, headers, signed-header list,
 * payload hash), with the '\n' before them. A verifier that must try more than one canonical
 * URI builds this once and prefixes `method \n uri` per attempt.
 */
export function canonicalRequestTail(
  req: RawHttpRequest,
  index: HeaderIndex,
  signedHeaders: readonly string[],
  payloadHash: string,
): CanonicalRequestResult {
  const headers = canonicalHeadersOf(index, signedHeaders);
  if (!headers.ok) return headers;
  let names = '';
  for (let i = 0; i < signedHeaders.length; i++) names += (i === 0 ? '' : ';') + (signedHeaders[i] as string).toLowerCase();
  return { ok: true, value: `\n${canonicalQuery(req.query)}\n${headers.value}\n${names}\n${payloadHash}` };
}

/**
 * The SigV4 canonical request (AWS SigV4 docs, "Create a canonical request"):
 *
 *   Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 *
 * where CanonicalHeaders already ends with '\n' (hence the blank line). The payload hash is
 * the hex SHA-256 of the body unless the caller supplies one. `canonicalUri` can be overridden
 * because the Roles Anywhere Go helper hard-codes `/sessions` (signing-helper-spec §2.3).
 */
export function canonicalRequest(
  req: RawHttpRequest,
  signedHeaders: string[],
  opts: { canonicalUri?: string; payloadHash?: string } = {},
): CanonicalRequestResult {
  const headers = canonicalHeadersOf(indexHeaders(req.headers), signedHeaders);
  if (!headers.ok) return headers;
  const value = [
    req.method.toUpperCase(),
    opts.canonicalUri ?? canonicalUri(req.path),
    canonicalQuery(req.query),
    headers.value,
    signedHeaders.map((h) => h.toLowerCase()).join(';'),
    opts.payloadHash ?? sha256Hex(req.body),
  ].join('\n');
  return { ok: true, value };
}

/**
 * String to sign (AWS SigV4 docs, "Create a string to sign"; the same layout for AWS4-X509-*,
 * signing-helper-spec §2.4): algorithm, request date-time, credential scope and the hex SHA-256
 * of the canonical request, joined by '\n' with no trailing newline.
 */
export function stringToSign(algorithm: string, amzDate: string, scope: string, canonicalRequestText: string): string {
  return `${algorithm}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequestText)}`;
}

/** `YYYYMMDD/region/service/aws4_request`. */
export function credentialScope(date8: string, region: string, service: string): string {
  return `${date8}/${region}/${service}/aws4_request`;
}
