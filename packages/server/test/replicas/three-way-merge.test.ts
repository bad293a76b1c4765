import assert from 'node:assert/strict';
import { test } from 'node:test';
import { threeWayMerge } from '../../src/store/postgres/three-way-merge.js';

test('ok/merge: changes to different members are both kept', () => {
  const base = { name: 'a', enabled: true, n: { x: 1, y: 1 } };
  assert.deepEqual(threeWayMerge(base, { ...base, name: 'b', n: { x: 2, y: 1 } }, { ...base, enabled: false, n: { x: 1, y: 3 } }), {
    name: 'b', enabled: false, n: { x: 2, y: 3 },
  });
});

test('ok/merge: tag lists merge by key, removals included', () => {
  const base = { tags: [{ key: 'a', value: '1' }, { key: 'b', value: '1' }] };
  const mine = { tags: [{ key: 'a', value: '2' }, { key: 'c', value: '1' }] }; // changed a, removed b, added c
  const theirs = { tags: [{ key: 'a', value: '1' }, { key: 'b', value: '1' }, { key: 'd', value: '1' }] };
  assert.deepEqual(threeWayMerge(base, mine, theirs), { tags: [{ key: 'a', value: '2' }, { key: 'd', value: '1' }, { key: 'c', value: '1' }] });
});

test('ok/merge: string lists (role ARNs) merge as sets; other conflicts take mine', () => {
  assert.deepEqual(threeWayMerge(['r1'], ['r1', 'r2'], ['r1', 'r3']), ['r1', 'r3', 'r2']);
  assert.equal(threeWayMerge('a', 'b', 'c'), 'b');
  assert.deepEqual(threeWayMerge([1], [2], [3]), [2]);
});

test('ok/merge: a member only they added or only I removed', () => {
  assert.deepEqual(threeWayMerge({ a: 1 }, { a: 1 }, { a: 1, b: 2 }), { a: 1, b: 2 });
  assert.deepEqual(threeWayMerge({ a: 1, s: 'x' }, { a: 1 }, { a: 2, s: 'x' }), { a: 2 });
});
