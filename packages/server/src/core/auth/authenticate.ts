import { parseAuthorization, verifyHmacRequest } from '@mooring/protocol';
import type { RawHttpRequest } from '@mooring/protocol';
import type { AccessKeyStore } from '../iam/access-key-store.js';
import type { Clock } from '../ports/clock.js';
import type { ServiceConfig } from '../ports/service-config.js';
import { assumedRoleUser } from '../sts/credential-minter.js';
import type { SessionClaims } from '../sts/session-claims.js';
import type { SessionTokenCodec } from '../sts/session-token.js';
import type { AuthFailure, AuthResult, Principal } from './principal.js';

export interface AuthenticatorDeps {
  accessKeys: AccessKeyStore;
  codec: SessionTokenCodec;
  clock: Clock;
  config: ServiceConfig;
}

/** Global services sign for us-east-1 when called on their global endpoint (AWS SigV4 docs). */
const GLOBAL_SIGNING_REGION: Readonly<Record<string, string>> = { iam: 'us-east-1' };

type HmacReason = Exclude<ReturnType<typeof verifyHmacRequest>, { ok: true }>['reason'];

/** Every protocol-level failure collapses into one of the coarse wire-visible reasons. */
const FROM_HMAC: Readonly<Record<HmacReason, AuthFailure>> = {
  'missing-authorization': 'missing-authentication',
  'duplicated-authorization': 'incomplete-signature',
  'malformed-authorization': 'incomplete-signature',
  'unsupported-algorithm': 'incomplete-signature',
  'missing-date': 'incomplete-signature',
  'malformed-date': 'incomplete-signature',
  'date-mismatch': 'bad-signature',
  'clock-skew': 'clock-skew',
  'signed-header-missing': 'incomplete-signature',
  'host-not-signed': 'incomplete-signature',
  'bad-signature': 'bad-signature',
};

/**
 * Authenticates AWS4-HMAC-SHA256 requests (AWS SigV4 docs) signed with either a long-term key
 * ('AKIA', looked up in the store) or a temporary key ('ASIA', whose secret travels sealed in
 * X-Amz-Security-Token — no store read; AWS: "temporary credentials … must include the
 * session token"). The token is opened before the HMAC check because the HMAC needs the
 * sealed secret; GCM authentication makes the claims trustworthy before they are used.
 */
export class Authenticator {
  constructor(private readonly deps: AuthenticatorDeps) {}

  async authenticate(req: RawHttpRequest, opts: { service: string }): Promise<AuthResult> {
    const parsed = parseAuthorization(headerByName(req, 'authorization'));
    if (!parsed.ok) return fail(parsed.reason === 'missing' ? 'missing-authentication' : 'incomplete-signature');
    const auth = parsed.value;
    if (auth.algorithm !== 'AWS4-HMAC-SHA256') return fail('incomplete-signature');
    if (!this.scopeIsOurs(auth.credential, opts.service)) return fail('wrong-scope');

    const now = this.deps.clock.now();
    const tokenHeader = headerByName(req, 'x-amz-security-token');
    if (Array.isArray(tokenHeader) && tokenHeader.length > 1) return fail('invalid-token');
    const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;

    let secret: string;
    let principal: Principal;
    const keyId = auth.credential.id;
    if (keyId.startsWith('ASIA')) {
      if (token === undefined) return fail('invalid-token');
      const opened = this.deps.codec.open(token.trim());
      if (!opened.ok) return fail('invalid-token');
      const claims = opened.claims;
      // The token must belong to this key id and deployment, or a stolen token could be paired
      // with another session's key.
      if (claims.accessKeyId !== keyId || claims.accountId !== this.deps.config.accountId) return fail('invalid-token');
      if (now.getTime() >= claims.expiresAt * 1000) return fail('expired-token');
      secret = claims.secretAccessKey;
      principal = this.sessionPrincipal(claims);
    } else {
      // A long-term key never carries a token; a token here is someone else's (AWS answers
      // InvalidClientTokenId for such mismatches).
      if (token !== undefined) return fail('invalid-token');
      const key = await this.deps.accessKeys.getAccessKey(keyId);
      if (!key || key.status !== 'Active') return fail('unknown-access-key');
      secret = key.secretAccessKey;
      principal = {
        kind: 'user',
        arn: key.userArn,
        userId: key.userId,
        accountId: this.deps.config.accountId,
        accessKeyId: key.accessKeyId,
        // Only the bootstrap admin holds long-term keys today.
        isAdmin: true,
      };
    }

    const verified = verifyHmacRequest(req, auth, secret, { now });
    if (!verified.ok) return fail(FROM_HMAC[verified.reason]);
    return { ok: true, principal };
  }

  private scopeIsOurs(scope: { region: string; service: string; terminator: string }, service: string): boolean {
    if (scope.service !== service || scope.terminator !== 'aws4_request') return false;
    return scope.region === this.deps.config.region || scope.region === GLOBAL_SIGNING_REGION[service];
  }

  private sessionPrincipal(claims: SessionClaims): Principal {
    const user = assumedRoleUser(this.deps.config.partition, claims);
    return {
      kind: 'assumed-role',
      arn: user.arn,
      userId: user.assumedRoleId,
      accountId: claims.accountId,
      accessKeyId: claims.accessKeyId,
      isAdmin: false,
      session: claims,
    };
  }
}

function fail(reason: AuthFailure): { ok: false; reason: AuthFailure } {
  return { ok: false, reason };
}

/** Header lookup by lower-case name over a record whose keys may be in any case. */
function headerByName(req: RawHttpRequest, name: string): string | string[] | undefined {
  let found: string[] | undefined;
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || k.toLowerCase() !== name) continue;
    found = [...(found ?? []), ...(Array.isArray(v) ? v : [v])];
  }
  if (!found) return undefined;
  return found.length === 1 ? found[0] : found;
}
