// Efficiency against the physical limit (issue [scale], Benchmark): server CPU per successful
// CreateSession over one raw crypto.verify of the same key type, both measured in the server
// process in this run; peak throughput (closed loop, rising concurrency); latency at ~80% of it.
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BenchPki } from './bench-pki.js';
import { presign } from './bench-pki.js';
import type { SetupResult } from './bench-server.js';
import { closedLoop, pacedLoop, percentile, round, target, type Target } from './load.js';
import type { ServerChild } from './server-child.js';

export interface CpuRatio {
  rawVerifyMicros: number;
  cpuMicrosPerSession: number;
  userMicrosPerSession: number;
  systemMicrosPerSession: number;
  ratioToRawVerify: number;
  sessions: number;
  concurrency: number;
  sessionsPerSecondPerServerCore: number;
  /** Audit records per durable group commit during the run (both sinks count them). */
  recordsPerCommit?: number;
  /** The transport floor (floor-server.ts): a bare Node HTTPS server doing one verify per request. */
  floorCpuMicrosPerRequest: number;
  floorRatioToRawVerify: number;
  /** Mooring's CPU per session over the floor's: what Mooring itself adds, as a factor. */
  ratioToFloor: number;
  /** The durable floor (durable-floor.ts): the floor plus a ~1 KB group-committed, fsync'd row per request. */
  durableFloorCpuMicrosPerRequest: number;
  durableFloorRatioToRawVerify: number;
  ratioToDurableFloor: number;
}

/** Sessions sent before each CPU measurement, from this many distinct signed requests. */
const WARM_UP_SESSIONS = 3000;
const WARM_UP_SIGNED = 500;

/** Server CPU per session over HTTPS at a fixed concurrency, read from the server process. */
export async function cpuRatio(server: ServerChild, t: Target, pki: BenchPki, setup: SetupResult, anchor: string, sessions: number, concurrency = 8): Promise<CpuRatio> {
  const spec = pki.key === 'rsa2048' ? 'rsa2048' : 'p256';
  // Steady state, not start-up: V8 compiles the hot path in background threads whose CPU counts
  // in the process's, and each leaf's first session validates its chain and creates its subject.
  // Measured here: ~3,000 sessions before the CPU per session settles (about half the figure
  // after 500). The warm-up requests are signed once and sent several times (each is a valid
  // CreateSession within the clock-skew window), so RSA signing does not stretch the run.
  const warmReqs = await presign(pki, setup, anchor, WARM_UP_SIGNED);
  for (let sent = 0; sent < WARM_UP_SESSIONS; sent += warmReqs.length) {
    const warm = await closedLoop([t], warmReqs, concurrency);
    if (warm.errors > 0) throw new Error(`warm-up failed: ${warm.firstError}`);
  }
  const reqs = await presign(pki, setup, anchor, sessions);
  // BENCH_PROFILE_DIR: a CPU profile of the server during this measured run only.
  const profileDir = process.env.BENCH_PROFILE_DIR;
  if (profileDir) await server.profileStart();
  const before = await server.cpu();
  const r = await closedLoop([t], reqs, concurrency);
  const after = await server.cpu();
  if (profileDir) await server.profileStop(join(profileDir, `create-session-${spec}-${Date.now()}.${process.env.BENCH_HEAP_PROFILE ? 'heapprofile' : 'cpuprofile'}`));
  if (r.errors > 0) throw new Error(`${r.errors} of ${sessions} CreateSessions failed: ${r.firstError}`);
  const raw = await server.rawVerifyMicros(spec);
  const floor = await floorCpu(server, t, spec, reqs, concurrency, false);
  const durableFloor = await floorCpu(server, t, spec, reqs, concurrency, true);
  const user = (after.user - before.user) / r.ok;
  const system = (after.system - before.system) / r.ok;
  return {
    rawVerifyMicros: round(raw, 1),
    cpuMicrosPerSession: round(user + system, 1),
    userMicrosPerSession: round(user, 1),
    systemMicrosPerSession: round(system, 1),
    ratioToRawVerify: round((user + system) / raw, 2),
    sessions: r.ok,
    concurrency,
    sessionsPerSecondPerServerCore: round(1e6 / (user + system), 0),
    floorCpuMicrosPerRequest: round(floor, 1),
    floorRatioToRawVerify: round(floor / raw, 2),
    ratioToFloor: round((user + system) / floor, 2),
    durableFloorCpuMicrosPerRequest: round(durableFloor, 1),
    durableFloorRatioToRawVerify: round(durableFloor / raw, 2),
    ratioToDurableFloor: round((user + system) / durableFloor, 2),
    ...(after.commits !== undefined && before.commits !== undefined && after.commits > before.commits
      ? { recordsPerCommit: round((after.records! - before.records!) / (after.commits - before.commits), 2) }
      : {}),
  };
}

