import type { NotificationEvent, NotificationSetting } from '../roles-anywhere/trust-anchor.js';
import { daysToExpiry, type CaCertificateFact, type EndEntityCertificateFact } from './expiry-facts.js';

/** service-spec §9: "14 days after expiry" is when CA events stop on the EventBridge channel. */
export const CA_EVENTS_AFTER_EXPIRY_DAYS = 14;
/** The threshold AWS applies when a setting carries none (service-spec §9 defaults). */
export const DEFAULT_THRESHOLD_DAYS = 45;

export interface AnchorForEvaluation {
  trustAnchorId: string;
  trustAnchorArn: string;
  notificationSettings: readonly NotificationSetting[];
  caCertificates: readonly CaCertificateFact[];
}

export interface ExpiryEvaluationInput {
  trustAnchors: readonly AnchorForEvaluation[];
  /** Certificates that authenticated in the last day (see endEntityCertificatesFrom). */
  endEntityCertificates: readonly EndEntityCertificateFact[];
  now: Date;
  /** When each notification key was last emitted (NotificationStateStore). */
  lastSent: ReadonlyMap<string, Date>;
}

export interface DueNotification {
  /** The "at most once a day" key: one per trust anchor for CA events, one per certificate for EE events. */
  key: string;
  event: NotificationEvent;
  /** Set for CA events only: the anchor is the event's resource. */
  trustAnchorArn?: string;
  serialHex: string;
  issuer: string;
  notAfter: Date;
  daysToExpiry: number;
}

export function caNotificationKey(trustAnchorId: string): string {
  return `CA_CERTIFICATE_EXPIRY/${trustAnchorId}`;
}

export function endEntityNotificationKey(issuer: string, serialHex: string): string {
  return `END_ENTITY_CERTIFICATE_EXPIRY/${serialHex}/${issuer}`;
}

function enabledSetting(settings: readonly NotificationSetting[], event: NotificationEvent): NotificationSetting | undefined {
  // Channel is always ALL in the public model (service-spec §3.6), so (event) picks the setting.
  return settings.find((s) => s.event === event && s.enabled);
}

/**
 * "At most once a day" (service-spec §9), as one emission per key per UTC calendar day: the
 * start of `now`'s day, from which on a key counts as sent (also the `since` of a claim).
 */
export function notificationDayStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function sentToday(lastSent: ReadonlyMap<string, Date>, key: string, now: Date): boolean {
  const at = lastSent.get(key);
  return at !== undefined && notificationDayStart(at).getTime() === notificationDayStart(now).getTime();
}

/**
 * Which expiry notifications are due now (service-spec §9 "Evaluation criteria"). Pure: the
 * caller supplies the anchors, the recently used certificates, the clock and the send history.
 * - A disabled setting skips its event entirely.
 * - CA expiry (EventBridge channel): due when days to expiry ≤ threshold, until 14 days after
 *   expiry. An anchor holding several CA certificates yields one event, for the soonest-expiring
 *   certificate inside that window.
 * - End-entity expiry: only certificates used to authenticate over the last day; due when days
 *   to expiry ≤ threshold, until the day of expiry (days ≥ 0). A certificate under several
 *   anchors is evaluated with the most generous enabled threshold among them, and yields one
 *   event (EE events name no resource).
 * - Each key at most once per UTC day.
 */
export function evaluateExpiryNotifications(input: ExpiryEvaluationInput): DueNotification[] {
  const { now, lastSent } = input;
  const due: DueNotification[] = [];
  const byId = new Map(input.trustAnchors.map((ta) => [ta.trustAnchorId, ta]));

  for (const ta of input.trustAnchors) {
    const setting = enabledSetting(ta.notificationSettings, 'CA_CERTIFICATE_EXPIRY');
    if (!setting) continue;
    const threshold = setting.threshold ?? DEFAULT_THRESHOLD_DAYS;
    const inWindow = ta.caCertificates
      .map((c) => ({ c, days: daysToExpiry(c.notAfter, now) }))
      .filter(({ days }) => days <= threshold && days >= -CA_EVENTS_AFTER_EXPIRY_DAYS)
      .sort((a, b) => a.c.notAfter.getTime() - b.c.notAfter.getTime());
    const soonest = inWindow[0];
    const key = caNotificationKey(ta.trustAnchorId);
    if (!soonest || sentToday(lastSent, key, now)) continue;
    due.push({
      key,
      event: 'CA_CERTIFICATE_EXPIRY',
      trustAnchorArn: ta.trustAnchorArn,
      serialHex: soonest.c.serialHex,
      issuer: soonest.c.issuer,
      notAfter: soonest.c.notAfter,
      daysToExpiry: soonest.days,
    });
  }

  for (const ee of input.endEntityCertificates) {
    const age = now.getTime() - ee.lastSeenAt.getTime();
    if (age < 0 || age > 24 * 3600 * 1000) continue;
    const thresholds = ee.trustAnchorIds
      .map((id) => byId.get(id))
      .map((ta) => (ta ? enabledSetting(ta.notificationSettings, 'END_ENTITY_CERTIFICATE_EXPIRY') : undefined))
      .filter((s): s is NotificationSetting => s !== undefined)
      .map((s) => s.threshold ?? DEFAULT_THRESHOLD_DAYS);
    if (thresholds.length === 0) continue;
    const days = daysToExpiry(ee.notAfter, now);
    const key = endEntityNotificationKey(ee.issuer, ee.serialHex);
    if (days < 0 || days > Math.max(...thresholds) || sentToday(lastSent, key, now)) continue;
    due.push({ key, event: 'END_ENTITY_CERTIFICATE_EXPIRY', serialHex: ee.serialHex, issuer: ee.issuer, notAfter: ee.notAfter, daysToExpiry: days });
  }
  return due;
}
