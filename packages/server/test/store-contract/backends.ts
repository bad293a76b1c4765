// The two store backends the contract runs against: SQLite in a temp data dir, and PostgreSQL
// in a fresh schema of the test database (dropped afterwards), so runs never see each other.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import pg from 'pg';
import { createStores, type Stores } from '../../src/app/store-factory.js';
// Plain .mjs helper shared by every package's tests (types: scripts/test-support.d.mts).
import { requireOrSkip } from '../../../../scripts/test-support.mjs';

export const DATABASE_URL = process.env.MOORING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Several replicas may write concurrently (PostgreSQL); SQLite is one process's store. */
  multiWriter: boolean;
  open(): Promise<OpenStores>;
}

export interface OpenStores {
  stores: Stores;
  /** For PostgreSQL: the schema, so a second replica can open the same one. */
  schema?: string;
  cleanup(): Promise<void>;
}

let reachable: Promise<boolean> | undefined;

/** True when the test PostgreSQL accepts a connection within 3 s. */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const c = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => {});
    }
  })();
  return reachable;
}

/** `undefined` when PostgreSQL is there; otherwise a skip reason (or a throw in CI). */
export async function postgresSkip(): Promise<string | undefined> {
  return requireOrSkip(await postgresReachable(), `PostgreSQL not reachable at ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')}`) as string | undefined;
}

export function newSchemaName(): string {
  return `mooring_test_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: DATABASE_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}

export const sqliteBackend: Backend = {
  name: 'sqlite',
  multiWriter: false,
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-contract-'));
    const stores = await createStores({ kind: 'sqlite', dataDir: dir });
    return {
      stores,
      async cleanup() {
        await stores.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgresBackend: Backend = {
  name: 'postgres',
  multiWriter: true,
  async open() {
    const schema = newSchemaName();
    const stores = await createStores({ kind: 'postgres', databaseUrl: DATABASE_URL, schema, poolSize: 4 });
    return {
      stores,
      schema,
      async cleanup() {
        await stores.close();
        await dropSchema(schema);
      },
    };
  },
};

/** Call inside a describe: opens `backend` before its tests, hands it to `ready`, cleans up after. */
export function backendHooks(backend: Backend, ready: (open: OpenStores) => void): void {
  let open: OpenStores | undefined;
  before(async () => {
    open = await backend.open();
    ready(open);
  });
  after(async () => {
    await open?.cleanup();
  });
}
