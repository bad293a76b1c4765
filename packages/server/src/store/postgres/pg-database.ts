import pg from 'pg';
import type { PoolClient } from 'pg';
import { migratePg } from './pg-migrate.js';
import { pgMigrations } from './pg-migrations.js';

/** A schema name we are willing to splice into `search_path` (no quoting games). */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PgDatabaseOptions {
  /** `postgres://user@host:port/db`; never logged (it may carry a password). */
  connectionString: string;
  /** Schema holding Mooring's tables (default `public`). Created if absent. */
  schema?: string;
  /** Pool size per replica (default 10). */
  max?: number;
}

/**
 * The shared PostgreSQL behind every replica. One pool; every connection runs with
 * `search_path` set to the Mooring schema and `synchronous_commit = on`, so a COMMIT returns
 * only after its WAL is flushed (PostgreSQL docs §20.5.1, "synchronous_commit") whatever the
 * server default: the audit rule of [revocation-audit] (record() resolves after a durable
 * commit) does not depend on how the operator tuned the cluster.
 */
/**
 * Separates the URL's `options` parameter (e.g. `?options=-c search_path=tenant_a`) so the
 * pool can append its own settings to it; a `search_path` there names the Mooring schema.
 */
function splitUrlOptions(raw: string): { connectionString: string; urlOptions?: string; urlSchema?: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { connectionString: raw };
  }
  const urlOptions = url.searchParams.get('options') ?? undefined;
  if (urlOptions === undefined) return { connectionString: raw };
  url.searchParams.delete('options');
  const schema = /(?:^|\s)-c\s*search_path=([a-z_][a-z0-9_]*)(?:\s|$)/.exec(urlOptions)?.[1];
  return { connectionString: url.toString(), urlOptions, ...(schema ? { urlSchema: schema } : {}) };
}

export class PgDatabase {
  readonly pool: pg.Pool;
  readonly schema: string;
  private closed = false;

  constructor(opts: PgDatabaseOptions) {
    const { connectionString, urlOptions, urlSchema } = splitUrlOptions(opts.connectionString);
    const schema = opts.schema ?? urlSchema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) throw new Error(`PostgreSQL schema name must match ${SCHEMA_NAME.source}`);
    this.schema = schema;
    this.pool = new pg.Pool({
      connectionString,
      max: opts.max ?? 10,
      // node-postgres lets a URL's `options` replace this setting wholesale, which would drop
      // synchronous_commit: keep the operator's options and put ours last, so ours win.
      options: [urlOptions, `-c search_path=${schema}`, '-c synchronous_commit=on'].filter(Boolean).join(' '),
      connectionTimeoutMillis: 5000,
    });
    // An idle client that loses its connection (PostgreSQL restart) must not crash the process;
    // the pool drops it and the next query opens a fresh one.
    this.pool.on('error', () => {});
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, args: readonly unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(sql, args as unknown[]);
  }

  /**
   * Runs `fn` in one READ COMMITTED transaction. Writers that must not interleave take row
   * locks (`SELECT … FOR UPDATE`) or advisory locks inside `fn`. Serialization failures and
   * deadlocks (SQLSTATE 40001, 40P01) are retried a few times, since `fn` has no effect
   * outside the transaction.
   */
  async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const c = await this.pool.connect();
      let broken: Error | undefined;
      // pg-pool listens for errors only on idle clients. A checked-out client whose connection
      // is terminated between two queries (PostgreSQL restart, failure drill 2) emits 'error'
      // with no listener, which would crash the process; record it and discard the client.
      const onError = (e: Error) => {
        broken = e;
      };
      c.on('error', onError);
      try {
        await c.query('BEGIN');
        const out = await fn(c);
        await c.query('COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK').catch((e: unknown) => {
          broken = e instanceof Error ? e : new Error(String(e));
        });
        const code = (err as { code?: unknown }).code;
        if ((code === '40001' || code === '40P01') && attempt < 5) continue;
        throw err;
      } finally {
        c.removeListener('error', onError);
        c.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/**
 * Connects, creates the schema if needed and applies pending migrations (under an advisory
 * lock, so replicas starting together do not race; see pg-migrate.ts).
 */
export async function openPgDatabase(opts: PgDatabaseOptions): Promise<PgDatabase> {
  const db = new PgDatabase(opts);
  try {
    await migratePg(db, pgMigrations);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/** pg returns BIGINT as a string (it may exceed 2^53); our sequences stay far below. */
export function toInt(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new Error('integer column out of range');
  return n;
}
