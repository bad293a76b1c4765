import type { PathFailure } from '@mooring/pki';
import type { X509VerifyFailure } from '@mooring/protocol';
import { ServiceError } from '../errors/service-error.js';

/**
 * Why a CreateSession was refused. The reason goes to the audit log; the wire gets AWS's
 * message (service-spec §4.4). Header-shape problems get a plain description: they reveal
 * nothing about our trust configuration and save users hours of guessing.
 */
export type SessionFailureReason =
  | X509VerifyFailure
  | PathFailure
  | 'certificate-unparsable'
  | 'date-not-signed'
  | 'trust-anchor-not-found'
  | 'trust-anchor-disabled'
  | 'profile-not-found'
  | 'profile-disabled'
  | 'role-not-in-profile'
  | 'role-not-found'
  | 'role-session-name-not-allowed'
  | 'tag-mapping-failed'
  | 'trust-policy-denied'
  | 'trust-policy-invalid'
  | 'duration-exceeds-role-maximum'
  | 'revoked'
  | 'crl-stale'
  | 'revocation-unavailable'
  | 'issuer-refused';

const HEADER_MESSAGES: Partial<Record<SessionFailureReason, string>> = {
  'missing-authorization': 'Missing Authorization header',
  'duplicated-authorization': 'Duplicated Authorization header',
  'malformed-authorization': 'Malformed Authorization header',
  'unsupported-algorithm': 'Unsupported signing algorithm',
  'missing-date': 'Missing X-Amz-Date header',
  'duplicated-date': 'Duplicated X-Amz-Date header',
  'malformed-date': 'Malformed X-Amz-Date header',
  'date-mismatch': 'Credential scope date does not match X-Amz-Date',
  'clock-skew': 'Signature expired: X-Amz-Date is more than 5 minutes from the server time',
  'wrong-service': "Credential scope service must be 'rolesanywhere'",
  'wrong-region': 'Credential scope region does not match this endpoint',
  'missing-certificate': 'Missing X-Amz-X509 header',
  'duplicated-certificate': 'Duplicated X-Amz-X509 header',
  'malformed-certificate-header': 'X-Amz-X509 is not base64-encoded DER',
  'chain-too-long': 'X-Amz-X509-Chain holds more than 5 certificates',
  'malformed-chain-header': 'X-Amz-X509-Chain is not comma-separated base64-encoded DER',
  'signed-header-missing': 'A header listed in SignedHeaders is missing',
  'date-not-signed': 'X-Amz-Date must be listed in SignedHeaders',
};

const LEAF_INSUFFICIENT: ReadonlySet<SessionFailureReason> = new Set<SessionFailureReason>([
  'not-v3',
  'empty-subject',
  'leaf-is-ca',
  'leaf-missing-digital-signature',
]);

export function sessionFailure(reason: SessionFailureReason, roleArn: string, detail?: string): ServiceError {
  const header = HEADER_MESSAGES[reason];
  if (header) return new ServiceError('AccessDeniedException', header, reason);
  switch (reason) {
    case 'bad-signature':
    case 'serial-mismatch':
      return new ServiceError('AccessDeniedException', 'Invalid signature', reason);
    case 'trust-anchor-not-found':
      return new ServiceError('ResourceNotFoundException', 'Trust anchor not found', reason);
    case 'revoked':
      // Observed wording (service-spec §4.4 step 7).
      return new ServiceError('AccessDeniedException', 'Certificate revoked', reason);
    case 'profile-not-found':
      return new ServiceError('ResourceNotFoundException', 'Profile not found', reason);
    case 'profile-disabled':
      return new ServiceError('AccessDeniedException', 'Profile is disabled', reason);
    case 'role-session-name-not-allowed':
      // Observed wording (credential-helper #19).
      return new ServiceError('AccessDeniedException', 'Not authorized to set roleSessionName.', reason);
    case 'role-not-in-profile':
    case 'role-not-found':
    case 'trust-policy-denied':
    case 'trust-policy-invalid':
      return new ServiceError('AccessDeniedException', `Unable to assume role for ${roleArn}.`, reason);
    case 'tag-mapping-failed':
    case 'duration-exceeds-role-maximum':
    case 'issuer-refused':
      return new ServiceError('AccessDeniedException', `Unable to assume role for ${roleArn}. ${detail ?? ''}`.trimEnd(), reason);
    default:
      if (LEAF_INSUFFICIENT.has(reason))
        return new ServiceError('AccessDeniedException', 'Untrusted certificate. Insufficient certificate', reason);
      // Chain, validity, key-strength and disabled-anchor failures: one uniform denial (§4.4 step 5).
      return new ServiceError('AccessDeniedException', 'Untrusted signing certificate', reason);
  }
}
