import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { DueNotification } from './evaluate-expiry.js';

export const EXPIRY_DETAIL_TYPE = 'Roles Anywhere Certificate Expiration State Change';
export const EXPIRY_EVENT_SOURCE = 'aws.rolesanywhere';

/**
 * An EventBridge event exactly as IAM Roles Anywhere emits it (service-spec §9; EventBridge
 * event structure reference). `resources` is present only for CA events (the trust anchor).
 */
export interface ExpiryEventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': typeof EXPIRY_DETAIL_TYPE;
  source: typeof EXPIRY_EVENT_SOURCE;
  account: string;
  time: string;
  region: string;
  resources?: string[];
  detail: {
    'certificate-serial-number': string;
    'days-to-expiry': number;
    issuer: string;
  };
}

/**
 * The serial as AWS shows it: uppercase hex of the DER INTEGER content octets, i.e. with the
 * 00 sign byte when the magnitude's top bit is set (`00936EACBE07F201DF`; X.690 §8.3.2,
 * RFC 5280 §4.1.2.2 serials are positive).
 */
export function eventBridgeSerial(serialHex: string): string {
  let hex = serialHex.toLowerCase().replace(/^0+(?=..)/, '');
  if (hex.length % 2) hex = `0${hex}`;
  if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return hex.toUpperCase();
}

export function toEventBridgeEvent(due: DueNotification, config: ServiceConfig, random: Random, now: Date): ExpiryEventBridgeEvent {
  return {
    version: '0',
    id: random.uuid(),
    'detail-type': EXPIRY_DETAIL_TYPE,
    source: EXPIRY_EVENT_SOURCE,
    account: config.accountId,
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: config.region,
    ...(due.event === 'CA_CERTIFICATE_EXPIRY' && due.trustAnchorArn ? { resources: [due.trustAnchorArn] } : {}),
    detail: {
      'certificate-serial-number': eventBridgeSerial(due.serialHex),
      'days-to-expiry': due.daysToExpiry,
      issuer: due.issuer,
    },
  };
}
