import type { SubjectAttemptWrite } from '../roles-anywhere/subject-attempt.js';

/**
 * One audit record in CloudTrail's shape (service-spec §10), so operators can reuse their
 * tooling. `additionalEventData` carries Mooring's typed reason and lenient-signing deviations.
 * Never holds a secret access key, session token or private key.
 */
export interface AuditEvent {
  eventVersion: '1.08';
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  userIdentity: Record<string, unknown>;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall';
  recipientAccountId: string;
  additionalEventData?: Record<string, unknown>;
}

/** Writes that must commit in the same transaction as an audit record. */
export interface AuditCompanionWrites {
  /** CreateSession's attempt on an existing subject (service-spec §8). */
  subjectAttempt?: SubjectAttemptWrite;
}

/**
 * Durable sink: `record` resolves only once the event is stored (issue [revocation-audit]),
 * together with its companion writes, in one transaction (issue [scale] item 5).
 */
export interface AuditSink {
  record(event: AuditEvent, writes?: AuditCompanionWrites): Promise<void>;
}
