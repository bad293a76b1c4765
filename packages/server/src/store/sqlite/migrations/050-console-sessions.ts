import type { SqliteMigration } from '../migration.js';

/**
 * Web console sessions (core/console/console-session-store.ts), kept in the store so a restart
 * does not sign everyone out. `key_hash` is the SHA-256 of the cookie id, never the id; the
 * principal JSON has its session secret blanked. Times are epoch ms.
 */
export const consoleSessionsMigration: SqliteMigration = {
  id: 50,
  name: 'console-sessions',
  statements: [
    `CREATE TABLE console_sessions (
       key_hash TEXT PRIMARY KEY,
       principal_json TEXT NOT NULL,
       csrf_token TEXT NOT NULL,
       created_ms INTEGER NOT NULL,
       expires_ms INTEGER NOT NULL,
       last_used_ms INTEGER NOT NULL)`,
    `CREATE INDEX console_sessions_created ON console_sessions (created_ms)`,
  ],
};
