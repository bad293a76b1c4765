// The group commit's pipeline (at most one group in flight; what arrives meanwhile is the next
// group) and the embedded backend's durability step: commit with synchronous = NORMAL, then fsync
// the WAL off the event loop (WalFileSync) before anyone is answered.
import assert from 'node:assert/strict';
import { renameSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { AuditRecord } from '../../src/core/audit/audit-record.js';
import { verifyAuditChain } from '../../src/core/audit/verify-audit-chain.js';
import { GroupCommitAuditSink } from '../../src/store/shared/group-commit-audit-sink.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { sqliteAuditWriter } from '../../src/store/sqlite/open-audit-trail.js';
import { SqliteAuditStore } from '../../src/store/sqlite/sqlite-audit-store.js';
import { WalFileSync } from '../../src/store/sqlite/wal-sync.js';
import { sessionEvent, tempDb } from './fixtures.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

test('ok/group-commit: records that arrive while a group is syncing form the next group, resolved only after its own sync', async () => {
  const t = tempDb();
  try {
    const store = new SqliteAuditStore(t.db);
    const sizes: number[] = [];
    const first = gate();
    let syncs = 0;
    const sink = new GroupCommitAuditSink({
      commit: (events) => {
        sizes.push(events.length);
        return store.appendBatch(events);
      },
      durable: async () => {
        if (++syncs === 1) await first.opened;
      },
    });
    const resolved: string[] = [];
    const one = sink.record(sessionEvent()).then(() => resolved.push('one'));
    await new Promise((r) => setImmediate(r)); // group 1 committed, its sync is now blocked
    const later = Array.from({ length: 4 }, (_, i) => sink.record(sessionEvent()).then(() => resolved.push(`later-${i}`)));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(sizes, [1], 'nothing else commits while a group is in flight');
    assert.deepEqual(resolved, [], 'nobody is answered before the sync');
    first.open();
    await Promise.all([one, ...later]);
    assert.deepEqual(sizes, [1, 4]);
    assert.equal(resolved[0], 'one');
    assert.deepEqual(sink.stats, { transactions: 2, records: 5 });
    await sink.close();
  } finally {
    t.cleanup();
  }
});

test('fail/group-commit: a failed durability step rejects every record of its group; the next group is unaffected', async () => {
  const t = tempDb();
  try {
    const store = new SqliteAuditStore(t.db);
    let fail = true;
    const sink = new GroupCommitAuditSink({
      commit: (events) => store.appendBatch(events),
      durable: async () => {
        if (fail) throw new Error('EIO: fsync failed');
      },
    });
    const results = await Promise.allSettled([sink.record(sessionEvent()), sink.record(sessionEvent())]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    assert.match(String((results[0] as PromiseRejectedResult).reason), /EIO/);
    fail = false;
    await sink.record(sessionEvent());
    assert.equal((await verifyAuditChain(store)).ok, true);
    await sink.close();
  } finally {
    t.cleanup();
  }
});

test('ok/wal-sync: the embedded writer commits without an in-SQLite fsync, syncs the WAL, and leaves the connection at FULL', async () => {
  const t = tempDb();
  try {
    const store = new SqliteAuditStore(t.db);
    const writer = sqliteAuditWriter(t.db, store);
    let unsynced = 0;
    const plain = store.appendBatchUnsynced.bind(store);
    store.appendBatchUnsynced = (events, attempts) => {
      unsynced++;
      return plain(events, attempts);
    };
    const sink = new GroupCommitAuditSink(writer);
    const e = sessionEvent();
    await sink.record(e);
    assert.equal(unsynced, 1, 'a WAL database takes the NORMAL + off-loop fsync path');
    assert.equal(t.db.pragma('synchronous', { simple: true }), 2, 'every other write on the connection stays FULL');
    const reader = new Database(t.file, { readonly: true });
    assert.equal((reader.prepare('SELECT count(*) AS n FROM audit_events WHERE event_id = ?').get(e.eventID) as { n: number }).n, 1);
    reader.close();
    await sink.close();
  } finally {
    t.cleanup();
  }
});

test('ok/wal-sync: an in-memory database commits with FULL and needs no WAL file', async () => {
  const db = openSqliteDatabase(':memory:');
  try {
    const store = new SqliteAuditStore(db);
    let unsynced = 0;
    store.appendBatchUnsynced = () => {
      unsynced++;
      return [] as AuditRecord[];
    };
    const sink = new GroupCommitAuditSink(sqliteAuditWriter(db, store));
    await sink.record(sessionEvent());
    assert.equal(unsynced, 0);
    assert.equal(store.list(5).length, 1);
    await sink.close();
  } finally {
    db.close();
  }
});

test('ok/wal-sync: follows a replaced -wal file by its inode; fail/wal-sync: a missing one rejects', async () => {
  const t = tempDb();
  try {
    new SqliteAuditStore(t.db).appendBatchUnsynced([sessionEvent()]);
    const sync = new WalFileSync(t.file, 0);
    await sync.sync();
    t.db.close(); // the last connection removes the -wal file
    await assert.rejects(sync.sync(), /ENOENT/);
    t.reopen();
    new SqliteAuditStore(t.db).appendBatchUnsynced([sessionEvent()]);
    await sync.sync(); // a new -wal file (new inode): reopened, not the stale descriptor
    renameSync(`${t.file}-wal`, `${t.file}-wal.moved`);
    await assert.rejects(sync.sync(), /ENOENT/);
    renameSync(`${t.file}-wal.moved`, `${t.file}-wal`);
    sync.close();
  } finally {
    rmSync(`${t.file}-wal.moved`, { force: true });
    t.cleanup();
  }
});

test('ok/audit-indexes: migration 040 leaves only the indexes queries use (one B-tree write less per record)', () => {
  const t = tempDb();
  try {
    const names = (t.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    assert.deepEqual(names, ['audit_events_ms', 'audit_events_name', 'audit_events_role', 'audit_events_serial']);
  } finally {
    t.cleanup();
  }
});
