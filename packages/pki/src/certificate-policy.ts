// Per-certificate algorithm policy shared by path validation and trust-anchor checks.
// AWS IAM Roles Anywhere "Signature validation" (service-spec §5): "The signing algorithm MUST include
// SHA256 or stronger. MD5 and SHA1 signing algorithms are rejected." Key sizes/curves are undocumented;
// service-spec §5 recommends RSA >= 2048 and P-256/P-384/P-521, which is what we enforce.
import type { ParsedCertificate } from './certificate.js';

export type AlgorithmFailure =
  | { reason: 'weak-signature-algorithm'; detail: string }
  | { reason: 'weak-key' | 'unsupported-key'; detail: string };

const STRONG_HASHES = new Set(['sha256', 'sha384', 'sha512']);
const ALLOWED_CURVES = new Set(['P-256', 'P-384', 'P-521']);
export const MIN_RSA_BITS = 2048;

/** The certificate's own signature algorithm must be SHA-256 or stronger. */
export function checkSignatureAlgorithm(cert: ParsedCertificate): AlgorithmFailure | undefined {
  const alg = cert.signatureAlgorithm;
  // Ed25519 hashes with SHA-512 internally (RFC 8032 §5.1), so it satisfies "SHA256 or stronger".
  if (alg.scheme === 'ed25519') return undefined;
  if (alg.scheme === 'unknown') {
    return { reason: 'weak-signature-algorithm', detail: `unsupported signature algorithm ${alg.oid}` };
  }
  if (!alg.hash || !STRONG_HASHES.has(alg.hash)) {
    return { reason: 'weak-signature-algorithm', detail: `signature algorithm uses ${alg.hash ?? 'an unknown hash'}; SHA-256 or stronger is required` };
  }
  return undefined;
}

/** The certificate's subject key must be RSA >= 2048 or EC on P-256/P-384/P-521. */
export function checkKey(cert: ParsedCertificate): AlgorithmFailure | undefined {
  if (cert.keyType === 'rsa') {
    if ((cert.keyBits ?? 0) < MIN_RSA_BITS) {
      return { reason: 'weak-key', detail: `RSA key of ${cert.keyBits ?? 0} bits; at least ${MIN_RSA_BITS} required` };
    }
    return undefined;
  }
  if (cert.keyType === 'ec') {
    if (!cert.ecCurve || !ALLOWED_CURVES.has(cert.ecCurve)) {
      return { reason: 'unsupported-key', detail: `EC curve ${cert.ecCurve ?? '(unnamed)'} is not supported; use P-256, P-384 or P-521` };
    }
    return undefined;
  }
  // Roles Anywhere signs requests with RSA or ECDSA keys only (service-spec §4.3); Ed25519 and others are refused.
  return { reason: 'unsupported-key', detail: `${cert.keyType} keys are not supported` };
}
