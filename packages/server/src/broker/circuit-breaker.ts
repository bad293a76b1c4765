import type { Clock } from '../core/ports/clock.js';

export interface CircuitBreakerOptions {
  /** Consecutive backend failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one trial call through. */
  cooldownMs: number;
  clock: Clock;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * A consecutive-failure circuit breaker. While AWS STS is down or throttling us, every
 * CreateSession would otherwise wait out the SDK's retries and timeouts; an open circuit answers
 * at once and lets one trial call through after the cooldown (half-open).
 * Only backend failures count (unreachable, timeouts, 5xx, throttling, broker credentials):
 * a refusal about one role (AccessDenied, MalformedPolicyDocument) says nothing about STS health.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;

  constructor(private readonly opts: CircuitBreakerOptions) {}

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.opts.clock.now().getTime() - this.openedAt >= this.opts.cooldownMs ? 'half-open' : 'open';
  }

  /** True when a call may go out now; in half-open state only one trial call at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  onBackendFailure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.openedAt !== undefined || this.failures >= this.opts.failureThreshold) this.openedAt = this.opts.clock.now().getTime();
  }

  /** A call that reached STS and got a role-specific answer: STS is healthy. */
  onOtherOutcome(): void {
    this.onSuccess();
  }
}
