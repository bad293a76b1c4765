import type { ConsoleSessionRecord, ConsoleSessionStore } from '../../core/console/console-session-store.js';
import { toInt, type PgDatabase } from './pg-database.js';

interface Row {
  principal_json: string;
  csrf_token: string;
  created_ms: string;
  expires_ms: string;
  last_used_ms: string;
}

/** ConsoleSessionStore on the `console_sessions` table (pg migration 50), shared by every replica. */
export class PgConsoleSessionStore implements ConsoleSessionStore {
  constructor(private readonly db: PgDatabase) {}

  async put(keyHash: string, r: ConsoleSessionRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO console_sessions (key_hash, principal_json, csrf_token, created_ms, expires_ms, last_used_ms) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key_hash) DO UPDATE SET principal_json = excluded.principal_json, csrf_token = excluded.csrf_token,
         created_ms = excluded.created_ms, expires_ms = excluded.expires_ms, last_used_ms = excluded.last_used_ms`,
      [keyHash, JSON.stringify(r.principal), r.csrfToken, r.createdAt, r.expiresAt, r.lastUsedAt],
    );
  }

  async get(keyHash: string): Promise<ConsoleSessionRecord | undefined> {
    const r = await this.db.query<Row>('SELECT principal_json, csrf_token, created_ms, expires_ms, last_used_ms FROM console_sessions WHERE key_hash = $1', [keyHash]);
    const row = r.rows[0];
    return (
      row && {
        principal: JSON.parse(row.principal_json),
        csrfToken: row.csrf_token,
        createdAt: toInt(row.created_ms),
        expiresAt: toInt(row.expires_ms),
        lastUsedAt: toInt(row.last_used_ms),
      }
    );
  }

  /**
   * An UPDATE, not an upsert: a touch racing a sign-out on another replica must not revive the
   * session. GREATEST keeps two replicas' touches from moving the time backwards.
   */
  async touch(keyHash: string, lastUsedAt: number): Promise<void> {
    await this.db.query('UPDATE console_sessions SET last_used_ms = GREATEST(last_used_ms, $1) WHERE key_hash = $2', [lastUsedAt, keyHash]);
  }

  async delete(keyHash: string): Promise<void> {
    await this.db.query('DELETE FROM console_sessions WHERE key_hash = $1', [keyHash]);
  }

  async deleteExpired(nowMs: number, idleTimeoutMs: number): Promise<number> {
    return (await this.db.query('DELETE FROM console_sessions WHERE expires_ms <= $1 OR last_used_ms <= $2', [nowMs, nowMs - idleTimeoutMs])).rowCount ?? 0;
  }

  async count(principalArn?: string): Promise<number> {
    const r = principalArn === undefined
      ? await this.db.query<{ n: string }>('SELECT count(*) AS n FROM console_sessions')
      : await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM console_sessions WHERE (principal_json::jsonb)->>'arn' = $1`, [principalArn]);
    return toInt(r.rows[0]?.n ?? 0);
  }

  async deleteOldest(n: number, principalArn?: string): Promise<number> {
    if (n <= 0) return 0;
    const r = principalArn === undefined
      ? await this.db.query('DELETE FROM console_sessions WHERE key_hash IN (SELECT key_hash FROM console_sessions ORDER BY created_ms, key_hash LIMIT $1)', [n])
      : await this.db.query(
          `DELETE FROM console_sessions WHERE key_hash IN (SELECT key_hash FROM console_sessions WHERE (principal_json::jsonb)->>'arn' = $2 ORDER BY created_ms, key_hash LIMIT $1)`,
          [n, principalArn],
        );
    return r.rowCount ?? 0;
  }
}
