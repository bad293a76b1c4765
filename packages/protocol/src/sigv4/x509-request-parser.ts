import { formatAmzDate, parseAmzDate } from './amz-date.js';
import { parseAuthorization } from './authorization.js';
import { indexedValues, indexHeaders, singleValue } from './header-values.js';
import { DEFAULT_MAX_CHAIN, DEFAULT_MAX_SKEW_SECONDS, ROLESANYWHERE_SERVICE } from './constants.js';
import type { ParsedAuthorization, RawHttpRequest } from './types.js';

export type X509VerifyFailure =
  | 'missing-authorization' | 'duplicated-authorization' | 'malformed-authorization' | 'unsupported-algorithm'
  | 'missing-date' | 'duplicated-date' | 'malformed-date' | 'date-mismatch' | 'clock-skew' | 'wrong-service' | 'wrong-region'
  | 'missing-certificate' | 'duplicated-certificate' | 'malformed-certificate-header' | 'chain-too-long' | 'malformed-chain-header'
  | 'signed-header-missing' | 'serial-mismatch' | 'bad-signature';

/** What the server needs after a successful header parse. */
export interface X509RequestParts {
  auth: ParsedAuthorization;
  amzDate: Date;
  /** Decoded X-Amz-X509. */
  certificateDer: Buffer;
  /** Decoded X-Amz-X509-Chain (0..maxChain entries), in the order sent. */
  chainDer: Buffer[];
}

/**
 * Algorithms verified here. AWS4-X509-MLDSA (signing-helper-spec §2.5) is not: Node 20 has no
 * ML-DSA, so such requests fail early with 'unsupported-algorithm'.
 */
const X509_ALGORITHMS = new Set(['AWS4-X509-RSA-SHA256', 'AWS4-X509-ECDSA-SHA256']);

/**
 * Standard base64 (RFC 4648 §4). Padding is optional, as with Java's and Go's lenient
 * decoders, but a length that cannot come from any encoding (4n+1) and characters outside the
 * alphabet (including the URL-safe '-' and '_', and whitespace) are rejected.
 */
export function decodeStrictBase64(v: string): Buffer | undefined {
  if (v === '') return undefined;
  // Fast path: Node's decoder is lenient, but when the bytes re-encode to exactly `v`, then
  // `v` is canonical padded base64, which the checks below accept with this same result. A
  // regex over a 2 KB certificate costs several times the decode and re-encode together.
  const decoded = Buffer.from(v, 'base64');
  if (decoded.length !== 0 && decoded.toString('base64') === v) return decoded;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return undefined;
  const padded = v.includes('=');
  if (padded ? v.length % 4 !== 0 : v.length % 4 === 1) return undefined;
  return decoded.length === 0 ? undefined : decoded;
}

/**
 * Header-only checks of a CreateSession request (service-spec §4.3, §4.4 step 2): Authorization,
 * X-Amz-Date, X-Amz-X509 and X-Amz-X509-Chain present, single and well-formed; the date within
 * ±maxSkewSeconds of `now` and equal to the scope date; the scope naming `rolesanywhere` and the
 * serving region. No cryptography and no certificate parsing happen here.
 */
export function parseX509Request(
  req: RawHttpRequest,
  opts: { now: Date; region: string; maxSkewSeconds?: number; maxChain?: number },
): { ok: true; value: X509RequestParts } | { ok: false; reason: X509VerifyFailure } {
  const index = indexHeaders(req.headers);
  const authValues = indexedValues(index, 'authorization');
  const parsed = parseAuthorization(authValues.length === 1 ? authValues[0] : authValues.length === 0 ? undefined : authValues);
  if (!parsed.ok) return { ok: false, reason: `${parsed.reason}-authorization` };
  const auth = parsed.value;
  if (!X509_ALGORITHMS.has(auth.algorithm)) return { ok: false, reason: 'unsupported-algorithm' };

  const dateHeader = singleValue(indexedValues(index, 'x-amz-date'));
  if (!dateHeader.ok) return { ok: false, reason: dateHeader.reason === 'missing' ? 'missing-date' : 'duplicated-date' };
  const amzDate = parseAmzDate(dateHeader.value.trim());
  if (!amzDate) return { ok: false, reason: 'malformed-date' };

  const certHeader = singleValue(indexedValues(index, 'x-amz-x509'));
  if (!certHeader.ok) {
    return { ok: false, reason: certHeader.reason === 'missing' ? 'missing-certificate' : 'duplicated-certificate' };
  }

  // The scope date must be the request's own date (AWS SigV4 docs, "Create a string to sign").
  if (auth.credential.date !== formatAmzDate(amzDate).slice(0, 8)) return { ok: false, reason: 'date-mismatch' };
  // SigV4 norm of ±5 minutes (service-spec §4.3: undocumented for Roles Anywhere, apply SigV4).
  const maxSkewMs = (opts.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS) * 1000;
  if (Math.abs(opts.now.getTime() - amzDate.getTime()) > maxSkewMs) return { ok: false, reason: 'clock-skew' };
  if (auth.credential.service !== ROLESANYWHERE_SERVICE) return { ok: false, reason: 'wrong-service' };
  if (auth.credential.region !== opts.region) return { ok: false, reason: 'wrong-region' };

  const certificateDer = decodeStrictBase64(certHeader.value.trim());
  if (!certificateDer) return { ok: false, reason: 'malformed-certificate-header' };

  const chainValues = indexedValues(index, 'x-amz-x509-chain');
  if (chainValues.length > 1) return { ok: false, reason: 'malformed-chain-header' };
  const chainDer: Buffer[] = [];
  const chainText = (chainValues[0] ?? '').trim();
  // An empty header is what a client with an empty (non-nil) chain sends: no intermediates.
  if (chainText !== '') {
    const entries = chainText.split(',').map((e) => e.trim());
    if (entries.length > (opts.maxChain ?? DEFAULT_MAX_CHAIN)) return { ok: false, reason: 'chain-too-long' };
    for (const entry of entries) {
      const der = decodeStrictBase64(entry);
      if (!der) return { ok: false, reason: 'malformed-chain-header' };
      chainDer.push(der);
    }
  }
  return { ok: true, value: { auth, amzDate, certificateDer, chainDer } };
}
