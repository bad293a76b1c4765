import { constants, verify, type KeyObject } from 'node:crypto';
import { formatAmzDate } from './amz-date.js';
import { canonicalRequestTail, credentialScope, stringToSign } from './canonical-request.js';
import { canonicalUri } from './canonical-uri.js';
import { ecFieldSize } from './ecdsa-encoding.js';
import { indexedValues, indexHeaders } from './header-values.js';
import { payloadHashOfIndexed } from './payload-hash.js';
import type { RawHttpRequest } from './types.js';
import type { X509RequestParts, X509VerifyFailure } from './x509-request-parser.js';

export type X509Deviation = 'algorithm-key-mismatch' | 'required-header-not-signed';

export interface X509VerifyOk {
  ok: true;
  /** Accepted-but-irregular traits AWS records in CloudTrail `additionalEventData` (service-spec §4.3). */
  deviations: X509Deviation[];
}

/** The Go helper hard-codes this canonical URI, even behind a path prefix (signing-helper-spec §2.3). */
const HELPER_CANONICAL_URI = '/sessions';

function verifyWithKey(key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    if (key.asymmetricKeyType === 'rsa') {
      // RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2), whatever the modulus size.
      return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    }
    // ECDSA with SHA-256 whatever the curve (signing-helper-spec §2.5). The wire form is DER;
    // the fixed-width r||s form that PKCS#11/CNG produce is accepted too when its length fits
    // the curve, since both encode the same (r, s).
    if (verify('sha256', data, { key, dsaEncoding: 'der' }, signature)) return true;
    const size = ecFieldSize(key.asymmetricKeyDetails?.namedCurve);
    return size !== undefined && signature.length === 2 * size &&
      verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    // Malformed signature bytes or a key OpenSSL refuses: not a valid signature.
    return false;
  }
}

/**
 * Verifies the AWS4-X509 signature of a request whose headers parseX509Request accepted, with
 * the leaf certificate's public key and decimal serial (extracted by the caller). Implements
 * service-spec §4.3 including its "Leniency" rule: the signature is checked with the key's
 * ACTUAL type, and a declared algorithm that does not match it, or a required header (host,
 * x-amz-date, x-amz-x509, x-amz-x509-chain when sent) missing from SignedHeaders, is reported
 * in `deviations` instead of rejected.
 */
export function verifyX509Signature(
  req: RawHttpRequest,
  parts: X509RequestParts,
  cert: { publicKey: KeyObject; serialDecimal: string },
): X509VerifyOk | { ok: false; reason: X509VerifyFailure } {
  const { auth } = parts;
  // "The serial appears in the Credential scope" (service-spec §4.3): it names this certificate.
  if (auth.credential.id !== cert.serialDecimal) return { ok: false, reason: 'serial-mismatch' };

  const keyType = cert.publicKey.asymmetricKeyType;
  if (cert.publicKey.type !== 'public' || (keyType !== 'rsa' && keyType !== 'ec')) {
    return { ok: false, reason: 'unsupported-algorithm' };
  }
  // One pass over the header record serves every lookup below (built per call, never cached).
  const index = indexHeaders(req.headers);
  const deviations: X509Deviation[] = [];
  const expected = keyType === 'rsa' ? 'AWS4-X509-RSA-SHA256' : 'AWS4-X509-ECDSA-SHA256';
  if (auth.algorithm !== expected) deviations.push('algorithm-key-mismatch');
  const required = ['host', 'x-amz-date', 'x-amz-x509'];
  if (indexedValues(index, 'x-amz-x509-chain').length > 0) required.push('x-amz-x509-chain');
  if (required.some((h) => !auth.signedHeaders.includes(h))) deviations.push('required-header-not-signed');

  const payloadHash = payloadHashOfIndexed(req, index);
  if (payloadHash === undefined) return { ok: false, reason: 'bad-signature' };
  const signature = Buffer.from(auth.signature, 'hex');
  const c = auth.credential;
  const scope = credentialScope(c.date, c.region, c.service);
  const amzDate = formatAmzDate(parts.amzDate);

  // Everything but the URI line is the same for each candidate URI: build it once.
  const tail = canonicalRequestTail(req, index, auth.signedHeaders, payloadHash);
  if (!tail.ok) return { ok: false, reason: 'signed-header-missing' };
  const method = req.method.toUpperCase();
  const uri = canonicalUri(req.path);
  const uris = req.path.endsWith(HELPER_CANONICAL_URI) && uri !== HELPER_CANONICAL_URI ? [uri, HELPER_CANONICAL_URI] : [uri];
  for (const candidate of uris) {
    // The declared algorithm is part of what the client signed, whatever key it really used.
    const sts = stringToSign(auth.algorithm, amzDate, scope, `${method}\n${candidate}${tail.value}`);
    if (verifyWithKey(cert.publicKey, Buffer.from(sts, 'utf8'), signature)) return { ok: true, deviations };
  }
  return { ok: false, reason: 'bad-signature' };
}
