// Scaling (issue [scale], Benchmark): peak throughput with 1 and 2 replicas on SQLite and on
// PostgreSQL. SQLite is one process's embedded store, so it has one replica only. The load
// generator spreads requests round-robin over the replicas' listeners (no load balancer).
import { createBenchPki, presign, type BenchPki } from './bench-pki.js';
import type { SetupResult } from './bench-server.js';
import { findPeak, type Peak } from './efficiency.js';
import { target } from './load.js';
import { createBenchSchema, postgresAvailable } from './pg-schema.js';
import { ServerChild } from './server-child.js';

export interface ScalingRow {
  store: 'sqlite' | 'postgres';
  replicas: number;
  peakSessionsPerSecond: number;
  atConcurrency: number;
  steps: Peak['steps'];
}

export interface Scaling {
  rows: ScalingRow[];
  notes: string[];
}

async function measure(store: 'sqlite' | 'postgres', replicas: ServerChild[], pki: BenchPki, stepSeconds: number): Promise<ScalingRow> {
  const setup: SetupResult = await replicas[0]!.setup([{ name: 'p256', pem: pki.rootPem }]);
  const targets = replicas.map((r) => target(r.port, r.caPem));
  let offset = 0;
  const sign = async (n: number) => {
    const reqs = await presign(pki, setup, 'p256', n, offset);
    offset += n;
    return reqs;
  };
  const peak = await findPeak(targets, sign, stepSeconds, 500);
  for (const t of targets) t.agent.destroy();
  return { store, replicas: replicas.length, peakSessionsPerSecond: peak.peakSessionsPerSecond, atConcurrency: peak.atConcurrency, steps: peak.steps };
}

export async function runScaling(stepSeconds: number, log: (s: string) => void): Promise<Scaling> {
  const pki = await createBenchPki('p256', 50);
  const rows: ScalingRow[] = [];
  const notes = ['SQLite is an embedded, single-process store: one replica only.', 'Load generator, replicas and PostgreSQL share this machine\'s cores; more replicas than cores cannot scale.'];
  log('scaling: SQLite, 1 replica');
  const one = await ServerChild.start();
  try {
    rows.push(await measure('sqlite', [one], pki, stepSeconds));
  } finally {
    await one.stop();
  }
  if (!(await postgresAvailable())) {
    notes.push('PostgreSQL not reachable: PostgreSQL rows skipped.');
    return { rows, notes };
  }
  for (const n of [1, 2]) {
    log(`scaling: PostgreSQL, ${n} replica(s)`);
    const schema = await createBenchSchema();
    const replicas: ServerChild[] = [];
    try {
      replicas.push(await ServerChild.start({ databaseUrl: schema.databaseUrl }));
      // Later replicas start from a copy of the first one's data dir (token keys, TLS), as documented.
      for (let i = 1; i < n; i++) replicas.push(await ServerChild.start({ databaseUrl: schema.databaseUrl, copyDataDirFrom: replicas[0]!.dataDir }));
      rows.push(await measure('postgres', replicas, pki, stepSeconds));
    } finally {
      for (const r of replicas) await r.stop();
      await schema.drop();
    }
  }
  return { rows, notes };
}
