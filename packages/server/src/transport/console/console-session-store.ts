import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../core/auth/principal.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Random } from '../../core/ports/random.js';

/** One signed-in browser. Holds no secret: the principal's sealed secret is blanked at sign-in. */
export interface ConsoleSession {
  principal: Principal;
  /** Synchronizer token (OWASP CSRF Prevention Cheat Sheet): embedded in every form. */
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number;
}

export interface SessionLimits {
  idleTimeoutMs: number;
  maxSessions: number;
}

const b64url = (b: Buffer) => b.toString('base64url');
/** Sessions are keyed by a hash of the cookie value, so a memory dump of the map yields no usable cookie. */
const keyOf = (id: string) => createHash('sha256').update(id).digest('base64url');

/**
 * Server-side console sessions, in memory: the cookie carries only a 256-bit random id
 * (OWASP Session Management Cheat Sheet: ≥ 64 bits of entropy, no data in the cookie).
 * A restart signs everyone out, which is acceptable for an operator console.
 */
export class ConsoleSessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly deps: { clock: Clock; random: Random; limits: SessionLimits }) {}

  /** Creates a session and returns the cookie value (the only place the raw id exists). */
  create(principal: Principal, expiresAt: number): { id: string; session: ConsoleSession } {
    const now = this.deps.clock.now().getTime();
    this.sweep(now);
    while (this.sessions.size >= this.deps.limits.maxSessions) {
      const oldest = this.sessions.keys().next();
      if (oldest.done) break;
      this.sessions.delete(oldest.value);
    }
    const id = b64url(this.deps.random.bytes(32));
    const session: ConsoleSession = {
      principal: redactPrincipal(principal),
      csrfToken: b64url(this.deps.random.bytes(32)),
      createdAt: now,
      expiresAt,
      lastUsedAt: now,
    };
    this.sessions.set(keyOf(id), session);
    return { id, session };
  }

  /** The live session for a cookie value, touching its idle timer; undefined when absent, expired or idle. */
  get(id: string | undefined): ConsoleSession | undefined {
    if (!id || id.length > 100) return undefined;
    const key = keyOf(id);
    const s = this.sessions.get(key);
    if (!s) return undefined;
    const now = this.deps.clock.now().getTime();
    if (now >= s.expiresAt || now - s.lastUsedAt >= this.deps.limits.idleTimeoutMs) {
      this.sessions.delete(key);
      return undefined;
    }
    s.lastUsedAt = now;
    return s;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(keyOf(id));
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(now: number): void {
    for (const [k, s] of this.sessions) {
      if (now >= s.expiresAt || now - s.lastUsedAt >= this.deps.limits.idleTimeoutMs) this.sessions.delete(k);
    }
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
 * the brief requires that the console keeps no secret after sign-in.
 */
function redactPrincipal(p: Principal): Principal {
  if (!p.session) return { ...p };
  return { ...p, session: { ...p.session, secretAccessKey: '' } };
}
