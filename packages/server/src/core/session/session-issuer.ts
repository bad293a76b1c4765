import type { SessionTag } from './session-tags.js';

/** What the pipeline needs to know about the target role (IAM GetRole). */
export interface RoleFacts {
  arn: string;
  roleId: string;
  roleName: string;
  /** The trust policy, JSON text. */
  assumeRolePolicyDocument: string;
  maxSessionDuration: number;
}

/** The internal AssumeRole of service-spec §4.7, after every Roles Anywhere check passed. */
export interface IssueRequest {
  role: RoleFacts;
  sessionName: string;
  sourceIdentity: string;
  tags: readonly SessionTag[];
  durationSeconds: number;
  now: Date;
  trustAnchorArn: string;
  profileArn: string;
  certificateSerial: string;
  sessionPolicy?: string;
  managedPolicyArns?: string[];
}

export interface IssuedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  assumedRoleUser: { arn: string; assumedRoleId: string };
  /** STS's packed policy size, a percentage of its limit. */
  packedPolicySize: number;
}

/** A refusal from the issuing STS; `message` is appended to "Unable to assume role for <arn>." */
export type IssueOutcome = { ok: true; session: IssuedSession } | { ok: false; message: string };

/**
 * Where roles live and who issues the session: Mooring's own IAM and STS (standalone), or AWS
 * IAM and STS AssumeRole (broker mode). The Roles Anywhere checks before it are the same in both.
 */
export interface SessionIssuer {
  findRole(roleArn: string): Promise<RoleFacts | undefined>;
  issue(request: IssueRequest): Promise<IssueOutcome>;
}
