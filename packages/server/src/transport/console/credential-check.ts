import { signHmacRequest } from '@mooring/protocol';
import type { Authenticator } from '../../core/auth/authenticate.js';
import type { AuthFailure, Principal } from '../../core/auth/principal.js';
import type { Clock } from '../../core/ports/clock.js';
import type { ServiceConfig } from '../../core/ports/service-config.js';

export interface ConsoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type CredentialCheck =
  | { ok: true; principal: Principal; /** epoch ms the credentials stop being valid, if they expire */ credentialExpiresAt?: number }
  | { ok: false; reason: AuthFailure | 'malformed-input' };

/** Shapes of AWS key ids and secrets (IAM API Reference, AccessKey: 16–128 chars, [\w]+). */
const KEY_ID = /^[A-Z0-9]{16,128}$/;
const PRINTABLE = /^[\x21-\x7e]+$/;

/**
 * Verifies console sign-in credentials with exactly the API's authentication logic, without
 * storing the secret: the submitted key signs a synthetic SigV4 request in memory and the
 * `Authenticator` verifies it. For a long-term key that compares HMACs derived from the stored
 * secret with `timingSafeEqual` (constant time); for temporary credentials it opens the session
 * token with the codec (AES-GCM authenticated), checks key id, account and expiry, and verifies
 * the HMAC under the sealed secret. The synthetic request never leaves the process.
 */
export async function checkConsoleCredentials(
  deps: { authenticator: Authenticator; clock: Clock; config: ServiceConfig },
  creds: ConsoleCredentials,
): Promise<CredentialCheck> {
  const { accessKeyId, secretAccessKey, sessionToken } = creds;
  if (!KEY_ID.test(accessKeyId) || secretAccessKey.length > 256 || !PRINTABLE.test(secretAccessKey)) return { ok: false, reason: 'malformed-input' };
  if (sessionToken !== undefined && (sessionToken.length > 16384 || !PRINTABLE.test(sessionToken))) return { ok: false, reason: 'malformed-input' };
  const signed = signHmacRequest(
    { method: 'POST', path: '/console/sign-in', query: '', headers: { host: 'console.mooring.invalid' }, body: '' },
    { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    { region: deps.config.region, service: 'rolesanywhere', date: deps.clock.now() },
  );
  const auth = await deps.authenticator.authenticate(signed, { service: 'rolesanywhere' });
  if (!auth.ok) return auth;
  const exp = auth.principal.session?.expiresAt;
  return exp === undefined ? { ok: true, principal: auth.principal } : { ok: true, principal: auth.principal, credentialExpiresAt: exp * 1000 };
}
