import type { AuditEvent } from '../audit/audit-event.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { ExpiryEventBridgeEvent } from './expiry-event.js';

export const EXPIRY_AUDIT_EVENT_NAME = 'CertificateExpirationStateChange';

/**
 * The audit record of one emitted expiry notification. CloudTrail records what a service does on
 * its own as `eventType: AwsServiceEvent` with the service as `userIdentity` and the payload in
 * `serviceEventDetails` (CloudTrail record contents reference); this record follows that, with
 * the full EventBridge event as `serviceEventDetails` and its id as `requestID`.
 * AuditEvent's type names only AwsApiCall, hence the one widening cast below (the hash chain and
 * the JSON-lines file store any JSON object).
 */
export function expiryNotificationAuditEvent(config: ServiceConfig, random: Random, event: ExpiryEventBridgeEvent): AuditEvent {
  const record = {
    eventVersion: '1.08',
    eventTime: event.time,
    eventSource: 'rolesanywhere.amazonaws.com',
    eventName: EXPIRY_AUDIT_EVENT_NAME,
    awsRegion: config.region,
    sourceIPAddress: 'rolesanywhere.amazonaws.com',
    userAgent: 'rolesanywhere.amazonaws.com',
    userIdentity: { type: 'AWSService', invokedBy: 'rolesanywhere.amazonaws.com' },
    requestParameters: null,
    responseElements: null,
    requestID: event.id,
    eventID: random.uuid(),
    readOnly: false,
    eventType: 'AwsServiceEvent',
    recipientAccountId: config.accountId,
    ...(event.resources ? { resources: event.resources.map((arn) => ({ ARN: arn, accountId: config.accountId, type: 'AWS::RolesAnywhere::TrustAnchor' })) } : {}),
    serviceEventDetails: event,
  };
  return record as unknown as AuditEvent;
}
