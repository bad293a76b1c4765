// The WAL checkpoint worker: it copies committed frames into the database file while the serving
// connection goes on committing, and when it fails the connection checkpoints by itself again.
import assert from 'node:assert/strict';
import { renameSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { verifyAuditChain } from '../../src/core/audit/verify-audit-chain.js';
import { SqliteAuditStore } from '../../src/store/sqlite/sqlite-audit-store.js';
import { FALLBACK_AUTOCHECKPOINT_FRAMES, WalCheckpointer } from '../../src/store/sqlite/wal-checkpointer.js';
import { sessionEvent, tempDb } from './fixtures.js';

test('ok/wal-checkpointer: frames reach the database file from the worker, below the serving connection\'s own threshold', async () => {
  const t = tempDb();
  const c = WalCheckpointer.start(t.db, { intervalMs: 10 });
  try {
    assert.equal(t.db.pragma('wal_autocheckpoint', { simple: true }), FALLBACK_AUTOCHECKPOINT_FRAMES);
    const store = new SqliteAuditStore(t.db);
    const before = statSync(t.file).size;
    // ~100 groups of 4: far fewer frames than the fallback threshold, so the serving
    // connection never checkpoints here; only the worker can grow the database file.
    for (let i = 0; i < 100; i++) {
      store.appendBatchUnsynced(Array.from({ length: 4 }, () => sessionEvent({ serial: ((i * 37) % 200).toString(16) })));
      if (i % 10 === 9) await sleep(15);
    }
    for (let waited = 0; c.stats.framesCopied === 0 && waited < 10_000; waited += 20) await sleep(20);
    assert.ok(c.stats.runs > 0 && c.stats.framesCopied > 0, `the worker checkpointed (${JSON.stringify(c.stats)})`);
    assert.ok(statSync(t.file).size > before, 'pages were copied into the database file');
    assert.deepEqual((await verifyAuditChain(store)).ok, true);
  } finally {
    await c.close();
    t.cleanup();
  }
});

test('fail/wal-checkpointer: a worker that cannot open the database is reported, and the connection checkpoints by itself again', async () => {
  const t = tempDb();
  const moved = `${t.file}.moved`;
  renameSync(t.file, moved); // the serving connection keeps its open file; the worker finds none
  let reported: Error | undefined;
  const c = WalCheckpointer.start(t.db, { intervalMs: 10, onError: (err) => (reported = err) });
  try {
    for (let waited = 0; !reported && waited < 10_000; waited += 20) await sleep(20);
    assert.ok(reported, 'the failure was reported');
    assert.equal(t.db.pragma('wal_autocheckpoint', { simple: true }), 1000, 'SQLite\'s default threshold is back');
    new SqliteAuditStore(t.db).appendBatch([sessionEvent()]);
  } finally {
    await c.close();
    renameSync(moved, t.file);
    t.cleanup();
  }
});
