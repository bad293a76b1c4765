// The background refresh schedule: runs passes on its interval, never two at once, and stops.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OnlineRevocation } from '../../src/core/revocation-online/online-revocation.js';
import { startRevocationRefresh } from '../../src/revocation-fetch/refresh-scheduler.js';

test('ok/passes run on the interval, one at a time, a failing pass does not stop the schedule, stop ends it', async () => {
  let passes = 0;
  let running = 0;
  let overlap = false;
  const service = {
    refresh: async () => {
      passes++;
      running++;
      if (running > 1) overlap = true;
      await sleep(50); // longer than the interval: the next ticks must be skipped, not stacked
      running--;
      if (passes === 1) throw new Error('CDP down');
    },
  } as unknown as OnlineRevocation;
  const stop = startRevocationRefresh(service, { intervalMs: 10 });
  await sleep(200);
  await stop();
  const after = passes;
  assert.ok(after >= 2, `only ${after} passes`);
  assert.equal(overlap, false);
  await sleep(50);
  assert.equal(passes, after, 'no pass after stop');
});
