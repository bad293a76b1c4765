// The expiry evaluator's decision table (service-spec §9) and the EventBridge shape.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateExpiryNotifications, caNotificationKey, endEntityNotificationKey, type AnchorForEvaluation } from '../../src/core/notifications/evaluate-expiry.js';
import { eventBridgeSerial, toEventBridgeEvent } from '../../src/core/notifications/expiry-event.js';
import type { EndEntityCertificateFact } from '../../src/core/notifications/expiry-facts.js';
import type { NotificationSetting } from '../../src/core/roles-anywhere/trust-anchor.js';

const DAY = 86_400_000;
const now = new Date('2025-03-10T12:00:00Z');
const inDays = (d: number, extraMs = 0) => new Date(now.getTime() + d * DAY + extraMs);
const setting = (event: NotificationSetting['event'], enabled = true, threshold?: number): NotificationSetting => ({
  event, enabled, channel: 'ALL', configuredBy: '111122223333', ...(threshold !== undefined ? { threshold } : {}),
});
const ARN = 'arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/ta1';

function anchor(caExpiries: Date[], settings: NotificationSetting[] = [setting('CA_CERTIFICATE_EXPIRY', true, 45), setting('END_ENTITY_CERTIFICATE_EXPIRY', true, 45)]): AnchorForEvaluation {
  return {
    trustAnchorId: 'ta1',
    trustAnchorArn: ARN,
    notificationSettings: settings,
    caCertificates: caExpiries.map((notAfter, i) => ({ trustAnchorId: 'ta1', trustAnchorArn: ARN, serialHex: `0${i + 1}`, issuer: 'CN=Root', notAfter })),
  };
}
const ee = (notAfter: Date, lastSeenAt = new Date(now.getTime() - 3600_000), trustAnchorIds = ['ta1']): EndEntityCertificateFact => ({
  serialHex: '93', issuer: 'CN=Root', notAfter, lastSeenAt, trustAnchorIds,
});
const run = (anchors: AnchorForEvaluation[], ees: EndEntityCertificateFact[] = [], lastSent = new Map<string, Date>()) =>
  evaluateExpiryNotifications({ trustAnchors: anchors, endEntityCertificates: ees, now, lastSent });

describe('CA expiry', () => {
  const cases: Array<[string, Date, number | undefined, boolean]> = [
    ['ok/inside the threshold', inDays(10, 1000), 45, true],
    ['ok/exactly at the threshold', inDays(45, 1000), 45, true],
    ['fail/one day beyond the threshold', inDays(46, 1000), 45, false],
    ['ok/custom threshold 7 days', inDays(6, 1000), 7, true],
    ['fail/custom threshold 7, 8 days left', inDays(8, 1000), 7, false],
    ['ok/expired 14 days ago still reported (EventBridge channel)', inDays(-14, 1000), 45, true],
    ['fail/expired 15 days ago no longer reported', inDays(-15, 1000), 45, false],
  ];
  for (const [name, notAfter, threshold, expected] of cases) {
    test(name, () => {
      const due = run([anchor([notAfter], [setting('CA_CERTIFICATE_EXPIRY', true, threshold)])]);
      assert.equal(due.length, expected ? 1 : 0);
      if (expected) {
        assert.equal(due[0]!.event, 'CA_CERTIFICATE_EXPIRY');
        assert.equal(due[0]!.trustAnchorArn, ARN);
        assert.equal(due[0]!.key, caNotificationKey('ta1'));
      }
    });
  }

  test('fail/a disabled setting skips the event', () => {
    assert.equal(run([anchor([inDays(3)], [setting('CA_CERTIFICATE_EXPIRY', false, 45)])]).length, 0);
  });

  test('ok/the soonest-expiring CA in the window decides; one event per anchor', () => {
    const due = run([anchor([inDays(40, 1000), inDays(5, 1000), inDays(-30)])]);
    assert.equal(due.length, 1);
    assert.equal(due[0]!.serialHex, '02');
    assert.equal(due[0]!.daysToExpiry, 5);
  });

  test('fail/at most once a day: sent earlier today is not repeated; yesterday is', () => {
    const a = anchor([inDays(3)]);
    assert.equal(run([a], [], new Map([[caNotificationKey('ta1'), new Date('2025-03-10T00:05:00Z')]])).length, 0);
    assert.equal(run([a], [], new Map([[caNotificationKey('ta1'), new Date('2025-03-09T23:59:00Z')]])).length, 1);
  });

  test('ok/a missing threshold defaults to 45 days', () => {
    assert.equal(run([anchor([inDays(44, 1000)], [setting('CA_CERTIFICATE_EXPIRY', true)])]).length, 1);
    assert.equal(run([anchor([inDays(46, 1000)], [setting('CA_CERTIFICATE_EXPIRY', true)])]).length, 0);
  });
});

