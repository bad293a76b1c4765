import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { Role } from '../iam/role.js';
import { newSecretAccessKey, newTemporaryAccessKeyId } from '../iam/iam-ids.js';
import type { SessionClaims } from './session-claims.js';
import type { SessionTokenCodec } from './session-token.js';

export interface MintInput {
  role: Pick<Role, 'arn' | 'roleId' | 'roleName'>;
  sessionName: string;
  sourceIdentity?: string;
  tags: Array<{ key: string; value: string }>;
  durationSeconds: number;
  now: Date;
  trustAnchorArn?: string;
  profileArn?: string;
  certificateSerial?: string;
  sessionPolicy?: string;
  managedPolicyArns?: string[];
}

/** STS `Credentials` + `AssumedRoleUser` (STS API reference, AssumeRole response). */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  assumedRoleUser: { arn: string; assumedRoleId: string };
}

export interface MintDeps {
  codec: SessionTokenCodec;
  random: Random;
  config: ServiceConfig;
}

/**
 * Issues temporary credentials for an already-authorised role session (trust policy, duration
 * and tag checks are the caller's). service-spec §13 items 6–7: 'ASIA' key id, 40-character
 * secret, opaque token, Expiration = now + duration, and the assumed-role ARN/id.
 */
export function mintSessionCredentials(input: MintInput, deps: MintDeps): IssuedCredentials {
  if (!Number.isInteger(input.durationSeconds) || input.durationSeconds <= 0) {
    throw new RangeError('durationSeconds must be a positive integer');
  }
  const issuedAt = Math.floor(input.now.getTime() / 1000);
  const expiresAt = issuedAt + input.durationSeconds;
  const accessKeyId = newTemporaryAccessKeyId(deps.random);
  const secretAccessKey = newSecretAccessKey(deps.random);
  const { role, sessionName } = input;

  const claims: SessionClaims = {
    accessKeyId,
    secretAccessKey,
    accountId: deps.config.accountId,
    roleArn: role.arn,
    roleId: role.roleId,
    roleName: role.roleName,
    sessionName,
    tags: input.tags.map((t) => ({ key: t.key, value: t.value })),
    issuedAt,
    expiresAt,
  };
  if (input.sourceIdentity !== undefined) claims.sourceIdentity = input.sourceIdentity;
  if (input.trustAnchorArn !== undefined) claims.trustAnchorArn = input.trustAnchorArn;
  if (input.profileArn !== undefined) claims.profileArn = input.profileArn;
  if (input.certificateSerial !== undefined) claims.certificateSerial = input.certificateSerial;
  if (input.sessionPolicy !== undefined) claims.sessionPolicy = input.sessionPolicy;
  if (input.managedPolicyArns !== undefined) claims.managedPolicyArns = [...input.managedPolicyArns];

  return {
    accessKeyId,
    secretAccessKey,
    sessionToken: deps.codec.seal(claims),
    expiration: new Date(expiresAt * 1000),
    assumedRoleUser: assumedRoleUser(deps.config.partition, claims),
  };
}

/** arn:<p>:sts::<acct>:assumed-role/<roleName>/<sessionName> and '<roleId>:<sessionName>'. */
export function assumedRoleUser(partition: string, claims: Pick<SessionClaims, 'accountId' | 'roleName' | 'roleId' | 'sessionName'>): {
  arn: string;
  assumedRoleId: string;
} {
  return {
    arn: `arn:${partition}:sts::${claims.accountId}:assumed-role/${claims.roleName}/${claims.sessionName}`,
    assumedRoleId: `${claims.roleId}:${claims.sessionName}`,
  };
}
