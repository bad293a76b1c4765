import type { AuthFailure } from './principal.js';

export interface WireAuthError {
  status: number;
  code: string;
  message: string;
}

/**
 * Authentication failures as AWS services report them. 'query' is the IAM/STS (awsQuery)
 * vocabulary, 'json' the rest-json/JSON services' (`…Exception` names). Codes and messages are
 * AWS's own (AWS "Common Errors" reference, STS/IAM error responses) so SDK retry and
 * clock-skew handling behave as against AWS. Messages are fixed strings: they never echo the
 * key id, secret or token (style-anchors §9.5).
 */
const QUERY: Readonly<Record<AuthFailure, WireAuthError>> = {
  'missing-authentication': { status: 403, code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' },
  'incomplete-signature': {
    status: 403,
    code: 'IncompleteSignature',
    message: 'The request signature does not conform to AWS standards.',
  },
  'unknown-access-key': {
    status: 403,
    code: 'InvalidClientTokenId',
    message: 'The security token included in the request is invalid.',
  },
  'invalid-token': { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' },
  'expired-token': { status: 403, code: 'ExpiredToken', message: 'The security token included in the request is expired' },
  'bad-signature': {
    status: 403,
    code: 'SignatureDoesNotMatch',
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  },
  // botocore recognises "Signature expired" under SignatureDoesNotMatch as a clock-skew error.
  'clock-skew': {
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: 'Signature expired: the request time is outside the allowed clock skew of 5 minutes.',
  },
  'wrong-scope': {
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: 'Credential should be scoped to a valid region and to the correct service.',
  },
};

const JSON_CODES: Readonly<Record<AuthFailure, string>> = {
  'missing-authentication': 'MissingAuthenticationTokenException',
  'incomplete-signature': 'IncompleteSignatureException',
  'unknown-access-key': 'UnrecognizedClientException',
  'invalid-token': 'UnrecognizedClientException',
  'expired-token': 'ExpiredTokenException',
  'bad-signature': 'InvalidSignatureException',
  'clock-skew': 'InvalidSignatureException',
  'wrong-scope': 'InvalidSignatureException',
};

export function authErrorToWire(reason: AuthFailure, flavour: 'query' | 'json'): WireAuthError {
  const q = QUERY[reason];
  if (flavour === 'query') return { ...q };
  // rest-json services say "Missing Authentication Token" (API Gateway-style wording).
  const message = reason === 'missing-authentication' ? 'Missing Authentication Token' : q.message;
  return { status: q.status, code: JSON_CODES[reason], message };
}
