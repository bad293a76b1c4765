// The session policy over the store port (transport/console/console-session-store.ts
// `ConsoleSessions`), on the in-memory port with a hand-driven clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Principal } from '../../src/core/auth/principal.js';
import { MemoryConsoleSessionStore } from '../../src/core/console/console-session-store.js';
import { systemRandom } from '../../src/core/ports/random.js';
import { ConsoleSessions, csrfTokenMatches, TOUCH_INTERVAL_MS } from '../../src/transport/console/console-session-store.js';

const principal = { kind: 'assumed-role', arn: 'a', userId: 'u', accountId: '1', accessKeyId: 'ASIA', isAdmin: false, session: { secretAccessKey: 'SECRET' } } as unknown as Principal;

function setup(limits: { idleTimeoutMs: number; maxSessions: number; maxSessionsPerPrincipal?: number }) {
  const clock = { t: 1_000_000, now() { return new Date(this.t); } };
  const store = new MemoryConsoleSessionStore();
  const sessions = new ConsoleSessions({ store, clock, random: systemRandom, limits: { maxSessionsPerPrincipal: 20, ...limits } });
  return { clock, store, sessions };
}

test('ok/the stored record has no secret and is keyed by a hash, not the cookie id', async () => {
  const { store, sessions, clock } = setup({ idleTimeoutMs: 3600_000, maxSessions: 10 });
  const { id, session } = await sessions.create(principal, clock.t + 5000);
  const dump = JSON.stringify([...store.records]);
  assert.ok(!dump.includes('SECRET'));
  assert.ok(!dump.includes(id), 'keyed by hash');
  assert.equal(store.records.size, 1);
  const got = await sessions.get(id);
  assert.ok(got && csrfTokenMatches(got, session.csrfToken));
  assert.ok(!csrfTokenMatches(got, `${session.csrfToken}x`));
});

test('fail/sessions end at the absolute expiry and after idling, and are deleted from the store', async () => {
  const { store, sessions, clock } = setup({ idleTimeoutMs: 1000, maxSessions: 10 });
  const { id } = await sessions.create(principal, clock.t + 5000);
  clock.t += 900;
  assert.ok(await sessions.get(id), 'used within the idle timeout (and touched: 900 ms ≥ 1000/4)');
  clock.t += 999;
  assert.ok(await sessions.get(id), 'the touch restarted the idle timer');
  clock.t += 1000;
  assert.equal(await sessions.get(id), undefined, 'idle');
  assert.equal(store.records.size, 0);
  const second = await sessions.create(principal, clock.t + 500);
  clock.t += 500;
  assert.equal(await sessions.get(second.id), undefined, 'absolute expiry');
  assert.equal(await sessions.get(undefined), undefined);
  assert.equal(await sessions.get('x'.repeat(200)), undefined);
});

test('ok/lastUsedAt is written at most once per touch interval of use', async () => {
  const { store, sessions, clock } = setup({ idleTimeoutMs: 3600_000, maxSessions: 10 });
  const { id } = await sessions.create(principal, clock.t + 12 * 3600_000);
  const created = clock.t;
  const stored = () => [...store.records.values()][0]!.lastUsedAt;
  clock.t += TOUCH_INTERVAL_MS - 1;
  await sessions.get(id);
  assert.equal(stored(), created, 'no write within the interval');
  clock.t += 1;
  await sessions.get(id);
  assert.equal(stored(), clock.t, 'written once the interval has passed');
});

test('ok/at the count bound the oldest session is evicted, never the new one', async () => {
  const { store, sessions, clock } = setup({ idleTimeoutMs: 3600_000, maxSessions: 2 });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    ids.push((await sessions.create(principal, clock.t + 5000)).id);
    clock.t += 1;
  }
  assert.equal(store.records.size, 2);
  assert.equal(await sessions.get(ids[0]), undefined, 'oldest evicted at the cap');
  assert.ok(await sessions.get(ids[1]));
  assert.ok(await sessions.get(ids[2]));
});

test('fail/one principal signing in over and over evicts only its own sessions, never another\'s', async () => {
  const { store, sessions, clock } = setup({ idleTimeoutMs: 3600_000, maxSessions: 10, maxSessionsPerPrincipal: 3 });
  const admin = { ...principal, arn: 'admin' } as Principal;
  const adminSession = (await sessions.create(admin, clock.t + 5000)).id;
  for (let i = 0; i < 50; i++) {
    clock.t += 1;
    await sessions.create(principal, clock.t + 5000);
  }
  assert.ok(await sessions.get(adminSession), 'the other principal is still signed in');
  assert.equal(await store.count(principal.arn), 3);
  assert.equal(store.records.size, 4);
});

test('ok/delete ends the session', async () => {
  const { sessions, clock } = setup({ idleTimeoutMs: 3600_000, maxSessions: 2 });
  const { id } = await sessions.create(principal, clock.t + 5000);
  await sessions.delete(id);
  assert.equal(await sessions.get(id), undefined);
});
