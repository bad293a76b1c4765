import type { SessionClaims } from '../sts/session-claims.js';

/** Who signed a request, once authenticated. */
export interface Principal {
  kind: 'user' | 'assumed-role';
  /** User ARN, or arn:<p>:sts::<acct>:assumed-role/<role>/<session>. */
  arn: string;
  /** 'AIDA…' for users, '<roleId>:<sessionName>' for sessions (aws:userid). */
  userId: string;
  accountId: string;
  accessKeyId: string;
  /** Only the bootstrap admin is an administrator for now. */
  isAdmin: boolean;
  session?: SessionClaims;
}

/**
 * Why authentication failed. Deliberately coarse: the wire error says only this much, the
 * finer protocol reason can go to the audit log.
 */
export type AuthFailure =
  | 'missing-authentication'
  | 'incomplete-signature'
  | 'unknown-access-key'
  | 'invalid-token'
  | 'expired-token'
  | 'bad-signature'
  | 'clock-skew'
  | 'wrong-scope';

export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: AuthFailure };
