// The one constraint table (botocore model) and its Coral messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertValidInput } from '../../src/core/errors/validate-input.js';

const message = (op: string, input: Record<string, unknown>) => {
  try {
    assertValidInput(op, input);
    return 'valid';
  } catch (e) {
    return (e as Error).message;
  }
};

test('ok/valid input and unknown members pass', () => {
  assert.equal(message('PutAttributeMapping', { profileId: 'a1b2c3d4-0000-4000-8000-000000000000', certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }], extra: 1 }), 'valid');
});

test('fail/nested members, list items, unions, blobs and sensitive values in Coral form', () => {
  assert.equal(message('CreateTrustAnchor', { name: 'n', source: { sourceData: { x509CertificateData: '', acmPcaArn: 'x' } } }),
    "2 validation errors detected: Value '' at 'source.sourceData.x509CertificateData' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
    `Value '{"x509CertificateData":"","acmPcaArn":"x"}' at 'source.sourceData' failed to satisfy constraint: Exactly one member must be set`);
  assert.equal(message('PutAttributeMapping', { profileId: 'a1b2c3d4-0000-4000-8000-000000000000', certificateField: 'x509SAN', mappingRules: [{ specifier: 'x'.repeat(61) }] }),
    `1 validation error detected: Value '${'x'.repeat(61)}' at 'mappingRules.1.member.specifier' failed to satisfy constraint: Member must have length less than or equal to 60`);
  assert.equal(message('UpdateCrl', { crlId: 'a1b2c3d4-0000-4000-8000-000000000000', crlData: '%%%' }),
    "1 validation error detected: Value '***' at 'crlData' failed to satisfy constraint: Member must be a base64-encoded blob");
  assert.equal(message('UntagResource', { resourceArn: 'arn', tagKeys: ['bad!'] }),
    "1 validation error detected: Value at 'tagKeys.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: [ a-zA-Z0-9_.:/=+@-]*");
  assert.equal(message('CreateProfile', { name: 'p', roleArns: 'not-a-list', enabled: 'yes' }),
    "2 validation errors detected: Value 'not-a-list' at 'roleArns' failed to satisfy constraint: Member must be a list; Value 'yes' at 'enabled' failed to satisfy constraint: Member must be a boolean");
});

test('fail/a list or a misplaced value where tags go is not echoed either (tag keys and values are sensitive)', () => {
  const tags = Array.from({ length: 201 }, (_, i) => ({ key: `secret-key-${i}`, value: 'secret-value' }));
  assert.equal(message('TagResource', { resourceArn: 'arn', tags }),
    "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 200");
  assert.equal(message('CreateProfile', { name: 'p', roleArns: [], tags: { key: 'secret-key', value: 'secret-value' } }),
    "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must be a list");
  assert.equal(message('UntagResource', { resourceArn: 'arn', tagKeys: 'secret-key' }),
    "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must be a list");
});
