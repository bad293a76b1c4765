// The opt-in tags of a trust anchor (docs/online-revocation.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { revocationPolicyFromTags } from '../../src/core/revocation-online/revocation-policy.js';

const tags = (o: Record<string, string>) => Object.entries(o).map(([key, value]) => ({ key, value }));

test('ok/methods and the unavailable policy are read from tags; deny is the default', () => {
  assert.deepEqual(revocationPolicyFromTags(tags({ 'mooring:revocation': 'crl-dp' })), { enabled: true, crlDp: true, ocsp: false, onUnavailable: 'deny' });
  // '+' is the documented separator: Roles Anywhere tag values cannot contain a comma (API model pattern).
  assert.deepEqual(revocationPolicyFromTags(tags({ 'mooring:revocation': 'crl-dp+ocsp' })), { enabled: true, crlDp: true, ocsp: true, onUnavailable: 'deny' });
  assert.deepEqual(revocationPolicyFromTags(tags({ 'mooring:revocation': ' OCSP crl-dp ', 'mooring:revocation-unavailable': 'Allow' })), {
    enabled: true, crlDp: true, ocsp: true, onUnavailable: 'allow',
  });
});

test('ok/no tag, an empty value, "off" or another key: disabled', () => {
  for (const t of [[], tags({ 'mooring:revocation': '' }), tags({ 'mooring:revocation': 'off' }), tags({ 'Mooring:Revocation': 'ocsp' })]) {
    assert.deepEqual(revocationPolicyFromTags(t), { enabled: false });
  }
});

test('fail/unknown method or unavailable value: enabled but invalid (the checker fails closed)', () => {
  const a = revocationPolicyFromTags(tags({ 'mooring:revocation': 'ocsp+ldap' }));
  assert.ok(a.enabled && 'invalid' in a && /ldap/.test(a.invalid));
  const b = revocationPolicyFromTags(tags({ 'mooring:revocation': 'ocsp', 'mooring:revocation-unavailable': 'maybe' }));
  assert.ok(b.enabled && 'invalid' in b && /deny or allow/.test(b.invalid));
});
