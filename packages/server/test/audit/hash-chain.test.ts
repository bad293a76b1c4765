// Tamper evidence: the hash chain verifies, and edits made directly in the SQLite file (an
// edited, a deleted, two swapped records, a truncated tail) are caught and named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { canonicalJson, chainHash, GENESIS_HASH } from '../../src/core/audit/audit-chain.js';
import { verifyAuditChain } from '../../src/core/audit/verify-audit-chain.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { iamMigration } from '../../src/store/sqlite/migrations/001-iam.js';
import { rolesAnywhereMigration } from '../../src/store/sqlite/migrations/002-roles-anywhere.js';
import { SqliteAuditStore } from '../../src/store/sqlite/sqlite-audit-store.js';
import { sessionEvent, tempDb, type TempDb } from './fixtures.js';

/** Six chained records, then `tamper` runs on a separate connection to the file, as an attacker would. */
async function tampered(tamper: (db: Database.Database, ids: string[]) => void) {
  const t = tempDb();
  try {
    const store = new SqliteAuditStore(t.db);
    const records = [...store.appendBatch([sessionEvent(), sessionEvent(), sessionEvent()]), ...store.appendBatch([sessionEvent(), sessionEvent(), sessionEvent()])];
    assert.deepEqual(await verifyAuditChain(store), { ok: true, count: 6, headHash: records[5]!.hash });
    t.db.close();
    const raw = new Database(t.file);
    tamper(raw, records.map((r) => r.event.eventID));
    raw.close();
    return { verdict: await verifyAuditChain(new SqliteAuditStore(t.reopen())), ids: records.map((r) => r.event.eventID) };
  } finally {
    t.cleanup();
  }
}

test('ok/hash-chain: each record links to the previous hash, from the 64-zero genesis', () => {
  const t = tempDb();
  try {
    const store = new SqliteAuditStore(t.db);
    const [a, b] = store.appendBatch([sessionEvent(), sessionEvent()]);
    assert.equal(a!.previousHash, GENESIS_HASH);
    assert.equal(a!.hash, chainHash(GENESIS_HASH, a!.event));
    assert.equal(b!.previousHash, a!.hash);
    assert.match(b!.hash, /^[0-9a-f]{64}$/);
    // Key order and whitespace do not matter; content does.
    assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined }), '{"a":[true,null,"x"],"b":1}');
    assert.notEqual(chainHash(GENESIS_HASH, { ...a!.event, sourceIPAddress: '10.0.0.1' }), a!.hash);
  } finally {
    t.cleanup();
  }
});

test('ok/hash-chain: an event is stored exactly as its JSON round trip would be (Dates, undefined, NaN)', async () => {
  const odd = { z: new Date(Date.UTC(2026, 0, 2)), a: [1, undefined, Number.NaN, -0], n: { u: undefined, s: 'é\u2028' } };
  assert.equal(canonicalJson(odd), canonicalJson(JSON.parse(JSON.stringify(odd))));
  const t = tempDb();
  try {
    const store = new SqliteAuditStore(t.db);
    const e = { ...sessionEvent(), requestParameters: odd as unknown as Record<string, unknown> };
    const [r] = store.appendBatch([e]);
    const row = t.db.prepare('SELECT doc FROM audit_events WHERE seq = ?').get(r!.seq) as { doc: string };
    assert.equal(row.doc, canonicalJson(JSON.parse(JSON.stringify(e))));
    assert.equal((await verifyAuditChain(store)).ok, true, 'a reader re-hashing the parsed document gets the stored hash');
  } finally {
    t.cleanup();
  }
});

test('fail/hash-chain: an edited record is named', async () => {
  const { verdict, ids } = await tampered((db) => {
    const row = db.prepare('SELECT doc FROM audit_events WHERE seq = 3').get() as { doc: string };
    db.prepare('UPDATE audit_events SET doc = ? WHERE seq = 3').run(row.doc.replace('127.0.0.1', '10.9.9.9'));
  });
  assert.deepEqual({ ...verdict, detail: undefined }, { ok: false, seq: 3, eventID: ids[2], problem: 'edited', detail: undefined });
});

