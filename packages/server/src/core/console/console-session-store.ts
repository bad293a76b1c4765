import type { Principal } from '../auth/principal.js';

/**
 * One signed-in browser as stored. Holds no secret: the principal's session secret is blanked
 * before it gets here, and the record is filed under the SHA-256 of the cookie id, never the id
 * itself (OWASP Session Management Cheat Sheet), so a database dump yields no usable cookie.
 */
export interface ConsoleSessionRecord {
  principal: Principal;
  /** Synchronizer token (OWASP CSRF Prevention Cheat Sheet): embedded in every form. */
  csrfToken: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms: the absolute end (≤ 12 h, ≤ the credentials' expiry). */
  expiresAt: number;
  /** Epoch ms; written at most every few seconds of use, so it may lag (console-session-store.ts in transport). */
  lastUsedAt: number;
}

/**
 * Where console sessions live, so every replica on one database serves the same browser (no
 * sticky sessions, docs/scaling.md). Storage only: expiry, idle timeout and the count bound are
 * the policy of transport/console/console-session-store.ts. Adapters:
 * store/sqlite/sqlite-console-session-store.ts and store/postgres/pg-console-session-store.ts.
 */
export interface ConsoleSessionStore {
  put(keyHash: string, record: ConsoleSessionRecord): Promise<void>;
  get(keyHash: string): Promise<ConsoleSessionRecord | undefined>;
  /** Moves lastUsedAt forward (never back); a deleted session stays deleted. */
  touch(keyHash: string, lastUsedAt: number): Promise<void>;
  delete(keyHash: string): Promise<void>;
  /** Removes sessions past expiresAt or idle for idleTimeoutMs at nowMs; returns how many. */
  deleteExpired(nowMs: number, idleTimeoutMs: number): Promise<number>;
  /** All sessions, or those of the principal with this ARN. */
  count(principalArn?: string): Promise<number>;
  /**
   * Removes the n oldest sessions by createdAt (the count bounds' eviction), of everyone or of
   * the principal with this ARN; returns how many.
   */
  deleteOldest(n: number, principalArn?: string): Promise<number>;
}

/** In-memory implementation for tests and for composing without a database. */
export class MemoryConsoleSessionStore implements ConsoleSessionStore {
  readonly records = new Map<string, ConsoleSessionRecord>();

  async put(keyHash: string, record: ConsoleSessionRecord): Promise<void> {
    // A copy, as a database would keep: callers cannot change the stored record by mutation.
    this.records.set(keyHash, structuredClone(record));
  }

  async get(keyHash: string): Promise<ConsoleSessionRecord | undefined> {
    const r = this.records.get(keyHash);
    return r && structuredClone(r);
  }

  async touch(keyHash: string, lastUsedAt: number): Promise<void> {
    const r = this.records.get(keyHash);
    if (r) r.lastUsedAt = Math.max(r.lastUsedAt, lastUsedAt);
  }

  async delete(keyHash: string): Promise<void> {
    this.records.delete(keyHash);
  }

  async deleteExpired(nowMs: number, idleTimeoutMs: number): Promise<number> {
    let n = 0;
    for (const [k, r] of this.records) if ((nowMs >= r.expiresAt || nowMs - r.lastUsedAt >= idleTimeoutMs) && this.records.delete(k)) n++;
    return n;
  }

  async count(principalArn?: string): Promise<number> {
    return principalArn === undefined ? this.records.size : [...this.records.values()].filter((r) => r.principal.arn === principalArn).length;
  }

  async deleteOldest(n: number, principalArn?: string): Promise<number> {
    const oldest = [...this.records]
      .filter(([, r]) => principalArn === undefined || r.principal.arn === principalArn)
      .sort((x, y) => x[1].createdAt - y[1].createdAt)
      .slice(0, Math.max(0, n));
    for (const [k] of oldest) this.records.delete(k);
    return oldest.length;
  }
}
