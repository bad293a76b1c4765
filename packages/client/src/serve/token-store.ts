import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Result of checking an `X-aws-ec2-metadata-token`. @internal */
export type TokenCheck = { ok: true; remainingSeconds: number } | { ok: false; reason: 'missing' | 'invalid' };

/** IMDSv2 token TTL bounds (EC2 User Guide, "Use IMDSv2": 1 second to 6 hours). @internal */
export const MIN_TOKEN_TTL_SECONDS = 1;
export const MAX_TOKEN_TTL_SECONDS = 21_600;

/**
 * Session tokens of the IMDSv2 emulation. As in the official helper (serve.go) at most 256 live
 * tokens are kept and the earliest-expiring one is evicted when full; unlike it, token values
 * are never logged (issue #138) and expired tokens are dropped on access, with no timer.
 * @internal
 */
export class TokenStore {
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly capacity = 256,
  ) {}

  /** A new token: 100 characters of base64 of random bytes, like the official helper's. */
  issue(ttlSeconds: number): string {
    this.sweep();
    if (this.tokens.size >= this.capacity) {
      let earliest: string | undefined;
      let earliestAt = Infinity;
      for (const [token, at] of this.tokens) {
        if (at < earliestAt) {
          earliest = token;
          earliestAt = at;
        }
      }
      if (earliest !== undefined) this.tokens.delete(earliest);
    }
    const token = randomBytes(75).toString('base64');
    this.tokens.set(token, this.now() + ttlSeconds * 1000);
    return token;
  }

  check(token: string | undefined): TokenCheck {
    if (token === undefined || token === '') return { ok: false, reason: 'missing' };
    const expiresAt = this.lookup(token);
    if (expiresAt === undefined) return { ok: false, reason: 'invalid' };
    const remaining = expiresAt - this.now();
    if (remaining <= 0) {
      this.tokens.delete(token);
      return { ok: false, reason: 'invalid' };
    }
    return { ok: true, remainingSeconds: Math.floor(remaining / 1000) };
  }

  get size(): number {
    return this.tokens.size;
  }

  /** Constant-time comparison against each live token, so timing says nothing about them. */
  private lookup(token: string): number | undefined {
    const given = Buffer.from(token);
    let found: number | undefined;
    for (const [candidate, at] of this.tokens) {
      const c = Buffer.from(candidate);
      if (c.length === given.length && timingSafeEqual(c, given)) found = at;
    }
    return found;
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, at] of this.tokens) if (at <= now) this.tokens.delete(token);
  }
}
