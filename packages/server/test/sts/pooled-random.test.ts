// The pooled CSPRNG behind every key id, secret and token IV: each draw is fresh bytes, never
// shared with another draw, across pool refills and for large requests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PooledRandom } from '../../src/core/ports/random.js';

test('ok/random: 20,000 small draws across many refills are all distinct and of the asked length', () => {
  const r = new PooledRandom();
  const seen = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    const n = 10 + (i % 23);
    const b = r.bytes(n);
    assert.equal(b.length, n);
    seen.add(b.toString('hex'));
  }
  assert.equal(seen.size, 20_000);
});

test('ok/random: a draw is a copy: changing it changes no later draw', () => {
  const r = new PooledRandom();
  const a = r.bytes(16);
  a.fill(0xaa);
  const b = r.bytes(16);
  assert.notDeepEqual(b, Buffer.alloc(16, 0xaa));
  assert.notDeepEqual(b, Buffer.alloc(16, 0));
});

test('ok/random: byte values are spread evenly (every value within ±25% of its share over 512 KiB)', () => {
  const r = new PooledRandom();
  const counts = new Array<number>(256).fill(0);
  for (let i = 0; i < 16_384; i++) for (const v of r.bytes(32)) counts[v]!++;
  const expected = (16_384 * 32) / 256;
  for (const [v, c] of counts.entries()) assert.ok(Math.abs(c - expected) < expected * 0.25, `byte ${v}: ${c} vs ${expected}`);
});

test('ok/random: draws larger than the pooled maximum come straight from the CSPRNG', () => {
  const r = new PooledRandom();
  const big = r.bytes(5000);
  assert.equal(big.length, 5000);
  assert.notDeepEqual(big, r.bytes(5000));
});
