// A throw-away PostgreSQL cluster for the restart drill: the machine's shared PostgreSQL is used
// by other tests at the same time and must never be stopped. initdb into a temp dir, trust auth,
// loopback only, a free port, its socket in the temp dir. As root the binaries run as the
// `postgres` OS user (PostgreSQL refuses to run as root).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN_DIRS = [process.env.MOORING_PG_BIN, '/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'].filter((d): d is string => !!d);

export function findPgBin(): string | undefined {
  return BIN_DIRS.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
}

/** Undefined when a private cluster can be made here; otherwise why not. */
export function privatePostgresUnavailable(): string | undefined {
  if (!findPgBin()) return 'initdb/pg_ctl not found (set MOORING_PG_BIN)';
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres'], { stdio: 'ignore' }).status !== 0) return 'running as root without a postgres OS user';
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PrivatePostgres {
  url: string;
  port: number;
  /** `pg_ctl stop -m fast`: open connections are terminated, like an operator's restart. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster (if running) and deletes its directory. */
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findPgBin()!;
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'mooring-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  // Asynchronous: the drill's in-process replica must keep serving while pg_ctl waits.
  const run = (tool: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const cmd = asRoot ? 'runuser' : join(bin, tool);
      const argv = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
      execFile(cmd, argv, { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${tool} failed: ${stderr || stdout || err.message}`)) : resolve(),
      );
    });
  const data = join(dir, 'data');
  const port = await freePort();
  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  let running = false;
  const start = async () => {
    await run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir}`, 'start']);
    running = true;
  };
  const stop = async () => {
    await run('pg_ctl', ['-D', data, '-w', '-t', '30', '-m', 'fast', 'stop']);
    running = false;
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async destroy() {
      try {
        if (running) await stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
