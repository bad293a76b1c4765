import type { RoleStore } from '../iam/role-store.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { IssueOutcome, IssueRequest, RoleFacts, SessionIssuer } from '../session/session-issuer.js';
import { mintSessionCredentials } from './credential-minter.js';
import type { SessionTokenCodec } from './session-token.js';

/**
 * Standalone mode: roles from Mooring's IAM store, credentials minted by Mooring's STS with a
 * sealed session token that any replica can open.
 */
export class LocalSessionIssuer implements SessionIssuer {
  constructor(private readonly deps: { roles: RoleStore; codec: SessionTokenCodec; random: Random; config: ServiceConfig }) {}

  async findRole(roleArn: string): Promise<RoleFacts | undefined> {
    const { config } = this.deps;
    const prefix = `arn:${config.partition}:iam::${config.accountId}:role/`;
    if (!roleArn.startsWith(prefix)) return undefined;
    const name = roleArn.slice(prefix.length).split('/').pop();
    const role = name ? await this.deps.roles.getRole(name) : undefined;
    // The ARN must match exactly, path included: a role re-created under another path is another role.
    return role && role.arn === roleArn ? role : undefined;
  }

  async issue(r: IssueRequest): Promise<IssueOutcome> {
    const issued = mintSessionCredentials(
      {
        role: r.role,
        sessionName: r.sessionName,
        sourceIdentity: r.sourceIdentity,
        tags: [...r.tags],
        durationSeconds: r.durationSeconds,
        now: r.now,
        trustAnchorArn: r.trustAnchorArn,
        profileArn: r.profileArn,
        certificateSerial: r.certificateSerial,
        ...(r.sessionPolicy !== undefined ? { sessionPolicy: r.sessionPolicy } : {}),
        ...(r.managedPolicyArns !== undefined ? { managedPolicyArns: r.managedPolicyArns } : {}),
      },
      this.deps,
    );
    return { ok: true, session: { ...issued, packedPolicySize: packedPolicySize(r.sessionPolicy, r.managedPolicyArns) } };
  }
}

/**
 * STS reports the packed size of session policies and tags as a percentage of its limit. We
 * approximate it from the plaintext policy size against STS's 2048-character limit (§13.3).
 */
export function packedPolicySize(sessionPolicy?: string, managed?: string[]): number {
  const chars = (sessionPolicy?.length ?? 0) + (managed ?? []).reduce((n, a) => n + a.length, 0);
  return chars === 0 ? 0 : Math.ceil((chars / 2048) * 100);
}