test('fail/hash-chain: an edited record whose hash was recomputed is still caught at its successor link', async () => {
  const { verdict, ids } = await tampered((db) => {
    const row = db.prepare('SELECT doc, previous_hash FROM audit_events WHERE seq = 2').get() as { doc: string; previous_hash: string };
    const doc = row.doc.replace('CN=myContainer', 'CN=somebodyElse');
    db.prepare('UPDATE audit_events SET doc = ?, hash = ? WHERE seq = 2').run(doc, chainHash(row.previous_hash, JSON.parse(doc)));
  });
  assert.equal(verdict.ok, false);
  assert.deepEqual(verdict.ok ? undefined : [verdict.seq, verdict.eventID, verdict.problem], [2, ids[1], 'edited']);
});

test('fail/hash-chain: a deleted record is caught at the record after the gap', async () => {
  const { verdict, ids } = await tampered((db) => db.prepare('DELETE FROM audit_events WHERE seq = 4').run());
  assert.equal(verdict.ok, false);
  if (!verdict.ok) {
    assert.deepEqual([verdict.seq, verdict.eventID, verdict.problem], [5, ids[4], 'deleted']);
    assert.match(verdict.detail, /record\(s\) 4 before record 5 are missing/);
  }
});

test('fail/hash-chain: a deleted last record is caught against the chain head', async () => {
  const { verdict, ids } = await tampered((db) => db.prepare('DELETE FROM audit_events WHERE seq = 6').run());
  assert.deepEqual(verdict.ok ? undefined : [verdict.seq, verdict.eventID, verdict.problem], [6, ids[5], 'deleted']);
});

test('fail/hash-chain: two swapped records are reported as reordered', async () => {
  const { verdict, ids } = await tampered((db) => {
    // Swap everything but the position: the row at seq 2 now holds record 3 and vice versa.
    db.transaction(() => {
      db.prepare('UPDATE audit_events SET seq = -2 WHERE seq = 2').run();
      db.prepare('UPDATE audit_events SET seq = 2 WHERE seq = 3').run();
      db.prepare('UPDATE audit_events SET seq = 3 WHERE seq = -2').run();
    })();
  });
  assert.deepEqual(verdict.ok ? undefined : [verdict.seq, verdict.eventID, verdict.problem], [2, ids[2], 'reordered']);
});

test('fail/hash-chain: clearing a record\'s hash columns is an edit', async () => {
  const { verdict, ids } = await tampered((db) => db.prepare('UPDATE audit_events SET hash = NULL, previous_hash = NULL WHERE seq = 1').run());
  assert.deepEqual(verdict.ok ? undefined : [verdict.seq, verdict.eventID, verdict.problem], [1, ids[0], 'edited']);
});

test('ok/hash-chain: rows written before migration 020 stay readable and are chained, in order, when the store first opens', async () => {
  const t: TempDb = tempDb();
  t.db.close();
  const file = `${t.dir}/legacy.db`;
  try {
    // A database as the first milestone left it: migrations 1 and 2, records from the old sink.
    const old = openSqliteDatabase(file, [iamMigration, rolesAnywhereMigration]);
    const legacy = [sessionEvent({ serial: '0A' }), sessionEvent({ serial: '0b' })];
    for (const e of legacy) {
      old.prepare('INSERT INTO audit_events (event_id, event_time, event_name, doc) VALUES (?, ?, ?, ?)').run(e.eventID, e.eventTime, e.eventName, JSON.stringify(e));
    }
    old.close();
    const db = openSqliteDatabase(file);
    const store = new SqliteAuditStore(db);
    const [next] = store.appendBatch([sessionEvent()]);
    assert.equal(next!.seq, 3);
    assert.deepEqual(await verifyAuditChain(store), { ok: true, count: 3, headHash: next!.hash });
    const first = await store.rowsAfter(0, 1);
    assert.equal(first[0]!.previousHash, GENESIS_HASH);
    // The migration filled the search columns of the old rows.
    const bySerial = await store.query({ serial: 'a' });
    assert.ok(bySerial !== 'bad-token');
    assert.deepEqual(bySerial.records.map((r) => r.event.eventID), [legacy[0]!.eventID]);
    db.close();
  } finally {
    t.cleanup();
  }
});
