// The generic read-through cache under CreateSession's configuration reads (issue [scale] item 2):
// TTL from the start of the read, no negative entries, the generation rule, the bound.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReadCache } from '../../src/app/hot-path-cache/read-cache.js';

class FakeTime {
  t = 1000;
  now = () => this.t;
}

/** A load whose result the test releases by hand, counting calls. */
function loader<V>(value: V | undefined) {
  const l = {
    calls: 0,
    value,
    load: async () => {
      l.calls++;
      return l.value;
    },
  };
  return l;
}

function deferred<V>() {
  let resolve!: (v: V) => void;
  const promise = new Promise<V>((r) => (resolve = r));
  return { promise, resolve };
}

const make = (time: FakeTime, o: { ttlMs?: number; maxEntries?: number } = {}) =>
  new ReadCache<string>({ ttlMs: o.ttlMs ?? 500, maxEntries: o.maxEntries ?? 100, now: time.now });

describe('ReadCache', () => {
  test('ok/ttl: served from the cache within ttlMs, read again once it has passed', async () => {
    const time = new FakeTime();
    const c = make(time);
    const l = loader('v1');
    assert.equal(await c.get('k', l.load), 'v1');
    time.t += 499;
    l.value = 'v2';
    assert.equal(await c.get('k', l.load), 'v1', 'still fresh at 499 ms');
    assert.equal(l.calls, 1);
    time.t += 1;
    assert.equal(await c.get('k', l.load), 'v2', 'expired at 500 ms');
    assert.equal(l.calls, 2);
  });

  test('ok/ttl: counted from the start of the read, not its end', async () => {
    const time = new FakeTime();
    const c = make(time);
    const d = deferred<string>();
    const p = c.get('k', () => d.promise);
    time.t += 400; // a slow read: the row it returns is already 400 ms old
    d.resolve('v1');
    assert.equal(await p, 'v1');
    time.t += 100;
    const l = loader('v2');
    assert.equal(await c.get('k', l.load), 'v2', 'expired 500 ms after the read began');
  });

  test('ok/ttl: 0 disables caching', async () => {
    const time = new FakeTime();
    const c = make(time, { ttlMs: 0 });
    const l = loader('v');
    await c.get('k', l.load);
    await c.get('k', l.load);
    assert.equal(l.calls, 2);
    assert.equal(c.size, 0);
  });

  test('fail/no-negative: a miss (undefined) is never stored', async () => {
    const time = new FakeTime();
    const c = make(time);
    const l = loader<string>(undefined);
    assert.equal(await c.get('k', l.load), undefined);
    l.value = 'created elsewhere';
    assert.equal(await c.get('k', l.load), 'created elsewhere', 'the next read sees the new resource at once');
    assert.equal(l.calls, 2);
  });

  test('fail/load-error: a failed read is not stored and the next call reads again', async () => {
    const c = make(new FakeTime());
    await assert.rejects(c.get('k', async () => Promise.reject(new Error('db down'))), /db down/);
    const l = loader('v');
    assert.equal(await c.get('k', l.load), 'v');
    assert.equal(l.calls, 1);
  });

  test('ok/invalidate: delete, deleteWhere and clear drop entries', async () => {
    const c = make(new FakeTime());
    for (const k of ['a', 'b', 'c']) await c.get(k, async () => k);
    c.delete('a');
    assert.equal(c.size, 2);
    c.deleteWhere((k) => k === 'b');
    assert.equal(c.size, 1);
    const l = loader('c2');
    assert.equal(await c.get('c', l.load), 'c', 'untouched key still cached');
    c.clear();
    assert.equal(await c.get('c', l.load), 'c2');
  });

  test('ok/coalesce: concurrent misses of one key share one read', async () => {
    const c = make(new FakeTime());
    const d = deferred<string>();
    let calls = 0;
    const load = () => {
      calls++;
      return d.promise;
    };
    const both = Promise.all([c.get('k', load), c.get('k', load)]);
    d.resolve('v');
    assert.deepEqual(await both, ['v', 'v']);
    assert.equal(calls, 1);
  });

  test('fail/generation-race: a read in flight across an invalidation does not store its stale value', async () => {
    const c = make(new FakeTime());
    const old = deferred<string>();
    const inFlight = c.get('k', () => old.promise);
    c.delete('k'); // a write committed while the read was running
    // A caller arriving after the invalidation must not share the read that began before it.
    const fresh = loader('new');
    assert.equal(await c.get('k', fresh.load), 'new');
    assert.equal(fresh.calls, 1);
    old.resolve('old');
    assert.equal(await inFlight, 'old', 'the early caller gets what it read');
    const after = loader('newer');
    assert.equal(await c.get('k', after.load), 'new', 'the entry is the fresh read, not the stale one');
    assert.equal(after.calls, 0);
  });

  test('fail/generation-race: clear() during the read also discards it', async () => {
    const c = make(new FakeTime());
    const old = deferred<string>();
    const inFlight = c.get('k', () => old.promise);
    c.clear();
    old.resolve('old');
    await inFlight;
    assert.equal(c.size, 0);
  });

  test('ok/bound: at most maxEntries, the oldest fill evicted first', async () => {
    const c = make(new FakeTime(), { maxEntries: 3 });
    for (const k of ['a', 'b', 'c', 'd']) await c.get(k, async () => k);
    assert.equal(c.size, 3);
    const l = loader('a2');
    assert.equal(await c.get('a', l.load), 'a2', "'a' was evicted");
    assert.equal(l.calls, 1);
    const kept = loader('x');
    for (const k of ['c', 'd']) assert.equal(await c.get(k, kept.load), k);
    assert.equal(kept.calls, 0, 'the newer entries stayed');
    assert.equal(await c.get('b', kept.load), 'x', "'b' went when 'a' came back");
  });

  test('ok/bound: a refreshed key counts as new, so it is not the next to go', async () => {
    const time = new FakeTime();
    const c = make(time, { maxEntries: 2 });
    await c.get('a', async () => 'a');
    await c.get('b', async () => 'b');
    time.t += 600; // both expired; re-reading 'a' makes it the newest
    await c.get('a', async () => 'a2');
    await c.get('c', async () => 'c');
    const l = loader('?');
    assert.equal(await c.get('a', l.load), 'a2');
    assert.equal(l.calls, 0, "'a' survived, 'b' was evicted");
  });
});
