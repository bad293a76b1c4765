import type { RoleStore } from '../iam/role-store.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { IssueOutcome, IssueRequest, RoleFacts, SessionIssuer } from '../session/session-issuer.js';
import { mintSessionCredentials } from './credential-minter.js';
import { PolicyParseCache } from '../session/policy-parse-cache.js';
import { checkSessionPolicies } from './session-policy-limits.js';
import type { SessionTokenCodec } from './session-token.js';

/**
 * Standalone mode: roles from Mooring's IAM store, credentials minted by Mooring's STS with a
 * sealed session token that any replica can open.
 */
export class LocalSessionIssuer implements SessionIssuer {
  /** Profiles' session policies, parsed once per distinct text. */
  private readonly sessionPolicies = new PolicyParseCache('identity', 256);

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
    // STS would refuse these session policies; so does its stand-in (session-policy-limits.ts).
    const policies = checkSessionPolicies(r.sessionPolicy, r.managedPolicyArns, (text) => this.sessionPolicies.parse(text));
    if (!policies.ok) return { ok: false, message: policies.message };
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
    return { ok: true, session: { ...issued, packedPolicySize: policies.packedPolicySize } };
  }
}

