// Parent side of bench-server.ts: forks it, waits for its port, and calls its IPC operations.
import { fork, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRequest, BenchServerConfig, SetupResult } from './bench-server.js';

export interface Cpu {
  user: number;
  system: number;
  /** Audit group commits and the records they held, since the server started. */
  commits?: number;
  records?: number;
}

export interface Mem {
  rss: number;
  heapUsed: number;
  external: number;
}

type Op = BenchRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class ServerChild {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly caPem: string,
    readonly dataDir: string,
  ) {
    child.on('message', (raw) => {
      const m = raw as { id?: number; result?: unknown; error?: string };
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error('bench server exited'));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Forks a server on 127.0.0.1:0; `copyDataDirFrom` shares token keys and TLS with a first replica. */
  static async start(o: { databaseUrl?: string; copyDataDirFrom?: string } = {}): Promise<ServerChild> {
    const dataDir = mkdtempSync(join(tmpdir(), 'mooring-bench-'));
    if (o.copyDataDirFrom) cpSync(o.copyDataDirFrom, dataDir, { recursive: true });
    const cfg: BenchServerConfig = { dataDir, ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}) };
    const child = fork(new URL('./bench-server.ts', import.meta.url).pathname, [], {
      // BENCH_SERVER_NODE_ARGS adds Node flags to the server only, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof'.
      execArgv: ['--import', 'tsx', '--conditions=mooring-src', '--expose-gc', ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)],
      env: { ...process.env, BENCH_SERVER_CONFIG: JSON.stringify(cfg) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<{ port: number; caPem: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench server did not start within 60 s')), 60_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`bench server exited with ${code}`));
      });
      child.on('message', (m: { type?: string; port?: number; caPem?: string }) => {
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        resolve({ port: m.port!, caPem: m.caPem! });
      });
    });
    child.removeAllListeners('exit');
    return new ServerChild(child, ready.port, ready.caPem, dataDir);
  }

  private call<T>(op: Op): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...op, id });
    });
  }

  setup(roots: { name: string; pem: string }[]): Promise<SetupResult> {
    return this.call({ op: 'setup', roots });
  }

  cpu(): Promise<Cpu> {
    return this.call({ op: 'cpu' });
  }

  mem(gc = true): Promise<Mem> {
    return this.call({ op: 'mem', gc });
  }

  rawVerifyMicros(spec: 'rsa2048' | 'p256', n = 2000): Promise<number> {
    return this.call({ op: 'verify', spec, n });
  }

  /** The server's longest event-loop stall and its p99 since the previous call, in ms. */
  loopDelay(): Promise<{ maxMs: number; p99Ms: number }> {
    return this.call({ op: 'loop-delay' });
  }

  /**
   * Starts the transport-floor server (floor-server.ts) in the server process, with `durable`
   * the durable floor (durable-floor.ts); returns its port.
   */
  floorStart(spec: 'rsa2048' | 'p256', durable = false): Promise<number> {
    return this.call({ op: 'floor-start', spec, durable });
  }

  /** Starts a profile in the server process (node:inspector): CPU, sampled every 200 µs, or allocations with BENCH_HEAP_PROFILE. */
  profileStart(): Promise<boolean> {
    return this.call({ op: 'profile-start' });
  }

  /** Stops the profile and writes it to `file` (.cpuprofile or .heapprofile; Chrome DevTools opens both). */
  profileStop(file: string): Promise<boolean> {
    return this.call({ op: 'profile-stop', file });
  }

  floorStop(): Promise<boolean> {
    return this.call({ op: 'floor-stop' });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.connected) {
      const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
      await Promise.race([this.call({ op: 'stop' }).catch(() => undefined), new Promise((r) => setTimeout(r, 10_000))]);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
