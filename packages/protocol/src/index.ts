// Public API of @mooring/protocol: SigV4 / SigV4-X509 canonicalisation, signing and verifying,
// and the wire shapes shared by the client and the server.
export type {
  RawHttpRequest,
  SigningAlgorithm,
  X509SigningAlgorithm,
  CredentialScope,
  ParsedAuthorization,
  X509Signer,
} from './sigv4/types.js';

export { uriEncode } from './sigv4/uri-encode.js';
export { canonicalUri } from './sigv4/canonical-uri.js';
export { canonicalQuery } from './sigv4/canonical-query.js';
export { canonicalHeaders } from './sigv4/canonical-headers.js';
export type { CanonicalHeadersResult } from './sigv4/canonical-headers.js';
export { canonicalRequest, stringToSign, credentialScope } from './sigv4/canonical-request.js';
export { sha256Digest, sha256Hex } from './sigv4/hash.js';

export { parseAuthorization, formatAuthorization } from './sigv4/authorization.js';
export type { ParseAuthorizationResult } from './sigv4/authorization.js';
export { parseAmzDate, formatAmzDate } from './sigv4/amz-date.js';

export { DEFAULT_MAX_CHAIN, DEFAULT_MAX_SKEW_SECONDS, ROLESANYWHERE_SERVICE } from './sigv4/constants.js';
export { deriveSigningKey } from './sigv4/signing-key.js';
export { signHmacRequest } from './sigv4/hmac-signer.js';
export type { AwsCredentialsLike } from './sigv4/hmac-signer.js';
export { verifyHmacRequest } from './sigv4/hmac-verifier.js';
export type { HmacVerifyFailure } from './sigv4/hmac-verifier.js';

export { signX509Request } from './sigv4/x509-signer.js';
export type { X509SignInput } from './sigv4/x509-signer.js';
export { parseX509Request } from './sigv4/x509-request-parser.js';
export type { X509RequestParts, X509VerifyFailure } from './sigv4/x509-request-parser.js';
export { verifyX509Signature } from './sigv4/x509-verifier.js';
export type { X509Deviation, X509VerifyOk } from './sigv4/x509-verifier.js';

export { rawEcdsaToDer, derEcdsaToRaw } from './sigv4/ecdsa-encoding.js';
export { newFileX509Signer } from './sigv4/file-signer.js';

export { parseArn, formatArn } from './wire/arn.js';
export type { Arn } from './wire/arn.js';
export { isoMicros, rfc3339Seconds } from './wire/timestamps.js';
export type {
  CreateSessionBody,
  CreateSessionResponse,
  CreateSessionCredentials,
  CreateSessionCredentialSetEntry,
} from './wire/create-session.js';
export { WIRE_ERRORS } from './wire/errors.js';
export type { WireErrorCode } from './wire/errors.js';