/**
 * Server CPU per request of the transport floor, same process, concurrency and request bytes
 * (the requests were already used once: the floor does not look inside them).
 */
async function floorCpu(server: ServerChild, t: Target, spec: 'rsa2048' | 'p256', reqs: Parameters<typeof closedLoop>[1], concurrency: number, durable: boolean): Promise<number> {
  const port = await server.floorStart(spec, durable);
  const ft = target(port, server.caPem);
  try {
    await closedLoop([ft], reqs.slice(0, 200), concurrency);
    const before = await server.cpu();
    const r = await closedLoop([ft], reqs, concurrency);
    const after = await server.cpu();
    if (r.ok !== reqs.length) throw new Error(`floor server: ${r.errors} errors: ${r.firstError}`);
    return (after.user - before.user + after.system - before.system) / r.ok;
  } finally {
    ft.agent.destroy();
    await server.floorStop();
  }
}

export interface PeakStep {
  concurrency: number;
  sessionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface Peak {
  peakSessionsPerSecond: number;
  atConcurrency: number;
  steps: PeakStep[];
}

/**
 * Closed loop at concurrency 1, 2, 4, … for `stepSeconds` each; stops after two steps that do
 * not beat the best by 5% (saturated). Requests are signed before each step.
 */
export async function findPeak(targets: Target[], sign: (count: number) => Promise<Parameters<typeof closedLoop>[1]>, stepSeconds: number, guessPerSecond: number, maxConcurrency = 64): Promise<Peak> {
  const steps: PeakStep[] = [];
  let best = { rate: 0, concurrency: 1 };
  let flat = 0;
  let estimate = guessPerSecond;
  for (let c = 1; c <= maxConcurrency && flat < 2; c *= 2) {
    const reqs = await sign(Math.ceil(Math.max(estimate, best.rate) * stepSeconds * 1.6) + c);
    const r = await closedLoop(targets, reqs, c, stepSeconds);
    if (r.errors > 0) throw new Error(`peak search: ${r.errors} errors at concurrency ${c}: ${r.firstError}`);
    steps.push({ concurrency: c, sessionsPerSecond: round(r.sessionsPerSecond, 0), p50Ms: round(percentile(r.latenciesMs, 50), 2), p99Ms: round(percentile(r.latenciesMs, 99), 2) });
    estimate = r.sessionsPerSecond;
    if (r.sessionsPerSecond > best.rate * 1.05) {
      best = { rate: r.sessionsPerSecond, concurrency: c };
      flat = 0;
    } else flat++;
  }
  return { peakSessionsPerSecond: round(best.rate, 0), atConcurrency: best.concurrency, steps };
}

export interface AtLoad {
  targetSessionsPerSecond: number;
  sessionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  sessions: number;
  errors: number;
  firstError?: string;
  /** Longest event-loop stall during the measured run, in the load generator and in the server (ms). */
  clientStallMaxMs: number;
  serverStallMaxMs?: number;
}

/**
 * A paced run at `rate` sessions/s for `seconds`, requests signed just before. One unmeasured
 * second at the same rate goes first: opening the extra keep-alive connections a paced load
 * needs (a TLS handshake each) is start-up, not the steady-state latency this reports.
 */
export async function runAtRate(targets: Target[], sign: (count: number) => Promise<Parameters<typeof closedLoop>[1]>, rate: number, seconds: number, server?: ServerChild): Promise<AtLoad> {
  await pacedLoop(targets, await sign(Math.max(1, Math.round(rate))), rate);
  const reqs = await sign(Math.max(1, Math.round(rate * seconds)));
  const client = monitorEventLoopDelay({ resolution: 10 });
  await server?.loopDelay();
  client.enable();
  const r = await pacedLoop(targets, reqs, rate);
  client.disable();
  const serverStall = await server?.loopDelay();
  return {
    targetSessionsPerSecond: round(rate, 0),
    sessionsPerSecond: round(r.sessionsPerSecond, 0),
    p50Ms: round(percentile(r.latenciesMs, 50), 2),
    p99Ms: round(percentile(r.latenciesMs, 99), 2),
    sessions: r.ok,
    errors: r.errors,
    ...(r.firstError ? { firstError: r.firstError } : {}),
    clientStallMaxMs: round(client.max / 1e6, 1),
    ...(serverStall ? { serverStallMaxMs: round(serverStall.maxMs, 1) } : {}),
  };
}
