// The server under benchmark, in its own process so its CPU time (process.cpuUsage()) excludes the
// load generator's. Started by server-child.ts with fork(); answers requests over the IPC channel:
// setup (role, trust anchors, profile through the real admin API), cpu, mem, verify, stop.
// Configuration arrives in BENCH_SERVER_CONFIG (JSON) so nothing secret is on the command line.
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDurableLog, type DurableLog } from './durable-floor.js';
import { startFloorServer, type FloorServer } from './floor-server.js';
import { composeServer, toServerOptions, type ComposedServer } from '@mooring/server';
import { Harness, walkthroughSetup } from '../test/support/in-process.js';

export interface BenchServerConfig {
  dataDir: string;
  databaseUrl?: string;
}

export type BenchRequest =
  | { id: number; op: 'setup'; roots: { name: string; pem: string }[] }
  | { id: number; op: 'cpu' }
  | { id: number; op: 'mem'; gc?: boolean }
  | { id: number; op: 'verify'; spec: 'rsa2048' | 'p256'; n: number }
  | { id: number; op: 'floor-start'; spec: 'rsa2048' | 'p256'; durable?: boolean }
  | { id: number; op: 'floor-stop' }
  | { id: number; op: 'loop-delay' }
  | { id: number; op: 'profile-start' }
  | { id: number; op: 'profile-stop'; file: string }
  | { id: number; op: 'stop' };

export interface SetupResult {
  roleArn: string;
  profileArn: string;
  anchors: Record<string, string>;
}

/** Microseconds of CPU per one-shot crypto.verify (sha256) of a 256-byte message, this process. */
function rawVerifyMicros(spec: 'rsa2048' | 'p256', n: number): number {
  const { privateKey, publicKey } = spec === 'rsa2048' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.alloc(256, 7);
  const sig = sign('sha256', data, privateKey);
  for (let i = 0; i < 200; i++) verify('sha256', data, publicKey, sig);
  const start = process.cpuUsage();
  let good = 0;
  for (let i = 0; i < n; i++) if (verify('sha256', data, publicKey, sig)) good++;
  const used = process.cpuUsage(start);
  if (good !== n) throw new Error('raw verify failed');
  return (used.user + used.system) / n;
}

async function setup(server: ComposedServer, dataDir: string, roots: { name: string; pem: string }[]): Promise<SetupResult> {
  // Harness drives the real app through inject(); setup cost is not measured.
  const h = new Harness();
  h.server = server;
  h.dir = dataDir;
  const s = await walkthroughSetup(h);
  const anchors: Record<string, string> = {};
  for (const r of roots) {
    const ta = await h.admin('rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name: `bench-${r.name}`, enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: r.pem } } }));
    if (ta.status !== 201) throw new Error(`trust anchor: ${ta.status} ${ta.body}`);
    anchors[r.name] = ta.json().trustAnchor.trustAnchorArn as string;
  }
  return { roleArn: s.roleArn, profileArn: s.profileArn, anchors };
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.env.BENCH_SERVER_CONFIG ?? '{}') as BenchServerConfig;
  const server = await composeServer(toServerOptions({ dataDir: cfg.dataDir, listen: '127.0.0.1:0', logLevel: 'silent', ...(cfg.databaseUrl ? { databaseUrl: cfg.databaseUrl } : {}) }));
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const send = (m: unknown) => process.send?.(m);
  let floor: FloorServer | undefined;
  let floorLog: DurableLog | undefined;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let profiler: Session | undefined;
  process.on('message', (raw) => {
    const m = raw as BenchRequest;
    void (async () => {
      try {
        let result: unknown;
        if (m.op === 'setup') result = await setup(server, cfg.dataDir, m.roots);
        else if (m.op === 'cpu') {
          // With the audit group commit's counters: records per durable transaction under this load.
          const stats = (server.auditSink as { stats?: { transactions: number; records: number } }).stats;
          result = { ...process.cpuUsage(), ...(stats ? { commits: stats.transactions, records: stats.records } : {}) };
        }
        else if (m.op === 'mem') {
          const gc = (globalThis as { gc?: () => void }).gc;
          if (m.gc && gc) gc();
          const u = process.memoryUsage();
          result = { rss: u.rss, heapUsed: u.heapUsed, external: u.external };
        } else if (m.op === 'verify') result = rawVerifyMicros(m.spec, m.n);
        else if (m.op === 'loop-delay') {
          // Event-loop stalls since the last call (ms): what a p99 far above p50 comes from.
          result = { maxMs: loopDelay.max / 1e6, p99Ms: loopDelay.percentile(99) / 1e6 };
          loopDelay.reset();
        } else if (m.op === 'profile-start') {
          // A CPU profile of the measured run only (BENCH_PROFILE_DIR): --cpu-prof would also
          // record start-up and the warm-up, which are mostly V8 tier-up.
          profiler = new Session();
          profiler.connect();
          if (process.env.BENCH_HEAP_PROFILE) {
            // Allocation sampling instead (every ~4 KiB allocated), counting objects the GC has
            // already collected too: what the run allocates, not what it retains.
            await profiler.post('HeapProfiler.enable');
            await profiler.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
          } else {
            await profiler.post('Profiler.enable');
            await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
            await profiler.post('Profiler.start');
          }
          result = true;
        } else if (m.op === 'profile-stop') {
          const p = profiler;
          profiler = undefined;
          if (p) {
            const { profile } = process.env.BENCH_HEAP_PROFILE ? ((await p.post('HeapProfiler.getSamplingProfile')) as { profile: unknown }) : await p.post('Profiler.stop');
            writeFileSync(m.file, JSON.stringify(profile));
            p.disconnect();
          }
          result = Boolean(p);
        } else if (m.op === 'floor-start') {
          await floor?.close();
          floorLog?.close();
          floorLog = m.durable ? openDurableLog(mkdtempSync(join(cfg.dataDir, 'floor-'))) : undefined;
          floor = await startFloorServer({ key: readFileSync(server.paths.keyPem, 'utf8'), cert: readFileSync(server.paths.certPem, 'utf8') }, m.spec, floorLog);
          result = floor.port;
        } else if (m.op === 'floor-stop') {
          await floor?.close();
          floorLog?.close();
          floor = undefined;
          floorLog = undefined;
          result = true;
        }
        else if (m.op === 'stop') {
          await server.app.close();
          send({ id: m.id, result: true });
          process.disconnect?.();
          return;
        }
        send({ id: m.id, result });
      } catch (err) {
        send({ id: m.id, error: err instanceof Error ? err.message : String(err) });
      }
    })();
  });
  // The parent going away ends the benchmark: never leave a server behind.
  process.on('disconnect', () => void server.app.close().finally(() => process.exit(0)));
  send({ type: 'ready', port: Number(new URL(address).port), caPem: server.caPem });
}

await main();
