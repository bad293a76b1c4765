/**
 * Where a CreateSession failure came from:
 * - `service`: the server answered with an AWS error (`AccessDeniedException`, …);
 * - `response`: a 2xx whose body is not a usable CreateSession response;
 * - `network`: no HTTP answer (DNS, TLS, refused connection, timeout).
 * @public
 */
export type CreateSessionFault = 'service' | 'response' | 'network';

/**
 * A failed CreateSession call. `code` is the AWS error code when the service sent one (from
 * `x-amzn-ErrorType`, else the body's `__type`/`code`, as aws-sdk-go-v2's restjson1
 * deserializer reads it). Never carries credentials or key material.
 * @public
 */
export class CreateSessionError extends Error {
  override readonly name = 'CreateSessionError';
  readonly code: string;
  readonly fault: CreateSessionFault;
  /** HTTP status, or 0 when there was no HTTP answer. */
  readonly statusCode: number;
  /** `x-amzn-RequestId` of the failed response, when present. */
  readonly requestId: string | undefined;

  constructor(init: {
    code: string;
    message: string;
    fault: CreateSessionFault;
    statusCode?: number;
    requestId?: string | undefined;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.fault = init.fault;
    this.statusCode = init.statusCode ?? 0;
    this.requestId = init.requestId;
  }

  /** True for failures worth another attempt: throttling, 5xx, transient network errors. */
  get retryable(): boolean {
    if (this.fault === 'network') return true;
    if (this.fault !== 'service') return false;
    return this.statusCode >= 500 || this.statusCode === 429 || /Throttl/.test(this.code);
  }
}

/**
 * Reads the AWS error out of a non-2xx response. The header wins over the body; the header may
 * carry `Code:http://…` and the body `namespace#Code`, both reduced to `Code`
 * (aws-sdk-go-v2 `restjson.SanitizeErrorCode`).
 * @internal
 */
export function errorFromResponse(
  statusCode: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): CreateSessionError {
  const requestId = firstHeader(headers['x-amzn-requestid']);
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall back to the status.
  }
  const rawCode = firstHeader(headers['x-amzn-errortype']) ?? stringField(parsed, '__type') ?? stringField(parsed, 'code');
  const code = rawCode === undefined ? `HTTP${statusCode}` : sanitizeErrorCode(rawCode);
  const message = stringField(parsed, 'message') ?? stringField(parsed, 'Message') ?? `http status ${statusCode}`;
  return new CreateSessionError({ code, message, fault: 'service', statusCode, requestId });
}

function sanitizeErrorCode(raw: string): string {
  let code = raw;
  const colon = code.indexOf(':');
  if (colon >= 0) code = code.slice(0, colon);
  const hash = code.lastIndexOf('#');
  if (hash >= 0) code = code.slice(hash + 1);
  return code.trim();
}

function stringField(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
