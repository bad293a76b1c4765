/**
 * CreateSession wire shapes (service-spec §4.1, signing-helper-spec §2.1 and §3). The three ARNs
 * may arrive in the query string (Go helper) or in this body (Java plugin); the server accepts
 * both.
 */

/** JSON body of `POST /sessions`. */
export interface CreateSessionBody {
  /** 900..43200. */
  durationSeconds?: number;
  roleSessionName?: string;
  /** Deprecated ("no longer used"); ignored. */
  sessionName?: string;
  instanceProperties?: Record<string, string>;
  profileArn?: string;
  roleArn?: string;
  trustAnchorArn?: string;
}

export interface CreateSessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** RFC 3339 UTC to the second (`rfc3339Seconds`). */
  expiration: string;
}

export interface CreateSessionCredentialSetEntry {
  assumedRoleUser: { arn: string; assumedRoleId: string };
  credentials: CreateSessionCredentials;
  packedPolicySize: number;
  roleArn: string;
  sourceIdentity: string;
}

/** Body of the HTTP 201 response. */
export interface CreateSessionResponse {
  credentialSet: CreateSessionCredentialSetEntry[];
  subjectArn: string;
}
