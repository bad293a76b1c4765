// The query API: by time range, certificate serial, role ARN and event name, oldest first,
// paginated with opaque tokens bound to their criteria.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditQuery } from '../../src/core/audit/audit-store.js';
import { normalizeSerialHex } from '../../src/core/audit/audit-index-fields.js';
import { SqliteAuditStore } from '../../src/store/sqlite/sqlite-audit-store.js';
import { parseAuditTime } from '../../src/cli/audit-time.js';
import { ROLE_A, ROLE_B, T0, sessionEvent, tempDb } from './fixtures.js';

const MIN = 60_000;

function seeded() {
  const t = tempDb();
  const store = new SqliteAuditStore(t.db);
  const events = [
    sessionEvent({ at: T0, serial: '01', roleArn: ROLE_A }),
    sessionEvent({ at: T0 + 1 * MIN, serial: '0a1b', roleArn: ROLE_B }),
    sessionEvent({ at: T0 + 2 * MIN, serial: '01', roleArn: ROLE_B, error: true }),
    sessionEvent({ at: T0 + 3 * MIN, serial: '02', roleArn: ROLE_A, name: 'UpdateProfile' }),
    sessionEvent({ at: T0 + 4 * MIN, serial: '01', roleArn: ROLE_A }),
  ];
  store.appendBatch(events);
  const ids = async (q: AuditQuery) => {
    const page = await store.query(q);
    assert.ok(page !== 'bad-token');
    return page.records.map((r) => events.findIndex((e) => e.eventID === r.event.eventID));
  };
  return { t, store, ids };
}

test('ok/audit-query: each filter alone and combined, oldest first', async () => {
  const { t, ids } = seeded();
  try {
    assert.deepEqual(await ids({}), [0, 1, 2, 3, 4]);
    assert.deepEqual(await ids({ serial: '01' }), [0, 2, 4]);
    assert.deepEqual(await ids({ serial: '0x1' }), [0, 2, 4], 'serials compare as numbers');
    assert.deepEqual(await ids({ serial: '0A:1B' }), [1]);
    assert.deepEqual(await ids({ roleArn: ROLE_B }), [1, 2]);
    assert.deepEqual(await ids({ eventName: 'UpdateProfile' }), [3]);
    assert.deepEqual(await ids({ since: new Date(T0 + 1 * MIN), until: new Date(T0 + 3 * MIN) }), [1, 2], 'since inclusive, until exclusive');
    assert.deepEqual(await ids({ serial: '1', roleArn: ROLE_A, since: new Date(T0 + MIN) }), [4]);
    assert.deepEqual(await ids({ serial: 'not-hex' }), []);
  } finally {
    t.cleanup();
  }
});

test('ok/audit-query: pages with an opaque token until the last page', async () => {
  const { t, store, ids } = seeded();
  try {
    const p1 = await store.query({ serial: '01', limit: 2 });
    assert.ok(p1 !== 'bad-token' && p1.nextToken !== undefined);
    assert.equal(p1.records.length, 2);
    assert.deepEqual(await ids({ serial: '01', limit: 2, nextToken: p1.nextToken }), [4]);
    const p2 = await store.query({ serial: '01', limit: 2, nextToken: p1.nextToken });
    assert.ok(p2 !== 'bad-token' && p2.nextToken === undefined, 'no token on the last page');
  } finally {
    t.cleanup();
  }
});

test('fail/audit-query: a garbage token, or a token from other criteria, is refused', async () => {
  const { t, store } = seeded();
  try {
    const p1 = await store.query({ serial: '01', limit: 1 });
    assert.ok(p1 !== 'bad-token' && p1.nextToken);
    assert.equal(await store.query({ roleArn: ROLE_A, nextToken: p1.nextToken }), 'bad-token');
    assert.equal(await store.query({ nextToken: 'bm90LWEtdG9rZW4' }), 'bad-token');
    assert.equal(await store.query({ nextToken: '!!' }), 'bad-token');
  } finally {
    t.cleanup();
  }
});

test('ok/audit-time: ISO 8601 times are UTC, durations count back from now', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  assert.equal(parseAuditTime('2026-02-28', now)?.toISOString(), '2026-02-28T00:00:00.000Z');
  assert.equal(parseAuditTime('2026-02-28T10:30:00', now)?.toISOString(), '2026-02-28T10:30:00.000Z');
  assert.equal(parseAuditTime('2026-02-28T10:30:00+02:00', now)?.toISOString(), '2026-02-28T08:30:00.000Z');
  assert.equal(parseAuditTime('15m', now)?.toISOString(), '2026-03-01T11:45:00.000Z');
  assert.equal(parseAuditTime('7d', now)?.toISOString(), '2026-02-22T12:00:00.000Z');
  assert.equal(parseAuditTime('yesterday', now), undefined);
  assert.equal(normalizeSerialHex('00:0A'), 'a');
  assert.equal(normalizeSerialHex('xyz'), undefined);
});
