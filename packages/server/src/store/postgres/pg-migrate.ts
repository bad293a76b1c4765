import type { PgDatabase } from './pg-database.js';

/** One forward-only schema step for PostgreSQL. Applied in ascending `id`, each exactly once. */
export interface PgMigration {
  id: number;
  name: string;
  statements: string[];
}

/**
 * Applies the pending migrations in ONE transaction that first takes a transaction-scoped
 * advisory lock (PostgreSQL docs §9.27.10, pg_advisory_xact_lock) keyed by the schema name: a
 * second replica starting at the same moment blocks on the lock, then finds every step already
 * recorded and applies nothing. PostgreSQL DDL is transactional, so a failed step leaves no
 * half-built schema behind. Returns the ids it applied.
 */
export async function migratePg(db: PgDatabase, list: readonly PgMigration[]): Promise<number[]> {
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${db.schema}`).catch(async (err: unknown) => {
    // Two replicas creating the schema at once: one of them loses the catalog race (23505).
    if ((err as { code?: unknown }).code !== '23505') throw err;
  });
  return db.tx(async (c) => {
    await c.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`mooring:migrate:${db.schema}`]);
    await c.query(`CREATE TABLE IF NOT EXISTS mooring_schema_migrations (
      id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = new Set((await c.query<{ id: number }>('SELECT id FROM mooring_schema_migrations')).rows.map((r) => r.id));
    const known = new Set(list.map((m) => m.id));
    const unknown = [...applied].filter((id) => !known.has(id));
    // A database migrated by a newer Mooring: refuse rather than run old code on a new schema.
    if (unknown.length > 0) throw new Error(`database schema has migrations this version does not know: ${unknown.join(', ')}`);
    const done: number[] = [];
    for (const m of [...list].sort((a, b) => a.id - b.id)) {
      if (applied.has(m.id)) continue;
      for (const s of m.statements) await c.query(s);
      await c.query('INSERT INTO mooring_schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
      done.push(m.id);
    }
    return done;
  });
}
