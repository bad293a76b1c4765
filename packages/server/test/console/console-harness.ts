import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { composeServer, toServerOptions } from '@mooring/server';
import { SqliteSubjectStore } from '../../src/store/sqlite/sqlite-subject-store.js';
import type { ConsoleDeps, ConsoleOptions } from '../../src/transport/console/console-deps.js';
import { Harness } from '../support/in-process.js';

/**
 * The real composed server (TLS, SQLite, every API route, the console) listening on a free port
 * for the browser; the tests reuse the deps compose.ts built the console with.
 */
export async function startConsoleServer(opts: ConsoleOptions = {}): Promise<{ h: Harness; baseUrl: string; deps: ConsoleDeps; subjectStore: SqliteSubjectStore }> {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-console-'));
  const server = await composeServer(toServerOptions({ dataDir: dir, listen: '127.0.0.1:0', logLevel: 'silent' }), { console: opts });
  // compose.ts registers the console itself; the tests reuse the very deps it was built with.
  const deps: ConsoleDeps = server.consoleDeps;
  const subjectStore = new SqliteSubjectStore(server.db!);
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (server.app.server.address() as AddressInfo).port;
  const h = new Harness();
  h.server = server;
  h.dir = dir;
  return { h, baseUrl: `https://127.0.0.1:${port}`, deps, subjectStore };
}

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
