import type { Clock } from '../core/ports/clock.js';
import type { RoleFacts } from '../core/session/session-issuer.js';

export interface RoleCacheOptions {
  clock: Clock;
  /** How long a role read from IAM is used before it is read again. */
  ttlMs: number;
  /** How long "no such role" is remembered (shorter, so a newly created role is seen soon). */
  negativeTtlMs: number;
}

interface Entry {
  role: RoleFacts | undefined;
  expiresAt: number;
}

/**
 * IAM GetRole results by role ARN, with a short TTL: CreateSession evaluates the trust policy on
 * every call and must not hit IAM's low request quota each time, yet a trust-policy change or a
 * deleted role must take effect within seconds. Concurrent misses for one ARN share one read.
 */
export class RoleCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<RoleFacts | undefined>>();

  constructor(private readonly opts: RoleCacheOptions) {}

  async get(roleArn: string, load: () => Promise<RoleFacts | undefined>): Promise<RoleFacts | undefined> {
    const now = this.opts.clock.now().getTime();
    const hit = this.entries.get(roleArn);
    if (hit && hit.expiresAt > now) return hit.role;
    const pending = this.inFlight.get(roleArn);
    if (pending) return pending;
    const p = load().then(
      (role) => {
        const ttl = role ? this.opts.ttlMs : this.opts.negativeTtlMs;
        this.entries.set(roleArn, { role, expiresAt: this.opts.clock.now().getTime() + ttl });
        return role;
      },
    );
    this.inFlight.set(roleArn, p);
    try {
      return await p;
    } finally {
      this.inFlight.delete(roleArn);
    }
  }

  /** Forget a role, e.g. after STS refused it: it may have been changed or deleted in IAM. */
  invalidate(roleArn: string): void {
    this.entries.delete(roleArn);
  }
}
