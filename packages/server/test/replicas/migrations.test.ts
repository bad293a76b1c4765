import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPgDatabase, PgDatabase } from '../../src/store/postgres/pg-database.js';
import { migratePg } from '../../src/store/postgres/pg-migrate.js';
import { pgMigrations } from '../../src/store/postgres/pg-migrations.js';
import { DATABASE_URL, dropSchema, newSchemaName, postgresSkip } from '../store-contract/backends.js';

const skip = await postgresSkip();

test('ok/replicas starting together migrate once (advisory lock), later starts apply nothing', { skip }, async () => {
  const schema = newSchemaName();
  const dbs: PgDatabase[] = [];
  try {
    dbs.push(...(await Promise.all([1, 2, 3].map(() => openPgDatabase({ connectionString: DATABASE_URL, schema, max: 2 })))));
    const rows = await dbs[0]!.query<{ id: number }>('SELECT id FROM mooring_schema_migrations ORDER BY id');
    assert.deepEqual(rows.rows.map((r) => r.id), pgMigrations.map((m) => m.id));
    assert.deepEqual(await migratePg(dbs[0]!, pgMigrations), [], 'already applied');
    const head = await dbs[1]!.query<{ seq: string }>('SELECT seq FROM audit_chain_head');
    assert.equal(head.rows.length, 1, 'the genesis head row was inserted exactly once');
  } finally {
    await Promise.all(dbs.map((d) => d.close()));
    await dropSchema(schema);
  }
});

test('fail/a database migrated by a newer version is refused', { skip }, async () => {
  const schema = newSchemaName();
  const db = await openPgDatabase({ connectionString: DATABASE_URL, schema, max: 1 });
  try {
    await migratePg(db, [...pgMigrations, { id: 9999, name: 'future', statements: ['CREATE TABLE future_thing (x int)'] }]);
    await assert.rejects(migratePg(db, pgMigrations), /migrations this version does not know: 9999/);
  } finally {
    await db.close();
    await dropSchema(schema);
  }
});

test('fail/a failed migration step leaves nothing behind (transactional DDL)', { skip }, async () => {
  const schema = newSchemaName();
  const db = await openPgDatabase({ connectionString: DATABASE_URL, schema, max: 1 });
  try {
    const bad = { id: 500, name: 'bad', statements: ['CREATE TABLE half_done (x int)', 'SELECT * FROM no_such_table'] };
    await assert.rejects(migratePg(db, [...pgMigrations, bad]));
    const t = await db.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'half_done'`, [schema]);
    assert.equal(t.rowCount, 0);
    const m = await db.query('SELECT 1 FROM mooring_schema_migrations WHERE id = 500');
    assert.equal(m.rowCount, 0);
  } finally {
    await db.close();
    await dropSchema(schema);
  }
});

test('fail/an unsafe schema name is refused before any SQL', () => {
  assert.throws(() => new PgDatabase({ connectionString: DATABASE_URL, schema: 'x; DROP TABLE y' }), /schema name/);
});
