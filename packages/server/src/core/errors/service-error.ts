/**
 * The one error taxonomy of the domain core. `code` is the AWS error code the wire shows
 * (service-spec §0); the transport's error mapper is the only place that turns it into HTTP.
 * `detail` is for the audit log and server logs only and never reaches the wire. No error
 * may carry key material, secrets or session tokens (style-anchors §9).
 */
export type ServiceErrorCode =
  | 'ValidationException'
  | 'AccessDeniedException'
  | 'ResourceNotFoundException'
  | 'TooManyTagsException'
  | 'ConflictException'
  | 'ThrottlingException'
  | 'ServiceQuotaExceededException';

const STATUS: Record<ServiceErrorCode, number> = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  TooManyTagsException: 400,
  ConflictException: 409,
  ThrottlingException: 429,
  ServiceQuotaExceededException: 402,
};

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  readonly status: number;
  /** Machine-readable reason for the audit log (e.g. 'untrusted-issuer'). */
  readonly reason: string | undefined;

  constructor(code: ServiceErrorCode, message: string, reason?: string) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = STATUS[code];
    this.reason = reason;
  }
}

export function validationError(message: string, reason = 'validation'): ServiceError {
  return new ServiceError('ValidationException', message, reason);
}

export function accessDenied(message: string, reason: string): ServiceError {
  return new ServiceError('AccessDeniedException', message, reason);
}

export function notFound(message: string, reason = 'not-found'): ServiceError {
  return new ServiceError('ResourceNotFoundException', message, reason);
}
