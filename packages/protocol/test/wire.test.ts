// Wire helpers: ARNs, timestamps, error table, ECDSA signature encodings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { derEcdsaToRaw, formatArn, isoMicros, parseArn, rawEcdsaToDer, rfc3339Seconds, WIRE_ERRORS } from '../src/index.js';

test('ok/parseArn and formatArn round trip, resource may contain : and /', () => {
  const cases = [
    ['arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/0ace5b12-24b9-427e-a483-c55884852fbf',
      { partition: 'aws', service: 'rolesanywhere', region: 'us-east-1', accountId: '000000000000', resource: 'trust-anchor/0ace5b12-24b9-427e-a483-c55884852fbf' }],
    ['arn:aws:iam::000000000000:role/path/to/Role', { partition: 'aws', service: 'iam', region: '', accountId: '000000000000', resource: 'role/path/to/Role' }],
    ['arn:aws-cn:sts::1:assumed-role/r/s', { partition: 'aws-cn', service: 'sts', region: '', accountId: '1', resource: 'assumed-role/r/s' }],
    ['arn:aws:logs:eu-west-1:1:log-group:/a/b:*', { partition: 'aws', service: 'logs', region: 'eu-west-1', accountId: '1', resource: 'log-group:/a/b:*' }],
  ] as const;
  for (const [text, arn] of cases) {
    assert.deepEqual(parseArn(text), arn);
    assert.equal(formatArn(arn), text);
  }
});

test('fail/parseArn rejects non-ARNs', () => {
  for (const bad of ['', 'arn:aws:iam::1', 'arn:aws:iam::1:', 'aws:iam::1:role/x', 'ARN:aws:iam::1:role/x', 'arn::iam::1:role/x', 'arn:aws:::1:x']) {
    assert.equal(parseArn(bad), undefined, bad);
  }
});

test('ok/isoMicros and rfc3339Seconds', () => {
  const d = new Date('2024-04-20T13:32:46.129Z');
  assert.equal(isoMicros(d), '2024-04-20T13:32:46.129000Z');
  assert.equal(isoMicros(new Date('2024-04-20T13:32:46Z')), '2024-04-20T13:32:46.000000Z');
  assert.equal(rfc3339Seconds(new Date('2025-06-01T15:24:50.999Z')), '2025-06-01T15:24:50Z');
});

test('ok/WIRE_ERRORS maps codes to HTTP status and is frozen', () => {
  assert.equal(WIRE_ERRORS['ValidationException']?.status, 400);
  assert.equal(WIRE_ERRORS['AccessDeniedException']?.status, 403);
  assert.equal(WIRE_ERRORS['ResourceNotFoundException']?.status, 404);
  assert.equal(WIRE_ERRORS['ThrottlingException']?.status, 429);
  assert.equal(WIRE_ERRORS['RequestEntityTooLargeException']?.status, 413);
  assert.equal(WIRE_ERRORS['SignatureDoesNotMatch']?.status, 403);
  assert.equal(Object.keys(WIRE_ERRORS).length, 16);
  assert.ok(Object.isFrozen(WIRE_ERRORS) && Object.isFrozen(WIRE_ERRORS['ConflictException']));
});

test('ok/rawEcdsaToDer and derEcdsaToRaw round trip on real signatures (P-256, P-384, P-521)', () => {
  for (const [curve, size] of [['P-256', 32], ['P-384', 48], ['P-521', 66]] as const) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
    for (let i = 0; i < 20; i++) {
      const data = Buffer.from(`message ${i}`);
      const raw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = rawEcdsaToDer(raw);
      assert.ok(verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, der), curve);
      assert.deepEqual(derEcdsaToRaw(der, size), raw);
      const nodeDer = sign('sha256', data, { key: privateKey, dsaEncoding: 'der' });
      assert.deepEqual(rawEcdsaToDer(derEcdsaToRaw(nodeDer, size)), nodeDer);
    }
  }
});

test('ok/rawEcdsaToDer minimal integers: leading zeros stripped, sign byte added', () => {
  const raw = Buffer.concat([Buffer.from([0, 0, 0x01, 0x02]), Buffer.from([0x80, 0, 0, 0])]);
  assert.equal(rawEcdsaToDer(raw).toString('hex'), '300b' + '02020102' + '02050080000000');
  assert.deepEqual(derEcdsaToRaw(rawEcdsaToDer(raw), 4), raw);
});

test('fail/ECDSA encodings reject malformed input', () => {
  assert.throws(() => rawEcdsaToDer(Buffer.alloc(3)));
  assert.throws(() => derEcdsaToRaw(Buffer.from('3006020101020101ff', 'hex'), 32), /trailing/);
  assert.throws(() => derEcdsaToRaw(Buffer.from('30060201010201', 'hex'), 32));
  assert.throws(() => derEcdsaToRaw(Buffer.from('300702020001020101', 'hex'), 32), /non-minimal/);
  assert.throws(() => derEcdsaToRaw(Buffer.from('3006020181020101', 'hex'), 32), /negative/);
  assert.throws(() => derEcdsaToRaw(rawEcdsaToDer(Buffer.alloc(66, 0x7f)), 32), /longer/);
});
