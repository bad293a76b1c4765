/**
 * Everything a temporary credential stands for, sealed inside its session token so any replica
 * holding the token keys can authenticate a request without a database read.
 * Field meanings follow STS AssumeRole (role, session name, source identity, session tags,
 * session policies) plus the Roles Anywhere context that produced the session.
 */
export interface SessionClaims {
  /** 'ASIA…' — must equal the SigV4 Credential id the token arrives with. */
  accessKeyId: string;
  /** The session's secret, needed to verify the HMAC; only ever stored encrypted, in the token. */
  secretAccessKey: string;
  accountId: string;
  roleArn: string;
  roleId: string;
  roleName: string;
  sessionName: string;
  sourceIdentity?: string;
  tags: Array<{ key: string; value: string }>;
  /** Epoch seconds. */
  issuedAt: number;
  /** Epoch seconds. */
  expiresAt: number;
  trustAnchorArn?: string;
  profileArn?: string;
  /** Lower-case hex serial of the authenticating certificate. */
  certificateSerial?: string;
  sessionPolicy?: string;
  managedPolicyArns?: string[];
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

function optional(o: Record<string, unknown>, key: string, check: (v: unknown) => boolean): boolean {
  return o[key] === undefined || check(o[key]);
}

/**
 * Structural check of decrypted claims. A token that decrypts under our key was sealed by us,
 * but checking the shape keeps a future layout change from reaching callers half-parsed.
 */
export function isSessionClaims(value: unknown): value is SessionClaims {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  const required = ['accessKeyId', 'secretAccessKey', 'accountId', 'roleArn', 'roleId', 'roleName', 'sessionName'];
  if (!required.every((k) => isString(o[k]))) return false;
  if (!Number.isInteger(o.issuedAt) || !Number.isInteger(o.expiresAt)) return false;
  if (!Array.isArray(o.tags) || !o.tags.every((t) => typeof t === 'object' && t !== null && isString(t.key) && isString(t.value))) {
    return false;
  }
  return (
    ['sourceIdentity', 'trustAnchorArn', 'profileArn', 'certificateSerial', 'sessionPolicy'].every((k) => optional(o, k, isString)) &&
    optional(o, 'managedPolicyArns', (v) => Array.isArray(v) && v.every(isString))
  );
}
