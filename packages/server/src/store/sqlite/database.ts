import Database from 'better-sqlite3';
import type { SqliteMigration } from './migration.js';
import { migrations } from './migrations/index.js';

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the embedded database and brings its schema up to date.
 * WAL lets readers proceed while a writer commits; `synchronous = FULL` makes every
 * committed transaction durable before we answer (the audit rule of [revocation-audit]).
 * One exception: SqliteSubjectStore's subject writes outside the audit transaction commit
 * without their own fsync, because the FULL audit commit that always follows them on this
 * connection makes them durable before the response (see there).
 */
export function openSqliteDatabase(file: string, list: readonly SqliteMigration[] = migrations): SqliteDatabase {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, list);
  cacheStatements(db);
  return db;
}

/**
 * Runs `f` with `synchronous = NORMAL` on this connection, then restores FULL: its commits are
 * atomic and survive a process crash, but are durable only once the WAL is next fsync'd
 * (sqlite.org/pragma.html#pragma_synchronous). Only for callers that make sure of that fsync
 * before they acknowledge anything (the audit writer's WalFileSync; the subject store, whose
 * writes are followed by the audit commit of the same request on this connection).
 */
export function withRelaxedSync<T>(db: SqliteDatabase, f: () => T): T {
  const s = syncPragmas(db);
  s.relaxed.run();
  try {
    return f();
  } finally {
    s.strict.run();
  }
}

/** The two pragmas, prepared once per connection: the audit group commit switches them every group. */
const syncStatements = new WeakMap<SqliteDatabase, { relaxed: Database.Statement; strict: Database.Statement }>();
function syncPragmas(db: SqliteDatabase): { relaxed: Database.Statement; strict: Database.Statement } {
  let s = syncStatements.get(db);
  if (!s) {
    s = { relaxed: db.prepare('PRAGMA synchronous = NORMAL'), strict: db.prepare('PRAGMA synchronous = FULL') };
    syncStatements.set(db, s);
  }
  return s;
}

export function migrate(db: SqliteDatabase, list: readonly SqliteMigration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as Array<{ id: number }>).map((r) => r.id),
  );
  const done: number[] = [];
  const sorted = [...list].sort((a, b) => a.id - b.id);
  for (const m of sorted) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      for (const s of m.statements) db.exec(s);
      db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
        m.id,
        m.name,
        new Date().toISOString(),
      );
    })();
    done.push(m.id);
  }
  return done;
}

/**
 * Adapters call `db.prepare(sql)` where they use it; compiling the same SQL on every request
 * costs more than running it. Memoise statements per SQL text on this connection. Safe because
 * no adapter changes a statement's mode (pluck/raw/expand) or keeps an iterator open.
 */
function cacheStatements(db: SqliteDatabase): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, ReturnType<typeof prepare>>();
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  }) as typeof db.prepare;
}
