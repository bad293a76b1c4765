/**
 * AWS error codes used on the wire and their HTTP status. The first four are modelled for
 * rolesanywhere (service-spec §0); the rest are the common AWS JSON-protocol errors for
 * authentication, throttling and transport failures (service-spec §0, "Common errors").
 * Responses carry `x-amzn-ErrorType: <code>` and `{"message": ...}` (signing-helper-spec §3).
 */
const TABLE = {
  ValidationException: { status: 400 },
  AccessDeniedException: { status: 403 },
  ResourceNotFoundException: { status: 404 },
  TooManyTagsException: { status: 400 },
  ConflictException: { status: 409 },
  ThrottlingException: { status: 429 },
  InternalServerException: { status: 500 },
  RequestEntityTooLargeException: { status: 413 },
  UnknownOperationException: { status: 404 },
  MissingAuthenticationTokenException: { status: 403 },
  InvalidSignatureException: { status: 403 },
  IncompleteSignatureException: { status: 403 },
  UnrecognizedClientException: { status: 403 },
  ExpiredTokenException: { status: 403 },
  InvalidClientTokenId: { status: 403 },
  SignatureDoesNotMatch: { status: 403 },
};

export const WIRE_ERRORS: { readonly [code: string]: { readonly status: number } } = Object.freeze(
  Object.fromEntries(Object.entries(TABLE).map(([code, e]) => [code, Object.freeze({ ...e })])),
);

/** The codes in WIRE_ERRORS, for exhaustive handling. */
export type WireErrorCode = keyof typeof TABLE;
