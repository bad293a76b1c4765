// A fresh PostgreSQL schema per benchmark run, dropped afterwards, so runs never see each other
// or the test suite's data. The server selects it through the URL's `options` parameter.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const BENCH_DATABASE_URL = process.env.MOORING_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchSchema {
  name: string;
  /** `--database-url` for the replicas: search_path = the schema, and durable commits kept on. */
  databaseUrl: string;
  drop(): Promise<void>;
}

async function withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: BENCH_DATABASE_URL, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => {});
  }
}

export async function postgresAvailable(): Promise<boolean> {
  try {
    return await withClient(async (c) => (await c.query('SELECT 1')).rowCount === 1);
  } catch {
    return false;
  }
}

export async function createBenchSchema(): Promise<BenchSchema> {
  const name = `mooring_bench_${randomBytes(5).toString('hex')}`;
  await withClient((c) => c.query(`CREATE SCHEMA ${name}`));
  // pg lets the URL's `options` replace the pool's own (connection-parameters.js), so the URL
  // carries synchronous_commit=on too: the audit durability rule must hold while we measure.
  const options = encodeURIComponent(`-c search_path=${name} -c synchronous_commit=on`);
  const sep = BENCH_DATABASE_URL.includes('?') ? '&' : '?';
  return {
    name,
    databaseUrl: `${BENCH_DATABASE_URL}${sep}options=${options}`,
    drop: () => withClient((c) => c.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`)).then(() => undefined),
  };
}
