/**
 * Why a certificate or key could not be loaded. The messages mirror the official helper's
 * (`aws_signing_helper/signer.go`, signing-helper-spec §8) so scripts that grep for them keep
 * working; the code is for programs.
 * @public
 */
export type KeySourceErrorCode =
  | 'read-failed'
  | 'pem-not-found'
  | 'certificate-invalid'
  | 'private-key-invalid'
  | 'password-required'
  | 'password-incorrect'
  | 'chain-invalid'
  | 'key-certificate-mismatch'
  | 'unsupported-algorithm'
  | 'unsupported-source'
  | 'pin-required'
  | 'pin-incorrect'
  | 'pkcs11-unavailable'
  | 'pkcs11-no-match'
  | 'pkcs11-ambiguous'
  | 'pkcs11-failed';

/**
 * Raised by every key source. Never carries key material: only the Go-compatible message and,
 * for read failures, the path.
 * @public
 */
export class KeySourceError extends Error {
  override readonly name = 'KeySourceError';
  readonly code: KeySourceErrorCode;

  constructor(code: KeySourceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
