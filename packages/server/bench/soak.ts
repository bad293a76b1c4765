// Soak (issue [scale], Benchmark): `--soak SECONDS` at ~80% of peak; every CreateSession must
// succeed, and RSS is sampled every interval to report drift. Paced in 10-second slices, each
// signed just before it runs, so no signature approaches the 5-minute skew limit.
import type { BenchPki } from './bench-pki.js';
import { presign } from './bench-pki.js';
import type { SetupResult } from './bench-server.js';
import { pacedLoop, percentile, round, type Target } from './load.js';
import type { ServerChild } from './server-child.js';

export interface SoakResult {
  seconds: number;
  targetSessionsPerSecond: number;
  sessions: number;
  errors: number;
  firstError?: string;
  p50Ms: number;
  p99Ms: number;
  rssMiB: { atSeconds: number; rss: number }[];
  /** Last sample minus the first one after the first slice (warm). */
  rssDriftMiB: number;
}

export async function runSoak(server: ServerChild, t: Target, pki: BenchPki, setup: SetupResult, seconds: number, rate: number, log: (s: string) => void): Promise<SoakResult> {
  const slice = 10;
  const samples: { atSeconds: number; rss: number }[] = [];
  const latencies: number[] = [];
  let sessions = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  let offset = 0;
  for (let done = 0; done < seconds; done += slice) {
    const len = Math.min(slice, seconds - done);
    const reqs = await presign(pki, setup, 'p256', Math.max(1, Math.round(rate * len)), offset);
    offset += reqs.length;
    const r = await pacedLoop([t], reqs, rate);
    sessions += r.ok;
    errors += r.errors;
    firstError ??= r.firstError;
    // Bounded: keep a sample of latencies, not every one of a long soak.
    for (let i = 0; i < r.latenciesMs.length; i += Math.max(1, Math.floor(r.latenciesMs.length / 1000))) latencies.push(r.latenciesMs[i]!);
    const m = await server.mem(false);
    const at = round((performance.now() - start) / 1000, 0);
    samples.push({ atSeconds: at, rss: round(m.rss / 1024 / 1024) });
    log(`soak: ${at}s, ${sessions} sessions, ${errors} errors, RSS ${round(m.rss / 1024 / 1024)} MiB`);
  }
  const warm = samples[samples.length > 2 ? 1 : 0]!;
  const last = samples[samples.length - 1]!;
  return {
    seconds: round((performance.now() - start) / 1000, 1),
    targetSessionsPerSecond: round(rate, 0),
    sessions,
    errors,
    ...(firstError ? { firstError } : {}),
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 2),
    rssMiB: samples,
    rssDriftMiB: round(last.rss - warm.rss),
  };
}
