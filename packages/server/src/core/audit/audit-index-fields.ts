import type { AuditEvent } from './audit-event.js';

/**
 * Certificate serials compare as numbers, whatever the spelling: `01`, `1`, `0x01` and
 * `00:01` are one serial (RFC 5280 §4.1.2.2: a positive INTEGER). Lowercase hex without
 * separators or leading zeros; `undefined` when the input is not hex.
 */
export function normalizeSerialHex(input: string): string | undefined {
  const s = input.trim().toLowerCase().replace(/^0x/, '').replace(/[:\s]/g, '');
  if (!/^[0-9a-f]+$/.test(s)) return undefined;
  return s.replace(/^0+/, '') || '0';
}

/** The columns the trail is searched by, taken from the CloudTrail record. */
export interface AuditIndexFields {
  /** Normalised hex serial of the client certificate (CreateSession records). */
  serial: string | null;
  /** `requestParameters.roleArn`, as sent (CreateSession and calls naming a role by ARN). */
  roleArn: string | null;
  /** Milliseconds since the epoch of `eventTime` (so ranges compare numerically). */
  eventMs: number;
}

export function auditIndexFields(event: AuditEvent): AuditIndexFields {
  const cert = (event.userIdentity as { certificate?: { serialNumber?: unknown } }).certificate;
  const serial = typeof cert?.serialNumber === 'string' ? (normalizeSerialHex(cert.serialNumber) ?? null) : null;
  const role = event.requestParameters?.roleArn;
  const ms = Date.parse(event.eventTime);
  return { serial, roleArn: typeof role === 'string' ? role : null, eventMs: Number.isFinite(ms) ? ms : 0 };
}
