import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './run.js';

export interface RunningServer {
  endpoint: string;
  dataDir: string;
  caBundle: string;
  adminCredentials: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `npx mooring server --data-dir DIR --listen 127.0.0.1:0` and waits for its endpoint line. */
export async function startServerProcess(dataDir: string, extra: string[] = []): Promise<RunningServer> {
  const child: ChildProcess = spawn('npx', ['--no-install', 'mooring', 'server', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--log-level', 'warn', ...extra], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const check = () => {
      const m = /endpoint:\s+(https:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    endpoint,
    dataDir,
    caBundle: join(dataDir, 'tls', 'ca.pem'),
    adminCredentials: join(dataDir, 'admin-credentials'),
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        // npx runs the server in a child; signal the whole group.
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          resolve();
        }
      }),
  };
}
