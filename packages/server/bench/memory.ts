// Memory (issue [scale], Benchmark): RSS of the server after N CreateSessions from M distinct
// certificates, sampled as the run goes, so a bounded cache shows as a plateau and an unbounded
// one as a line that keeps rising. Requests are signed in batches just before they are sent.
import { createBenchPki } from './bench-pki.js';
import { presign } from './bench-pki.js';
import { closedLoop, round, target } from './load.js';
import { ServerChild } from './server-child.js';

export interface MemorySample {
  sessions: number;
  rssMiB: number;
  heapUsedMiB: number;
}

export interface MemoryResult {
  sessions: number;
  certificates: number;
  errors: number;
  firstError?: string;
  seconds: number;
  baselineRssMiB: number;
  finalRssMiB: number;
  samples: MemorySample[];
  /** Heap growth over the second half of the run (MiB): near 0 when caches are bounded. */
  secondHalfHeapGrowthMiB: number;
}

const MiB = 1024 * 1024;

export async function runMemory(sessions: number, certificates: number, concurrency: number, log: (s: string) => void): Promise<MemoryResult> {
  const start = performance.now();
  log(`memory: issuing ${certificates} certificates`);
  const pki = await createBenchPki('p256', certificates);
  const server = await ServerChild.start();
  const t = target(server.port, server.caPem);
  try {
    const setup = await server.setup([{ name: 'p256', pem: pki.rootPem }]);
    const warm = await closedLoop([t], await presign(pki, setup, 'p256', 50, certificates - 50), concurrency);
    if (warm.errors) throw new Error(`warm-up failed: ${warm.firstError}`);
    const base = await server.mem(true);
    const samples: MemorySample[] = [{ sessions: 0, rssMiB: round(base.rss / MiB), heapUsedMiB: round(base.heapUsed / MiB) }];
    const batch = 2000;
    const sampleEvery = Math.max(batch, Math.ceil(sessions / 10 / batch) * batch);
    let sent = 0;
    let errors = 0;
    let firstError: string | undefined;
    while (sent < sessions) {
      const n = Math.min(batch, sessions - sent);
      // Consecutive offsets walk through every certificate before any repeats.
      const r = await closedLoop([t], await presign(pki, setup, 'p256', n, sent), concurrency);
      errors += r.errors;
      firstError ??= r.firstError;
      sent += n;
      if (sent % sampleEvery === 0 || sent === sessions) {
        const m = await server.mem(true);
        samples.push({ sessions: sent, rssMiB: round(m.rss / MiB), heapUsedMiB: round(m.heapUsed / MiB) });
        log(`memory: ${sent}/${sessions} sessions, RSS ${round(m.rss / MiB)} MiB, heap ${round(m.heapUsed / MiB)} MiB`);
      }
    }
    const last = samples[samples.length - 1]!;
    const mid = samples.reduce((best, s) => (Math.abs(s.sessions - sessions / 2) < Math.abs(best.sessions - sessions / 2) ? s : best), samples[0]!);
    return {
      sessions: sent,
      certificates,
      errors,
      ...(firstError ? { firstError } : {}),
      seconds: round((performance.now() - start) / 1000, 1),
      baselineRssMiB: samples[0]!.rssMiB,
      finalRssMiB: last.rssMiB,
      samples,
      secondHalfHeapGrowthMiB: round(last.heapUsedMiB - mid.heapUsedMiB),
    };
  } finally {
    t.agent.destroy();
    await server.stop();
  }
}
