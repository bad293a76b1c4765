import { sha256Hex } from './hash.js';
import { headerValues, indexedValues, indexHeaders, type HeaderIndex } from './header-values.js';
import type { RawHttpRequest } from './types.js';

const CONTENT_SHA256 = 'x-amz-content-sha256';

/**
 * Payload hash a signer puts in the canonical request. Like smithy's `getPayloadHash` and
 * botocore's `SigV4Auth.canonical_request`, an explicit X-Amz-Content-SHA256 header wins, so
 * our signatures match theirs byte for byte.
 */
export function payloadHashForSigning(req: RawHttpRequest): string {
  const declared = headerValues(req.headers, CONTENT_SHA256);
  return declared.length === 1 ? (declared[0] as string) : sha256Hex(req.body);
}

/** payloadHashForVerifying over a header index the caller already built. */
export function payloadHashOfIndexed(req: RawHttpRequest, index: HeaderIndex): string | undefined {
  const actual = sha256Hex(req.body);
  const declared = indexedValues(index, CONTENT_SHA256);
  if (declared.length === 0) return actual;
  if (declared.length > 1) return undefined;
  return (declared[0] as string).trim().toLowerCase() === actual ? actual : undefined;
}

/**
 * Payload hash a verifier uses: always the hash of the bytes actually received. A declared
 * X-Amz-Content-SHA256 must agree with it, otherwise a client could sign an
 * `UNSIGNED-PAYLOAD` placeholder (an S3-only feature) and have its body swapped in transit.
 * Returns undefined when the header disagrees or is repeated.
 */
export function payloadHashForVerifying(req: RawHttpRequest): string | undefined {
  return payloadHashOfIndexed(req, indexHeaders(req.headers));
}
