import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../core/auth/principal.js';
import type { ConsoleSessionRecord, ConsoleSessionStore as SessionStorePort } from '../../core/console/console-session-store.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Random } from '../../core/ports/random.js';

/** One signed-in browser. Holds no secret: the principal's sealed secret is blanked at sign-in. */
export type ConsoleSession = ConsoleSessionRecord;

export interface SessionLimits {
  idleTimeoutMs: number;
  maxSessions: number;
  /** Sessions one principal may hold; its own oldest go first (so nobody can evict the others'). */
  maxSessionsPerPrincipal: number;
}

/**
 * lastUsedAt is written at most this often while a session is in use, so browsing is not a
 * database write per page. The stored time then lags the real last use by less than this, and a
 * session ends after between (idle − this) and idle of real inactivity: never later than the
 * idle timeout (OWASP Session Management Cheat Sheet, idle timeout), at worst slightly earlier.
 */
export const TOUCH_INTERVAL_MS = 30_000;

const b64url = (b: Buffer) => b.toString('base64url');
/** Sessions are keyed by a hash of the cookie value, so a dump of the store yields no usable cookie. */
const keyOf = (id: string) => createHash('sha256').update(id).digest('base64url');
/** A cookie id we issued is 43 characters; anything long is junk and not worth hashing. */
const plausibleId = (id: string | undefined): id is string => !!id && id.length <= 100;
const isLive = (s: ConsoleSession, now: number, idleTimeoutMs: number) => now < s.expiresAt && now - s.lastUsedAt < idleTimeoutMs;

/**
 * A new session: the cookie carries only a 256-bit random id (OWASP Session Management Cheat
 * Sheet: ≥ 64 bits of entropy, no data in the cookie); the CSRF token is another 256 bits.
 */
function newSession(random: Random, principal: Principal, now: number, expiresAt: number): { id: string; session: ConsoleSession } {
  const id = b64url(random.bytes(32));
  const session: ConsoleSession = { principal: redactPrincipal(principal), csrfToken: b64url(random.bytes(32)), createdAt: now, expiresAt, lastUsedAt: now };
  return { id, session };
}

/**
 * Console sessions over the shared store port (core/console/console-session-store.ts): on
 * PostgreSQL every replica reads the same rows, so a browser signed in on one replica is signed
 * in on all, and a sign-out on one ends the session everywhere (no per-replica copy is kept).
 * The policy lives here: absolute expiry, idle timeout, the count bound (oldest evicted first).
 */
export class ConsoleSessions {
  private readonly touchEveryMs: number;

  constructor(private readonly deps: { store: SessionStorePort; clock: Clock; random: Random; limits: SessionLimits }) {
    // A short idle timeout (tests) still needs a touch well within it.
    this.touchEveryMs = Math.min(TOUCH_INTERVAL_MS, Math.floor(deps.limits.idleTimeoutMs / 4));
  }

  /** Creates a session and returns the cookie value (the only place the raw id exists). */
  async create(principal: Principal, expiresAt: number): Promise<{ id: string; session: ConsoleSession }> {
    const { store, limits } = this.deps;
    const now = this.deps.clock.now().getTime();
    await store.deleteExpired(now, limits.idleTimeoutMs);
    // The bounds are checked before the insert, so the new session is never the one evicted.
    // Replicas signing in at the same instant may overshoot them by a few; the next sign-in trims.
    // Per principal first: one credential signing in over and over evicts only its own sessions.
    const mine = (await store.count(principal.arn)) - limits.maxSessionsPerPrincipal + 1;
    if (mine > 0) await store.deleteOldest(mine, principal.arn);
    const over = (await store.count()) - limits.maxSessions + 1;
    if (over > 0) await store.deleteOldest(over);
    const made = newSession(this.deps.random, principal, now, expiresAt);
    await store.put(keyOf(made.id), made.session);
    return made;
  }

  /** The live session for a cookie value, touching its idle timer; undefined when absent, expired or idle. */
  async get(id: string | undefined): Promise<ConsoleSession | undefined> {
    if (!plausibleId(id)) return undefined;
    const { store, limits } = this.deps;
    const key = keyOf(id);
    const s = await store.get(key);
    if (!s) return undefined;
    const now = this.deps.clock.now().getTime();
    if (!isLive(s, now, limits.idleTimeoutMs)) {
      await store.delete(key);
      return undefined;
    }
    if (now - s.lastUsedAt >= this.touchEveryMs) {
      await store.touch(key, now);
      s.lastUsedAt = now;
    }
    return s;
  }

  async delete(id: string | undefined): Promise<void> {
    if (plausibleId(id)) await this.deps.store.delete(keyOf(id));
  }
}

/** Constant-time comparison of a submitted CSRF token with the session's (no early exit on a prefix). */
export function csrfTokenMatches(session: ConsoleSession, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The principal without the session's secret access key: the authorizer never reads it, and
 * the brief requires that the console keeps no secret after sign-in (nor writes one to the database).
 */
function redactPrincipal(p: Principal): Principal {
  if (!p.session) return { ...p };
  return { ...p, session: { ...p.session, secretAccessKey: '' } };
}
