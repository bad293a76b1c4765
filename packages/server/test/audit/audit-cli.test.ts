// `mooring audit` and `mooring audit verify` as a user runs them: the built CLI in a child
// process against a data directory (needs `npx tsc -b packages/server`, which `npm test` runs).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { runAuditCommand } from '../../src/cli/audit-command.js';
import { auditJsonlPath, openAuditTrail } from '../../src/store/sqlite/open-audit-trail.js';
import { SqliteAuditStore } from '../../src/store/sqlite/sqlite-audit-store.js';
import { REPO_ROOT, run } from '../support/run.js';
import { ROLE_A, ROLE_B, T0, sessionEvent, tempDb, type TempDb } from './fixtures.js';

const BIN = join(REPO_ROOT, 'packages/server/bin/mooring.js');
const mooring = (...args: string[]) => run(process.execPath, [BIN, ...args], { timeoutMs: 30_000 });
const lines = (out: string) => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { eventID: string; seq: number; hash: string });

describe('mooring audit', () => {
  let t: TempDb;
  const MIN = 60_000;
  const events = [
    sessionEvent({ at: T0, serial: '01', roleArn: ROLE_A }),
    sessionEvent({ at: T0 + MIN, serial: '02', roleArn: ROLE_B }),
    sessionEvent({ at: T0 + 2 * MIN, serial: '01', roleArn: ROLE_B, error: true }),
    sessionEvent({ at: T0 + 3 * MIN, serial: '01', roleArn: ROLE_A }),
  ];

  before(async () => {
    assert.ok(existsSync(join(REPO_ROOT, 'packages/server/dist/cli/audit-command.js')), 'build first: npx tsc -b packages/server');
    t = tempDb();
    new SqliteAuditStore(t.db).appendBatch(events);
    // Opening the trail writes DIR/audit/audit.jsonl, caught up from the database.
    await openAuditTrail(t.db, t.dir).file.close();
    t.db.close();
  });
  after(() => t.cleanup());

  test('ok/audit: prints every record as JSON lines, oldest first, with its chain fields', () => {
    const r = mooring('audit', '--data-dir', t.dir);
    assert.equal(r.status, 0, r.stderr);
    const out = lines(r.stdout);
    assert.deepEqual(out.map((l) => l.eventID), events.map((e) => e.eventID));
    assert.deepEqual(out.map((l) => l.seq), [1, 2, 3, 4]);
    assert.match(out[0]!.hash, /^[0-9a-f]{64}$/);
  });

  test('ok/audit: --serial, --role, --since/--until and --limit filter', () => {
    const pick = (...args: string[]) => {
      const r = mooring('audit', '--data-dir', t.dir, ...args);
      assert.equal(r.status, 0, r.stderr);
      return lines(r.stdout).map((l) => events.findIndex((e) => e.eventID === l.eventID));
    };
    assert.deepEqual(pick('--serial', '01'), [0, 2, 3]);
    assert.deepEqual(pick('--serial', '0001', '--role', ROLE_B), [2]);
    assert.deepEqual(pick('--role', ROLE_A), [0, 3]);
    assert.deepEqual(pick('--since', '2026-03-01T12:01:00Z', '--until', '2026-03-01T12:03:00Z'), [1, 2]);
    assert.deepEqual(pick('--serial', '1', '--limit', '2'), [0, 2]);
    assert.deepEqual(pick('--event-name', 'GetCallerIdentity'), []);
  });

  test('fail/audit: bad flags and a non-PostgreSQL --database-url exit 2 with a reason', () => {
    const pg = mooring('audit', '--database-url', 'mysql://user:secret@localhost/mooring');
    assert.equal(pg.status, 2);
    assert.match(pg.stderr, /--database-url must be a postgres/);
    assert.doesNotMatch(pg.stderr, /secret/, 'the URL is never echoed');
    const since = mooring('audit', '--data-dir', t.dir, '--since', 'last tuesday');
    assert.equal(since.status, 2);
    assert.match(since.stderr, /--since must be/);
    const missing = mooring('audit', '--data-dir', join(t.dir, 'nope'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no Mooring database/);
    assert.equal(existsSync(join(t.dir, 'nope')), false, 'a mistyped --data-dir is not created');
  });

  test('ok/audit verify: exits 0 with a one-line summary', () => {
    const r = mooring('audit', 'verify', '--data-dir', t.dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^audit trail ok: 4 record\(s\) verified, chain head [0-9a-f]{64}; \S+audit\.jsonl agrees \(4 line\(s\)\)\n$/);
  });

  test('fail/audit verify: exits 1 naming the first edited record', () => {
    const raw = new Database(t.file);
    raw.prepare("UPDATE audit_events SET doc = replace(doc, 'CN=myContainer', 'CN=mallory') WHERE seq = 2").run();
    raw.close();
    const r = mooring('audit', 'verify', '--data-dir', t.dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`BROKEN at record 2 \\(eventID ${events[1]!.eventID}\\): edited`));
  });
});

async function auditCli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runAuditCommand(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { status, stdout, stderr };
}

test('fail/audit verify: a database cut back together with its chain head is caught by audit.jsonl', async () => {
  const t = tempDb();
  try {
    const trail = openAuditTrail(t.db, t.dir);
    const ids = [sessionEvent(), sessionEvent(), sessionEvent()];
    for (const e of ids) await trail.sink.record(e);
    await trail.sink.close();
    assert.equal((await auditCli('verify', '--data-dir', t.dir)).status, 0);
    // The careful attacker: drop the last record and rewind the head so the database chain is consistent.
    const prev = t.db.prepare('SELECT hash, event_id FROM audit_events WHERE seq = 2').get() as { hash: string; event_id: string };
    t.db.prepare('DELETE FROM audit_events WHERE seq = 3').run();
    t.db.prepare('UPDATE audit_chain_head SET seq = 2, hash = ?, event_id = ? WHERE id = 1').run(prev.hash, prev.event_id);
    const r = await auditCli('verify', '--data-dir', t.dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`BROKEN at record 3 \\(eventID ${ids[2]!.eventID}\\): deleted`));
  } finally {
    t.cleanup();
  }
});

test('fail/audit verify: an edited line in audit.jsonl is named', async () => {
  const t = tempDb();
  try {
    const trail = openAuditTrail(t.db, t.dir);
    const e = sessionEvent();
    await trail.sink.record(e);
    await trail.sink.close();
    const path = auditJsonlPath(t.dir);
    writeFileSync(path, readFileSync(path, 'utf8').replace('127.0.0.1', '10.1.1.1'));
    const r = await auditCli('verify', '--data-dir', t.dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`BROKEN at record 1 \\(eventID ${e.eventID}\\): edited — in \\S+ record 1 does not match its hash`));
  } finally {
    t.cleanup();
  }
});
