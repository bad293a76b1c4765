// Audit event ids are RFC 9562 version-7 UUIDs: time-ordered (one index page per group commit,
// not one per record), unique, and shaped like any other UUID.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditEventId } from '../../src/core/audit/event-id.js';
import { PooledRandom } from '../../src/core/ports/random.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ok/event-id: a version-7 UUID whose first 48 bits are the event time in ms', () => {
  const r = new PooledRandom();
  const at = Date.parse('2026-11-22T18:00:00.123Z');
  const id = auditEventId(r, at);
  assert.match(id, V7);
  assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), at);
  assert.match(auditEventId(r, 0), /^00000000-0000-7/);
});

test('ok/event-id: ids of later milliseconds sort after earlier ones; 50,000 ids in one ms are distinct', () => {
  const r = new PooledRandom();
  const t0 = Date.parse('2026-11-22T18:00:00Z');
  const ids = Array.from({ length: 1000 }, (_, i) => auditEventId(r, t0 + i));
  assert.deepEqual([...ids].sort(), ids);
  const same = new Set(Array.from({ length: 50_000 }, () => auditEventId(r, t0)));
  assert.equal(same.size, 50_000);
  for (const id of same) assert.match(id, V7);
});
