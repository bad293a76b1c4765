// The JSON-lines copy is written before each group resolves, but fdatasync'd on an interval
// (and on close) rather than once per group: the database's WAL is the durable record.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { auditRecordLine } from '../../src/core/audit/audit-record.js';
import { verifyAuditChain } from '../../src/core/audit/verify-audit-chain.js';
import { auditJsonlPath, openAuditTrail } from '../../src/store/sqlite/open-audit-trail.js';
import { sessionEvent, tempDb } from './fixtures.js';

function seqs(path: string): number[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { seq: number }).seq);
}

test('ok/audit-file: every group is in the file when it resolves, with no fdatasync per group; close syncs once', async () => {
  const t = tempDb();
  try {
    const trail = openAuditTrail(t.db, t.dir, { fileSyncIntervalMs: 60_000 });
    const path = auditJsonlPath(t.dir);
    for (let i = 1; i <= 5; i++) {
      await trail.sink.record(sessionEvent());
      assert.deepEqual(seqs(path), Array.from({ length: i }, (_, k) => k + 1), `group ${i} is in the file once it resolves`);
    }
    assert.equal(trail.sink.stats.transactions, 5);
    assert.equal(trail.file.syncs, 0, 'five groups, no fdatasync yet (the interval is a minute)');
    await trail.sink.close();
    assert.equal(trail.file.syncs, 1, 'close fdatasyncs what was written');
    assert.equal((await verifyAuditChain(trail.store)).ok, true);
  } finally {
    t.cleanup();
  }
});

test('ok/audit-file: written lines are fdatasync\'d within the interval, once for many groups', async () => {
  const t = tempDb();
  try {
    const trail = openAuditTrail(t.db, t.dir, { fileSyncIntervalMs: 50 });
    for (let i = 0; i < 10; i++) await trail.sink.record(sessionEvent());
    for (let waited = 0; trail.file.syncs === 0 && waited < 10_000; waited += 20) await sleep(20);
    assert.ok(trail.file.syncs >= 1, 'the interval timer synced the file');
    assert.ok(trail.file.syncs < 10, `fewer fdatasyncs than groups, got ${trail.file.syncs}`);
    const before = trail.file.syncs;
    await trail.file.syncNow();
    assert.equal(trail.file.syncs, before, 'nothing written since: no further fdatasync');
    await trail.sink.record(sessionEvent());
    await trail.file.syncNow();
    assert.equal(trail.file.syncs, before + 1);
    await trail.sink.close();
    assert.deepEqual(seqs(auditJsonlPath(t.dir)), Array.from({ length: 11 }, (_, k) => k + 1));
  } finally {
    t.cleanup();
  }
});

test('fail/audit-file: a closed file refuses appends, so the group fails closed', async () => {
  const t = tempDb();
  try {
    const trail = openAuditTrail(t.db, t.dir);
    await trail.sink.record(sessionEvent());
    await trail.file.close();
    await assert.rejects(trail.sink.record(sessionEvent()), /audit file is closed/);
    await trail.sink.close();
  } finally {
    t.cleanup();
  }
});

test('ok/audit-file: a line built from the stored canonical text is the same JSON value as one built from the event', async () => {
  const t = tempDb();
  try {
    const trail = openAuditTrail(t.db, t.dir);
    const event = { ...sessionEvent({ error: true }), extra: { when: new Date('2026-01-02T03:04:05Z'), gone: undefined, list: [1, 'a', null] } };
    await trail.sink.record(event as never);
    await trail.sink.close();
    const [line] = readFileSync(auditJsonlPath(t.dir), 'utf8').split('\n');
    const [record] = trail.store.recordsAfter(0, 1);
    assert.ok(record?.doc, 'records read back carry their stored text');
    const fromEvent = JSON.parse(auditRecordLine({ ...record, doc: undefined })) as unknown;
    assert.deepEqual(JSON.parse(line!), fromEvent);
    assert.deepEqual(JSON.parse(auditRecordLine(record)), fromEvent);
    assert.deepEqual(Object.keys(JSON.parse(line!) as object).slice(-3), ['seq', 'previousHash', 'hash']);
  } finally {
    t.cleanup();
  }
});
