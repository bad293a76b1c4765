/**
 * Shapes shared by every SigV4 variant (HMAC and X.509), for both signing and verifying.
 * The request is always the *raw* request: the verifier must canonicalise exactly the bytes
 * it received, and the signer exactly the bytes it will send (AWS SigV4 docs,
 * "Create a canonical request").
 */

/** An HTTP request as seen on the wire. Header names may be in any case. */
export interface RawHttpRequest {
  method: string;
  /** Raw path, still percent-encoded, without the query string, e.g. `/sessions`. */
  path: string;
  /** Raw query string without the leading `?` ('' when absent). */
  query: string;
  /** Header values; a repeated header arrives as an array. */
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array | string;
}

/** `AWS4-HMAC-SHA256` plus the Roles Anywhere X.509 algorithms. */
export type SigningAlgorithm =
  | 'AWS4-HMAC-SHA256'
  | 'AWS4-X509-RSA-SHA256'
  | 'AWS4-X509-ECDSA-SHA256';

export type X509SigningAlgorithm = Exclude<SigningAlgorithm, 'AWS4-HMAC-SHA256'>;

/** `Credential=<id>/<date>/<region>/<service>/aws4_request` split into its parts. */
export interface CredentialScope {
  /** Access key id (HMAC) or the decimal certificate serial (X.509). */
  id: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
  terminator: string;
}

export interface ParsedAuthorization {
  algorithm: string;
  credential: CredentialScope;
  /** Lower-case names, in the order given. */
  signedHeaders: string[];
  /** Lower-case hex. */
  signature: string;
}

/**
 * Something that can produce an AWS4-X509 signature. For RSA: PKCS#1 v1.5 over SHA-256 of
 * `data`. For EC: ECDSA over SHA-256 of `data`, DER-encoded `SEQUENCE{r,s}`. Implementations
 * hash internally (file keys, PKCS#11 mechanisms that hash, ...).
 */
export interface X509Signer {
  readonly algorithm: X509SigningAlgorithm;
  sign(data: Uint8Array): Promise<Uint8Array>;
}