describe('end-entity expiry', () => {
  const far = [inDays(1000)];
  test('ok/a certificate used in the last day inside the threshold', () => {
    const due = run([anchor(far)], [ee(inDays(20, 1000))]);
    assert.equal(due.length, 1);
    assert.equal(due[0]!.event, 'END_ENTITY_CERTIFICATE_EXPIRY');
    assert.equal(due[0]!.trustAnchorArn, undefined);
    assert.equal(due[0]!.key, endEntityNotificationKey('CN=Root', '93'));
    assert.equal(due[0]!.daysToExpiry, 20);
  });
  test('fail/not used in the last day', () => {
    assert.equal(run([anchor(far)], [ee(inDays(20), new Date(now.getTime() - DAY - 1000))]).length, 0);
  });
  test('ok/on the day of expiry; fail/after it (EE events stop at expiry)', () => {
    assert.equal(run([anchor(far)], [ee(inDays(0, 3600_000))]).length, 1);
    assert.equal(run([anchor(far)], [ee(inDays(0, -3600_000))]).length, 0);
  });
  test('fail/disabled EE setting, or no anchor for the issuer', () => {
    assert.equal(run([anchor(far, [setting('END_ENTITY_CERTIFICATE_EXPIRY', false, 45)])], [ee(inDays(5))]).length, 0);
    assert.equal(run([anchor(far)], [ee(inDays(5), undefined, [])]).length, 0);
  });
  test('fail/outside the threshold; once a day', () => {
    assert.equal(run([anchor(far, [setting('END_ENTITY_CERTIFICATE_EXPIRY', true, 10)])], [ee(inDays(11, 1000))]).length, 0);
    assert.equal(run([anchor(far)], [ee(inDays(5))], new Map([[endEntityNotificationKey('CN=Root', '93'), new Date(now.getTime() - 60_000)]])).length, 0);
  });
});

describe('EventBridge event', () => {
  test('ok/serial in AWS form: uppercase hex with the sign byte', () => {
    assert.equal(eventBridgeSerial('936eacbe07f201df'), '00936EACBE07F201DF');
    assert.equal(eventBridgeSerial('01'), '01');
    assert.equal(eventBridgeSerial('7f'), '7F');
    assert.equal(eventBridgeSerial('abc'), '0ABC');
  });

  test('ok/CA events carry resources; EE events do not', () => {
    const cfg = { partition: 'aws', region: 'us-west-1', accountId: '123456789012' };
    const random = { uuid: () => 'e1', bytes: (n: number) => Buffer.alloc(n) };
    const ca = toEventBridgeEvent({ key: 'k', event: 'CA_CERTIFICATE_EXPIRY', trustAnchorArn: ARN, serialHex: '936eacbe07f201df', issuer: 'L=Seattle,CN=CA Root v1,ST=Washington,C=US', notAfter: now, daysToExpiry: 3 }, cfg, random, now);
    assert.deepEqual(ca, {
      version: '0', id: 'e1', 'detail-type': 'Roles Anywhere Certificate Expiration State Change', source: 'aws.rolesanywhere',
      account: '123456789012', time: '2025-03-10T12:00:00Z', region: 'us-west-1', resources: [ARN],
      detail: { 'certificate-serial-number': '00936EACBE07F201DF', 'days-to-expiry': 3, issuer: 'L=Seattle,CN=CA Root v1,ST=Washington,C=US' },
    });
    const e = toEventBridgeEvent({ key: 'k', event: 'END_ENTITY_CERTIFICATE_EXPIRY', serialHex: '01', issuer: 'CN=x', notAfter: now, daysToExpiry: 1 }, cfg, random, now);
    assert.equal('resources' in e, false);
  });
});
