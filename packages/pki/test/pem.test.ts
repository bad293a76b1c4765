import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { pemBlocks, toPem } from '../src/index.js';

test('ok/toPem uses 64-column lines and a trailing newline; pemBlocks inverts it', () => {
  const der = randomBytes(200);
  const pem = toPem('CERTIFICATE', der);
  const lines = pem.split('\n');
  assert.equal(lines[0], '-----BEGIN CERTIFICATE-----');
  assert.ok(lines.slice(1, -2).every((l) => l.length <= 64));
  assert.equal(lines[1]!.length, 64);
  assert.ok(pem.endsWith('-----END CERTIFICATE-----\n'));
  assert.deepEqual(pemBlocks(pem), [{ label: 'CERTIFICATE', der }]);
});

test('ok/several blocks with text between them, CRLF and labels with spaces', () => {
  const a = randomBytes(10);
  const b = randomBytes(70);
  const text = `Bag Attributes\nsubject=/CN=x\n${toPem('CERTIFICATE', a)}junk here\r\n${toPem('X509 CRL', b).replaceAll('\n', '\r\n')}trailing`;
  assert.deepEqual(pemBlocks(text), [{ label: 'CERTIFICATE', der: a }, { label: 'X509 CRL', der: b }]);
});

test('fail/mismatched labels and invalid base64 are skipped, empty input yields nothing', () => {
  assert.deepEqual(pemBlocks('-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n'), []);
  assert.deepEqual(pemBlocks('-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n'), []);
  assert.deepEqual(pemBlocks('-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n'), []);
  assert.deepEqual(pemBlocks(''), []);
});
