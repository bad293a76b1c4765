import { CreateSessionError } from './create-session-error.js';

/**
 * Temporary credentials from CreateSession, mapped from the wire shape
 * `credentialSet[0].credentials` (AWS IAM Roles Anywhere API reference, CreateSession
 * "Response Syntax"; signing-helper-spec §3).
 * @public
 */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Exactly as the service sent it; `credential_process` output copies it verbatim. */
  expiration: string;
  /** The whole parsed response body (contains the secrets: do not log it). */
  raw: unknown;
}

const FIELDS = ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration'] as const;

/**
 * Validates a 2xx body. Where the official helper dereferences nil and panics on a missing
 * field (spec §3), this names the missing field; the message never includes field values.
 * @internal
 */
export function parseSessionResponse(body: Buffer, statusCode: number): SessionCredentials {
  const fail = (message: string): CreateSessionError =>
    new CreateSessionError({ code: 'InvalidResponse', message, fault: 'response', statusCode });
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    throw fail('CreateSession response is not valid JSON');
  }
  const set = isObject(raw) ? raw.credentialSet : undefined;
  if (set !== undefined && set !== null && !Array.isArray(set)) throw fail('CreateSession response has an invalid credentialSet');
  const first: unknown = Array.isArray(set) ? set[0] : undefined;
  if (first === undefined) throw fail('unable to obtain temporary security credentials from CreateSession');
  const creds = isObject(first) ? first.credentials : undefined;
  if (!isObject(creds)) throw fail('CreateSession response is missing credentialSet[0].credentials');
  const out: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = creds[field];
    if (typeof value !== 'string' || value === '') {
      throw fail(`CreateSession response is missing credentialSet[0].credentials.${field}`);
    }
    out[field] = value;
  }
  return {
    accessKeyId: out.accessKeyId as string,
    secretAccessKey: out.secretAccessKey as string,
    sessionToken: out.sessionToken as string,
    expiration: out.expiration as string,
    raw,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
