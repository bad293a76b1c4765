import type { ParsedCertificate } from '@mooring/pki';
import type { AuditEvent } from '../audit/audit-event.js';
import type { SubjectAttemptWrite } from '../roles-anywhere/subject-attempt.js';
import type { ServiceError } from '../errors/service-error.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import { leafStrings } from './leaf-strings.js';
import type { CreateSessionCall } from './create-session-service.js';
import type { CreateSessionParams } from './create-session-input.js';
import { auditEventId } from '../audit/event-id.js';

/** What the pipeline learned before it stopped; filled in step by step. */
export interface SessionAuditFacts {
  call: CreateSessionCall;
  now: Date;
  params?: CreateSessionParams;
  leaf?: ParsedCertificate;
  deviations?: string[];
  sessionName?: string;
  sourceIdentity?: string;
  accessKeyId?: string;
  subjectArn?: string;
  detail?: string | undefined;
  /** Enabled CRLs of the anchor that were past their nextUpdate (flagged, service-spec §7). */
  staleCrlIds?: string[];
  /** Enabled CRLs named after a path CA that did not sign them, so ignored (revocation-checker.ts). */
  unverifiedCrlIds?: string[];
  /** Online revocation status that could not be had, under an anchor that allows that (docs/online-revocation.md). */
  revocationUnavailable?: string[];
  /** The subject this attempt belongs to, once known (created by ensureSubject if new). */
  subject?: { subjectId: string; subjectArn: string };
  /** The attempt to record on an existing subject, committed with the audit record. */
  subjectAttempt?: SubjectAttemptWrite;
}

/**
 * The CloudTrail-shaped record of one CreateSession (service-spec §10). It names the
 * certificate by serial, subject and issuer, and the issued access key id, never the secret
 * or the token. `additionalEventData.failureReason` is our typed reason code.
 */
export function sessionAuditEvent(config: ServiceConfig, random: Random, f: SessionAuditFacts, error: ServiceError | undefined): AuditEvent {
  const cert = f.leaf
    ? { serialNumber: f.leaf.serialHex, subject: leafStrings(f.leaf).subject, issuer: leafStrings(f.leaf).issuer, notAfter: f.leaf.notAfter.toISOString() }
    : undefined;
  const additional: Record<string, unknown> = {};
  if (f.deviations && f.deviations.length > 0) additional.signingDeviations = f.deviations;
  if (error) additional.failureReason = error.reason ?? error.code;
  if (f.detail) additional.failureDetail = f.detail;
  if (f.staleCrlIds && f.staleCrlIds.length > 0) additional.staleCrlIds = f.staleCrlIds;
  if (f.unverifiedCrlIds && f.unverifiedCrlIds.length > 0) additional.unverifiedCrlIds = f.unverifiedCrlIds;
  if (f.revocationUnavailable && f.revocationUnavailable.length > 0) additional.revocationUnavailable = f.revocationUnavailable;
  const event: AuditEvent = {
    eventVersion: '1.08',
    eventTime: f.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'rolesanywhere.amazonaws.com',
    eventName: 'CreateSession',
    awsRegion: config.region,
    sourceIPAddress: f.call.sourceIp,
    userAgent: f.call.userAgent,
    userIdentity: cert ? { type: 'X509Certificate', certificate: cert } : { type: 'Unknown' },
    requestParameters: f.params
      ? { ...f.params, ...(f.sessionName ? { sessionName: f.sessionName } : {}) }
      : null,
    responseElements: error
      ? null
      : { accessKeyId: f.accessKeyId, subjectArn: f.subjectArn, sourceIdentity: f.sourceIdentity, roleSessionName: f.sessionName },
    requestID: f.call.requestId,
    eventID: auditEventId(random, f.now.getTime()),
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: config.accountId,
  };
  if (error) {
    event.errorCode = error.code;
    event.errorMessage = error.message;
  }
  if (Object.keys(additional).length > 0) event.additionalEventData = additional;
  return event;
}
