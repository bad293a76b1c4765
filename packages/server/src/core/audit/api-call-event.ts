import type { Principal } from '../auth/principal.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { AuditEvent } from './audit-event.js';
import { auditParameters } from './audit-parameters.js';
import { auditEventId } from './event-id.js';

export type ApiEventSource = 'rolesanywhere.amazonaws.com' | 'iam.amazonaws.com' | 'sts.amazonaws.com';

/** What the transport knows about one control-plane (REST) or IAM/STS (Query) call. */
export interface ApiCallFacts {
  now: Date;
  eventSource: ApiEventSource;
  /** The operation (CreateProfile, CreateRole, GetCallerIdentity…), or the action as sent when unknown. */
  eventName: string;
  sourceIp: string;
  userAgent: string;
  /** The x-amzn-RequestId of the response. */
  requestId: string;
  /** The authenticated caller; absent when authentication failed. */
  principal?: Principal | undefined;
  /** The access key id named by an unauthenticated request's Authorization header (never the secret). */
  claimedAccessKeyId?: string | undefined;
  readOnly: boolean;
  /** The validated input (absent/empty: null in the record). */
  requestParameters?: Record<string, unknown> | null | undefined;
  /** The output object; recorded only for mutating calls (see apiCallAuditEvent). */
  responseElements?: Record<string, unknown> | null | undefined;
  error?: { code: string; message: string; reason?: string | undefined } | undefined;
}

/**
 * CloudTrail's userIdentity for the caller (CloudTrail userIdentity element reference):
 * IAMUser or AssumedRole with arn, principalId, accountId and accessKeyId, and for a role
 * session its sessionContext (issuer role, creation date, source identity). Built field by
 * field from the principal: its session claims also hold the session's secret, which must never
 * reach the trail. An unauthenticated caller is `Unknown`, with the access key id it claimed.
 */
export function userIdentityOf(principal: Principal | undefined, claimedAccessKeyId?: string): Record<string, unknown> {
  if (!principal) return { type: 'Unknown', ...(claimedAccessKeyId ? { accessKeyId: claimedAccessKeyId } : {}) };
  const base = { principalId: principal.userId, arn: principal.arn, accountId: principal.accountId, accessKeyId: principal.accessKeyId };
  const s = principal.session;
  if (principal.kind === 'assumed-role' && s) {
    return {
      type: 'AssumedRole',
      ...base,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: s.roleId, arn: s.roleArn, accountId: s.accountId, userName: s.roleName },
        attributes: { creationDate: new Date(s.issuedAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: 'false' },
        ...(s.sourceIdentity !== undefined ? { sourceIdentity: s.sourceIdentity } : {}),
      },
    };
  }
  const userName = /:user\/(?:.*\/)?([^/]+)$/.exec(principal.arn)?.[1];
  return { type: 'IAMUser', ...base, ...(userName ? { userName } : {}) };
}

/**
 * The CloudTrail-shaped record of one API call (issue [revocation-audit] item 3, service-spec
 * §10). `responseElements` is kept for mutating calls only: CloudTrail omits it for read-only
 * calls, and a List* page would otherwise copy whole resources into every record. Failed calls
 * carry errorCode/errorMessage and, when the core gave one, our typed reason in
 * `additionalEventData.failureReason`.
 */
export function apiCallAuditEvent(config: ServiceConfig, random: Random, f: ApiCallFacts): AuditEvent {
  const event: AuditEvent = {
    eventVersion: '1.08',
    eventTime: f.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: f.eventSource,
    eventName: f.eventName,
    awsRegion: config.region,
    sourceIPAddress: f.sourceIp,
    userAgent: f.userAgent,
    userIdentity: userIdentityOf(f.principal, f.claimedAccessKeyId),
    requestParameters: auditParameters(f.requestParameters),
    responseElements: f.error || f.readOnly ? null : auditParameters(f.responseElements),
    requestID: f.requestId,
    eventID: auditEventId(random, f.now.getTime()),
    readOnly: f.readOnly,
    eventType: 'AwsApiCall',
    recipientAccountId: config.accountId,
  };
  if (f.error) {
    event.errorCode = f.error.code;
    event.errorMessage = f.error.message;
    if (f.error.reason) event.additionalEventData = { failureReason: f.error.reason };
  }
  return event;
}
