// Group commit: many concurrent records share one transaction and one fsync, and no record()
// promise resolves before its record is committed (visible to another connection) and in the file.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { AuditEvent } from '../../src/core/audit/audit-event.js';
import type { AuditRecord } from '../../src/core/audit/audit-record.js';
import { verifyAuditChain } from '../../src/core/audit/verify-audit-chain.js';
import { AuditJsonlFile } from '../../src/store/sqlite/audit-jsonl-file.js';
import { GroupCommitAuditSink } from '../../src/store/shared/group-commit-audit-sink.js';
import { auditJsonlPath, openAuditTrail, sqliteAuditWriter } from '../../src/store/sqlite/open-audit-trail.js';
import { SqliteAuditStore } from '../../src/store/sqlite/sqlite-audit-store.js';
import { sessionEvent, tempDb } from './fixtures.js';

/** Wraps the real store: counts transactions and remembers which events are committed. */
function countingWriter(inner: SqliteAuditStore) {
  const committed = new Set<string>();
  const w = {
    transactions: 0,
    batchSizes: [] as number[],
    committed,
    appendBatch(events: readonly AuditEvent[]): AuditRecord[] {
      const out = inner.appendBatch(events);
      w.transactions++;
      w.batchSizes.push(events.length);
      for (const e of events) committed.add(e.eventID);
      return out;
    },
  };
  return w;
}

function fileLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('ok/group-commit: 100 concurrent records take far fewer than 100 transactions and resolve only after commit and fsync', async () => {
  const t = tempDb();
  try {
    const store = new SqliteAuditStore(t.db);
    const writer = countingWriter(store);
    const path = auditJsonlPath(t.dir);
    const file = AuditJsonlFile.open(path, store);
    const sink = new GroupCommitAuditSink({ commit: (events) => writer.appendBatch(events), durable: async (records) => file.appendNow(records), close: () => file.close() });
    // A second connection: a row it can read is committed, not merely written in our transaction.
    const reader = new Database(t.file, { readonly: true });
    const seen = reader.prepare('SELECT count(*) AS n FROM audit_events WHERE event_id = ?');
    const events = Array.from({ length: 100 }, (_, i) => sessionEvent({ serial: (i + 1).toString(16) }));
    const early: string[] = [];
    await Promise.all(
      events.map((e) =>
        sink.record(e).then(() => {
          if (!writer.committed.has(e.eventID)) early.push(`${e.eventID}: not committed`);
          if ((seen.get(e.eventID) as { n: number }).n !== 1) early.push(`${e.eventID}: invisible to another connection`);
          if (!readFileSync(path, 'utf8').includes(e.eventID)) early.push(`${e.eventID}: not in the file`);
        }),
      ),
    );
    reader.close();
    assert.deepEqual(early, [], 'every promise resolved after its commit');
    assert.ok(writer.transactions <= 5, `expected a handful of transactions, got ${writer.transactions}`);
    assert.equal(writer.batchSizes.reduce((a, b) => a + b, 0), 100);
    assert.ok(file.syncs <= 5, `expected a handful of fsyncs, got ${file.syncs}`);
    const lines = fileLines(path);
    assert.deepEqual(lines.map((l) => l.eventID), events.map((e) => e.eventID), 'the file holds every record, in order');
    assert.deepEqual(lines.map((l) => l.seq), Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(await verifyAuditChain(store), { ok: true, count: 100, headHash: lines[99]!.hash });
    await sink.close();
  } finally {
    t.cleanup();
  }
});

test('ok/group-commit: a full batch commits at once and batches never exceed maxBatch', async () => {
  const t = tempDb();
  try {
    const writer = countingWriter(new SqliteAuditStore(t.db));
    const sink = new GroupCommitAuditSink({ commit: (events) => writer.appendBatch(events) }, { maxBatch: 10, windowMs: 60_000 });
    // With a one-minute window only the size trigger can commit these in time.
    await Promise.all(Array.from({ length: 30 }, () => sink.record(sessionEvent())));
    assert.deepEqual(writer.batchSizes, [10, 10, 10]);
    await sink.close();
  } finally {
    t.cleanup();
  }
});

test('fail/group-commit: a record the database refuses rejects alone; the rest of its group commits', async () => {
  const t = tempDb();
  try {
    const store = new SqliteAuditStore(t.db);
    const trail = openAuditTrail(t.db, t.dir);
    const dup = sessionEvent();
    await trail.sink.record(dup);
    const others = [sessionEvent(), sessionEvent()];
    const results = await Promise.allSettled([trail.sink.record(others[0]!), trail.sink.record({ ...dup }), trail.sink.record(others[1]!)]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.match(String((results[1] as PromiseRejectedResult).reason), /UNIQUE/);
    assert.deepEqual(store.list(10).map((e) => e.eventID).reverse(), [dup.eventID, others[0]!.eventID, others[1]!.eventID]);
    assert.equal(fileLines(auditJsonlPath(t.dir)).length, 3);
    assert.equal((await verifyAuditChain(store)).ok, true);
    await trail.sink.close();
    await assert.rejects(trail.sink.record(sessionEvent()), /closed/);
  } finally {
    t.cleanup();
  }
});

test('ok/audit-file: after a crash between the database commit and the file, reopening repairs a torn line and catches up', async () => {
  const t = tempDb();
  try {
    const trail = openAuditTrail(t.db, t.dir);
    await Promise.all([trail.sink.record(sessionEvent()), trail.sink.record(sessionEvent())]);
    await trail.sink.close();
    const path = auditJsonlPath(t.dir);
    // The crash: two more groups reached the database but not the file, the last one half-written.
    const lost = trail.store.appendBatch([sessionEvent(), sessionEvent()]);
    appendFileSync(path, '{"eventVersion":"1.08","eventID":"torn');
    const reopened = openAuditTrail(t.db, t.dir);
    const lines = fileLines(path);
    assert.deepEqual(lines.map((l) => l.seq), [1, 2, 3, 4]);
    assert.deepEqual(lines.slice(2).map((l) => l.eventID), lost.map((r) => r.event.eventID));
    await reopened.sink.record(sessionEvent());
    assert.deepEqual(fileLines(path).map((l) => l.seq), [1, 2, 3, 4, 5]);
    await reopened.sink.close();
  } finally {
    t.cleanup();
  }
});

test('fail/audit-file: a file ahead of the database (records lost from the database) refuses to open', async () => {
  const t = tempDb();
  try {
    const trail = openAuditTrail(t.db, t.dir);
    await trail.sink.record(sessionEvent());
    await trail.sink.close();
    const path = auditJsonlPath(t.dir);
    const line = readFileSync(path, 'utf8');
    writeFileSync(path, line + line.replace('"seq":1', '"seq":2'));
    assert.throws(() => AuditJsonlFile.open(path, trail.store), /ends at audit record 2 but the database ends at 1/);
  } finally {
    t.cleanup();
  }
});
