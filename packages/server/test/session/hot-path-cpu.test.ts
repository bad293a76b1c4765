// The CreateSession CPU-budget changes (issue [scale] item 5): each one keeps its rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, chainHash, chainHashOfCanonical, GENESIS_HASH } from '../../src/core/audit/audit-chain.js';
import { PolicyParseCache } from '../../src/core/session/policy-parse-cache.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/store/sqlite/database.js';
import { SqliteSubjectStore } from '../../src/store/sqlite/sqlite-subject-store.js';
import type { CredentialSummary } from '../../src/core/roles-anywhere/subject.js';

const T0 = new Date('2030-01-02T03:04:05.000Z');

function withDb(fn: (db: SqliteDatabase) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-hot-'));
    const db = openSqliteDatabase(join(dir, 'm.db'));
    try {
      await fn(db);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const credential = (serial: string, seenAt = T0, failed = false): CredentialSummary => ({
  seenAt, serialNumber: serial, issuer: 'CN=CA', enabled: true, x509CertificateData: '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n', failed,
});
const ids = () => ({ subjectId: 'sub-1', subjectArn: 'arn:aws:rolesanywhere:us-east-1:111122223333:subject/sub-1' });
const syncLevel = (db: SqliteDatabase) => db.pragma('synchronous', { simple: true });

test('ok/subject-write: recordAttempt leaves the connection at synchronous=FULL (2) for every other write', withDb(async (db) => {
  const subjects = new SqliteSubjectStore(db);
  assert.equal(syncLevel(db), 2);
  await subjects.recordAttempt({ x509Subject: 'CN=a', newSubject: ids, credential: credential('01'), now: T0, keep: 10 });
  assert.equal(syncLevel(db), 2, 'FULL restored after the insert path');
  await subjects.recordAttempt({ x509Subject: 'CN=a', newSubject: ids, credential: credential('02'), now: T0, keep: 10 });
  assert.equal(syncLevel(db), 2, 'FULL restored after the update path');
}));

test('fail/subject-write: a failing recordAttempt still restores synchronous=FULL', withDb(async (db) => {
  const subjects = new SqliteSubjectStore(db);
  await assert.rejects(subjects.recordAttempt({
    x509Subject: 'CN=b', newSubject: () => { throw new Error('id source down'); }, credential: credential('01'), now: T0, keep: 10,
  }), /id source down/);
  assert.equal(syncLevel(db), 2);
}));

test('ok/subject-cache: a change by another writer is seen, never a stale cached document', withDb(async (db) => {
  const subjects = new SqliteSubjectStore(db);
  await subjects.recordAttempt({ x509Subject: 'CN=c', newSubject: ids, credential: credential('01'), now: T0, keep: 10 });
  assert.equal(await subjects.setSubjectTags('sub-1', [{ key: 'team', value: 'blue' }]), true);
  // Another process rewrites the row behind this one's back, too.
  const row = db.prepare('SELECT doc FROM subjects WHERE id = ?').get('sub-1') as { doc: string };
  const edited = { ...JSON.parse(row.doc), enabled: false };
  db.prepare('UPDATE subjects SET doc = ? WHERE id = ?').run(JSON.stringify(edited), 'sub-1');
  const later = new Date(T0.getTime() + 1000);
  const s = await subjects.recordAttempt({ x509Subject: 'CN=c', newSubject: ids, credential: credential('02', later), now: later, keep: 10 });
  assert.deepEqual(s.tags, [{ key: 'team', value: 'blue' }], 'tags written by setSubjectTags survive');
  assert.equal(s.enabled, false, 'the other writer\'s change survives');
  assert.deepEqual(s.credentials.map((c) => c.serialNumber), ['02', '01']);
  const stored = await subjects.getSubject('sub-1');
  assert.equal(stored?.enabled, false);
  assert.deepEqual(stored?.credentials.map((c) => c.serialNumber), ['02', '01']);
  assert.equal(stored?.lastSeenAt.getTime(), later.getTime());
}));

test('ok/subject-cache: mutating a returned subject does not leak into the next attempt', withDb(async (db) => {
  const subjects = new SqliteSubjectStore(db);
  const first = await subjects.recordAttempt({ x509Subject: 'CN=d', newSubject: ids, credential: credential('01'), now: T0, keep: 10 });
  first.credentials.length = 0;
  first.enabled = false;
  const second = await subjects.recordAttempt({ x509Subject: 'CN=d', newSubject: ids, credential: credential('02'), now: T0, keep: 10 });
  assert.equal(second.enabled, true);
  assert.deepEqual(second.credentials.map((c) => c.serialNumber), ['02', '01']);
}));

test('ok/audit-hash: hashing the stored canonical text gives the same link as chainHash', () => {
  const event = { b: 1, a: [true, null, { z: 'é', y: undefined }], c: 'x' };
  assert.equal(canonicalJson(event), '{"a":[true,null,{"z":"é"}],"b":1,"c":"x"}');
  assert.equal(chainHashOfCanonical(GENESIS_HASH, canonicalJson(event)), chainHash(GENESIS_HASH, event));
  assert.notEqual(chainHashOfCanonical(GENESIS_HASH, canonicalJson({ ...event, c: 'y' })), chainHash(GENESIS_HASH, event));
});

test('ok/trust-policy-cache: same text parsed once, new text parsed anew', () => {
  const cache = new PolicyParseCache('trust', 2);
  const allow = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const deny = allow.replace('"Allow"', '"Deny"');
  const a1 = cache.parse(allow);
  assert.equal(cache.parse(allow), a1, 'a hit returns the cached parse');
  const d = cache.parse(deny);
  assert.ok(d.ok && d.policy.statements[0]?.effect === 'Deny', 'an updated policy is a new key, parsed anew');
  cache.parse('{"Version":"2012-10-17","Statement":[]}');
  assert.notEqual(cache.parse(allow), a1, 'bounded: the oldest entry was evicted');
});

test('fail/trust-policy-cache: an invalid policy stays invalid on a hit', () => {
  const cache = new PolicyParseCache('trust');
  assert.equal(cache.parse('{not json').ok, false);
  assert.equal(cache.parse('{not json').ok, false);
});
