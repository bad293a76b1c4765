import type { ConsoleSessionRecord, ConsoleSessionStore } from '../../core/console/console-session-store.js';
import type { SqliteDatabase } from './database.js';

interface Row {
  principal_json: string;
  csrf_token: string;
  created_ms: number;
  expires_ms: number;
  last_used_ms: number;
}

/** ConsoleSessionStore on the `console_sessions` table (migration 050). */
export class SqliteConsoleSessionStore implements ConsoleSessionStore {
  constructor(private readonly db: SqliteDatabase) {}

  async put(keyHash: string, r: ConsoleSessionRecord): Promise<void> {
    this.db
      .prepare('INSERT OR REPLACE INTO console_sessions (key_hash, principal_json, csrf_token, created_ms, expires_ms, last_used_ms) VALUES (?, ?, ?, ?, ?, ?)')
      .run(keyHash, JSON.stringify(r.principal), r.csrfToken, r.createdAt, r.expiresAt, r.lastUsedAt);
  }

  async get(keyHash: string): Promise<ConsoleSessionRecord | undefined> {
    const row = this.db.prepare('SELECT principal_json, csrf_token, created_ms, expires_ms, last_used_ms FROM console_sessions WHERE key_hash = ?').get(keyHash) as Row | undefined;
    return row && { principal: JSON.parse(row.principal_json), csrfToken: row.csrf_token, createdAt: row.created_ms, expiresAt: row.expires_ms, lastUsedAt: row.last_used_ms };
  }

  /** An UPDATE, not an upsert: touching a session another request just deleted must not revive it. */
  async touch(keyHash: string, lastUsedAt: number): Promise<void> {
    this.db.prepare('UPDATE console_sessions SET last_used_ms = max(last_used_ms, ?) WHERE key_hash = ?').run(lastUsedAt, keyHash);
  }

  async delete(keyHash: string): Promise<void> {
    this.db.prepare('DELETE FROM console_sessions WHERE key_hash = ?').run(keyHash);
  }

  async deleteExpired(nowMs: number, idleTimeoutMs: number): Promise<number> {
    return this.db.prepare('DELETE FROM console_sessions WHERE expires_ms <= ? OR last_used_ms <= ?').run(nowMs, nowMs - idleTimeoutMs).changes;
  }

  async count(principalArn?: string): Promise<number> {
    if (principalArn === undefined) return (this.db.prepare('SELECT count(*) AS n FROM console_sessions').get() as { n: number }).n;
    return (this.db.prepare(`SELECT count(*) AS n FROM console_sessions WHERE json_extract(principal_json, '$.arn') = ?`).get(principalArn) as { n: number }).n;
  }

  async deleteOldest(n: number, principalArn?: string): Promise<number> {
    if (n <= 0) return 0;
    const mine = principalArn === undefined ? '' : `WHERE json_extract(principal_json, '$.arn') = @arn`;
    return this.db
      .prepare(`DELETE FROM console_sessions WHERE key_hash IN (SELECT key_hash FROM console_sessions ${mine} ORDER BY created_ms, key_hash LIMIT @n)`)
      .run({ n, ...(principalArn === undefined ? {} : { arn: principalArn }) }).changes;
  }
}
