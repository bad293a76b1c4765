/**
 * How a failed AWS call is told to the client and whether it counts against the circuit
 * breaker. `role` errors are STS/IAM answers about this role or this request: their message is
 * passed on as AWS Roles Anywhere does (`Unable to assume role for <arn>. <STS message>`).
 * `backend` errors are about AWS or the broker itself: the client gets a fixed sentence (the SDK's
 * text may name local files or hosts), the audit log the same sentence with the error code.
 */
export interface AwsFailure {
  kind: 'role' | 'backend';
  /** Safe for the wire: never a key, secret or token (CONTRIBUTING: no secrets in errors). */
  message: string;
  /** The AWS error code or SDK error name, for logs and metrics. */
  code: string;
}

// Errors about the broker's own credentials (STS "Common Errors"; SDK credential chain).
const BROKER_CREDENTIAL_CODES = new Set([
  'CredentialsProviderError',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'MissingAuthenticationToken',
  'InvalidAccessKeyId',
]);
const THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ETIMEDOUT']);
const MAX_MESSAGE = 512;

interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

export function classifyAwsError(err: unknown, service: 'STS' | 'IAM'): AwsFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorLike;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const sysCode = typeof e.code === 'string' ? e.code : undefined;
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const code = sysCode && NETWORK_CODES.has(sysCode) ? sysCode : name;
  const backend = (message: string): AwsFailure => ({ kind: 'backend', message, code });

  if (BROKER_CREDENTIAL_CODES.has(name)) return backend(`The broker's AWS credentials are missing, expired or invalid (${name}).`);
  if (THROTTLING_CODES.has(name) || status === 429) return backend(`AWS ${service} is throttling requests; try again later.`);
  if (name === 'TimeoutError' || name === 'AbortError' || sysCode === 'ETIMEDOUT') return backend(`AWS ${service} did not answer in time.`);
  if (sysCode && NETWORK_CODES.has(sysCode)) return backend(`AWS ${service} is unreachable.`);
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) return backend(`AWS ${service} failed (${name}); try again later.`);
  if (e.$fault === 'client' || (status !== undefined && status >= 400)) {
    const text = typeof e.message === 'string' && e.message.trim() !== '' && e.message !== 'UnknownError' ? e.message.trim() : name;
    return { kind: 'role', message: text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text, code: name };
  }
  // No HTTP answer at all and no known cause: say so without repeating the SDK's text.
  return backend(`AWS ${service} could not be reached (${name}).`);
}
