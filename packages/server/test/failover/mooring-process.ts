// A real `mooring server` replica process for the failure drills (docs/scaling.md, "Failure drills").
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/run.js';

const LAUNCHER = join(REPO_ROOT, 'packages/server/test/failover/run-mooring.ts');

export interface ReplicaProcess {
  child: ChildProcess;
  endpoint: string;
  dataDir: string;
  /** The server's stdout and stderr so far (its log lines never carry secrets). */
  output(): string;
  /** True while the process has neither exited nor been killed by a signal. */
  alive(): boolean;
  exited(): Promise<void>;
  /** SIGTERM (clean shutdown), then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** `mooring server --data-dir DIR --database-url URL --listen 127.0.0.1:0` and waits for its endpoint line. */
export async function startReplicaProcess(o: { dataDir: string; databaseUrl: string; extra?: string[] }): Promise<ReplicaProcess> {
  const args = ['--import', 'tsx', '--conditions=mooring-src', LAUNCHER, 'server', '--data-dir', o.dataDir, '--database-url', o.databaseUrl, '--listen', '127.0.0.1:0', '--log-level', 'warn', ...(o.extra ?? [])];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exitedP = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica did not start within 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = /endpoint:\s+(https:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exitedP.then(() => {
      clearTimeout(timer);
      reject(new Error(`replica exited with ${child.exitCode ?? child.signalCode}:\n${out}`));
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    endpoint,
    dataDir: o.dataDir,
    output: () => out,
    alive,
    exited: () => exitedP,
    async stop() {
      if (!alive()) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitedP;
      clearTimeout(t);
    },
  };
}

/** The bootstrap admin the replica wrote to `DIR/admin-credentials`. */
export function adminOf(dataDir: string): { accessKeyId: string; secretAccessKey: string } {
  const creds = readFileSync(join(dataDir, 'admin-credentials'), 'utf8');
  return {
    accessKeyId: /aws_access_key_id = (\S+)/.exec(creds)![1]!,
    secretAccessKey: /aws_secret_access_key = (\S+)/.exec(creds)![1]!,
  };
}
