// Console sessions in the store (core/console/console-session-store.ts): the contract both
// backends must meet, so any replica on one database serves a signed-in browser.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createStores, type Stores } from '../../src/app/store-factory.js';
import type { Principal } from '../../src/core/auth/principal.js';
import type { ConsoleSessionRecord } from '../../src/core/console/console-session-store.js';
import { backendHooks, DATABASE_URL, postgresBackend, postgresSkip, sqliteBackend, type Backend, type OpenStores } from './backends.js';

const T = 1_700_000_000_000;
const principal: Principal = {
  kind: 'assumed-role',
  arn: 'arn:aws:sts::123456789012:assumed-role/r/s',
  userId: 'AROA:s',
  accountId: '123456789012',
  accessKeyId: 'ASIAEXAMPLE',
  isAdmin: false,
  session: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: '', accountId: '123456789012', roleArn: 'arn:r', roleId: 'AROA', roleName: 'r', sessionName: 's', tags: [{ key: 'k', value: 'v' }], issuedAt: 1, expiresAt: 2 },
};
const record = (o: Partial<ConsoleSessionRecord> = {}): ConsoleSessionRecord => ({ principal, csrfToken: `csrf-${Math.random()}`, createdAt: T, expiresAt: T + 3600_000, lastUsedAt: T, ...o });
const newKey = () => `key-${Math.random()}`;

function run(backend: Backend, skip?: string): void {
  describe(`console sessions: ${backend.name}`, { skip }, () => {
    let open: OpenStores;
    let s: Stores;
    backendHooks(backend, (o) => {
      open = o;
      s = o.stores;
    });

    test('ok/put then get returns the record, principal intact; delete removes it', async () => {
      const key = newKey();
      const r = record();
      await s.consoleSessions.put(key, r);
      assert.deepEqual(await s.consoleSessions.get(key), r);
      await s.consoleSessions.delete(key);
      assert.equal(await s.consoleSessions.get(key), undefined);
    });

    test('fail/get of an unknown key is undefined', async () => {
      assert.equal(await s.consoleSessions.get(newKey()), undefined);
    });

    test('ok/touch moves lastUsedAt forward only, and never revives a deleted session', async () => {
      const key = newKey();
      await s.consoleSessions.put(key, record());
      await s.consoleSessions.touch(key, T + 500);
      assert.equal((await s.consoleSessions.get(key))?.lastUsedAt, T + 500);
      await s.consoleSessions.touch(key, T + 100);
      assert.equal((await s.consoleSessions.get(key))?.lastUsedAt, T + 500, 'an older touch does not move it back');
      await s.consoleSessions.delete(key);
      await s.consoleSessions.touch(key, T + 900);
      assert.equal(await s.consoleSessions.get(key), undefined);
    });

    test('ok/count and deleteOldest per principal touch only that principal\'s sessions', async () => {
      const other: Principal = { ...principal, arn: `arn:aws:sts::123456789012:assumed-role/r/other-${Math.random()}` };
      const mineArn = `arn:aws:sts::123456789012:assumed-role/r/mine-${Math.random()}`;
      const mine: Principal = { ...principal, arn: mineArn };
      const theirs = newKey();
      await s.consoleSessions.put(theirs, record({ principal: other, createdAt: T - 100 }));
      const [m1, m2, m3] = [newKey(), newKey(), newKey()];
      await s.consoleSessions.put(m1, record({ principal: mine, createdAt: T }));
      await s.consoleSessions.put(m2, record({ principal: mine, createdAt: T + 1 }));
      await s.consoleSessions.put(m3, record({ principal: mine, createdAt: T + 2 }));
      assert.equal(await s.consoleSessions.count(mineArn), 3);
      assert.equal(await s.consoleSessions.deleteOldest(2, mineArn), 2);
      assert.equal(await s.consoleSessions.count(mineArn), 1);
      assert.ok(await s.consoleSessions.get(m3));
      assert.ok(await s.consoleSessions.get(theirs), 'another principal\'s older session stays');
    });

    test('ok/deleteExpired removes expired and idle sessions only; deleteOldest evicts by createdAt', async () => {
      const before = await s.consoleSessions.count();
      const [live, expired, idle] = [newKey(), newKey(), newKey()];
      await s.consoleSessions.put(live, record({ createdAt: T + 2, lastUsedAt: T + 900 }));
      await s.consoleSessions.put(expired, record({ createdAt: T, expiresAt: T + 1000, lastUsedAt: T + 900 }));
      await s.consoleSessions.put(idle, record({ createdAt: T + 1, lastUsedAt: T }));
      assert.equal(await s.consoleSessions.count(), before + 3);
      // At T+1000 with a 1000 ms idle timeout: `expired` is at its end, `idle` unused for 1000 ms.
      assert.ok((await s.consoleSessions.deleteExpired(T + 1000, 1000)) >= 2);
      assert.ok(await s.consoleSessions.get(live));
      assert.equal(await s.consoleSessions.get(expired), undefined);
      assert.equal(await s.consoleSessions.get(idle), undefined);

      const [older, newer] = [newKey(), newKey()];
      await s.consoleSessions.put(older, record({ createdAt: T - 10 }));
      await s.consoleSessions.put(newer, record({ createdAt: T + 10 }));
      assert.equal(await s.consoleSessions.deleteOldest(1), 1);
      assert.equal(await s.consoleSessions.get(older), undefined, 'the oldest is evicted');
      assert.ok(await s.consoleSessions.get(newer));
      assert.ok(await s.consoleSessions.get(live));
    });

    if (backend.multiWriter)
      test('ok/a session put on one replica is read, touched and deleted on another', async () => {
        const second = await createStores({ kind: 'postgres', databaseUrl: DATABASE_URL, schema: open.schema!, poolSize: 2 });
        try {
          const key = newKey();
          const r = record();
          await s.consoleSessions.put(key, r);
          assert.deepEqual(await second.consoleSessions.get(key), r);
          await second.consoleSessions.touch(key, T + 42);
          assert.equal((await s.consoleSessions.get(key))?.lastUsedAt, T + 42);
          await second.consoleSessions.delete(key);
          assert.equal(await s.consoleSessions.get(key), undefined);
        } finally {
          await second.close();
        }
      });
  });
}

run(sqliteBackend);
run(postgresBackend, await postgresSkip());
