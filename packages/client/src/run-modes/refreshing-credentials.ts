import type { SessionCredentials } from '../session/session-response.js';

/** Credentials with their parsed expiry and the time they were obtained. @internal */
export interface HeldCredentials {
  credentials: SessionCredentials;
  expiresAt: Date;
  lastUpdated: Date;
}

/** Thrown by {@link RefreshingCredentials.get} when no valid credentials can be served. @internal */
export class CredentialsUnavailableError extends Error {
  override readonly name = 'CredentialsUnavailableError';
}

/** @internal */
export interface RefreshingCredentialsOptions {
  /** One CreateSession; re-reads key and certificate each time (official helper PR #65, issue #64). */
  fetch: () => Promise<SessionCredentials>;
  now?: () => number;
  /** Upper bound of the refresh window; the window is min(this, lifetime / 2). Default 15 minutes. */
  refreshWindowMs?: number;
  /** First retry delay after a failed refresh, doubled up to `maxRetryMs`. Default 5 s. */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** Diagnostics: error messages only (CreateSession errors never carry secrets). */
  onRefreshError?: (err: unknown) => void;
  onRefreshed?: (held: HeldCredentials) => void;
}

const MINUTE = 60_000;

/**
 * The credential holder behind `serve` and `update`, written against the official helper's
 * serve bugs (signing-helper-spec §4, §9: issues #138/#200):
 * - refreshes in the background before expiry, not lazily on a request;
 * - one refresh in flight at a time, whoever asks (no parallel CreateSession, no data race);
 * - a failed refresh keeps the last good credentials while they are valid and retries with
 *   backoff; once they have expired, {@link get} throws, so callers answer with an error
 *   status and never with empty credentials.
 *
 * Why the window is 15 minutes: botocore refreshes IMDS credentials when fewer than 15 minutes
 * remain (`RefreshableCredentials._advisory_refresh_timeout`), so serving credentials with less
 * would make every botocore client refetch on each call. For short sessions (900 s) half the
 * lifetime is used instead, so the loop cannot spin.
 * @internal
 */
export class RefreshingCredentials {
  private held: HeldCredentials | undefined;
  private inFlight: Promise<HeldCredentials> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryDelayMs: number;
  /** After a failed refresh, no new CreateSession before this time, whoever asks (backoff). */
  private retryNotBefore = 0;
  private lastError: unknown;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: RefreshingCredentialsOptions) {
    this.now = options.now ?? Date.now;
    this.retryDelayMs = options.minRetryMs ?? 5_000;
  }

  /** First fetch; rejects on failure so a misconfigured `serve` fails fast (PR #200). */
  async start(): Promise<HeldCredentials> {
    return this.refresh();
  }

  /** The current credentials if still valid, else the result of a (shared) refresh. */
  async get(): Promise<HeldCredentials> {
    const held = this.held;
    const now = this.now();
    if (held !== undefined && held.expiresAt.getTime() > now) {
      // The timer may have been delayed (suspend, busy loop): refresh now, serve the old ones.
      // Not while backing off after a failure: clients polling IMDS must not set the pace.
      if (now >= this.refreshAt(held) && now >= this.retryNotBefore && this.inFlight === undefined) void this.refresh().catch(() => {});
      return held;
    }
    if (this.inFlight === undefined && now < this.retryNotBefore) {
      throw new CredentialsUnavailableError(`no valid credentials: ${errorText(this.lastError)}`, { cause: this.lastError });
    }
    try {
      return await this.refresh();
    } catch (err) {
      throw new CredentialsUnavailableError(`no valid credentials: ${errorText(err)}`, { cause: err });
    }
  }

  /** The last refresh error, if the last refresh failed. */
  get error(): unknown {
    return this.lastError;
  }

  /** Starts a refresh unless one is already running; every caller shares its result. */
  refresh(): Promise<HeldCredentials> {
    this.inFlight ??= this.doRefresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async doRefresh(): Promise<HeldCredentials> {
    try {
      const credentials = await this.options.fetch();
      const expiresAt = new Date(credentials.expiration);
      if (Number.isNaN(expiresAt.getTime())) throw new Error('CreateSession returned an unparseable expiration');
      const held: HeldCredentials = { credentials, expiresAt, lastUpdated: new Date(this.now()) };
      this.held = held;
      this.lastError = undefined;
      this.retryDelayMs = this.options.minRetryMs ?? 5_000;
      this.retryNotBefore = 0;
      this.options.onRefreshed?.(held);
      this.schedule(Math.max(1_000, this.refreshAt(held) - this.now()));
      return held;
    } catch (err) {
      this.lastError = err;
      this.options.onRefreshError?.(err);
      // Retry with exponential backoff. While the current credentials are valid, try once more
      // right before they expire rather than let them lapse; once they have expired, the full
      // backoff applies (a 1 s floor here once made a failing endpoint see one call a second).
      const delay = this.retryDelayMs;
      this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.options.maxRetryMs ?? 5 * MINUTE);
      const untilExpiry = this.held !== undefined ? this.held.expiresAt.getTime() - this.now() : Infinity;
      const wait = untilExpiry > 0 ? Math.max(1_000, Math.min(delay, untilExpiry)) : delay;
      this.retryNotBefore = this.now() + wait;
      this.schedule(wait);
      throw err;
    }
  }

  private refreshAt(held: HeldCredentials): number {
    const lifetime = held.expiresAt.getTime() - held.lastUpdated.getTime();
    const window = Math.min(this.options.refreshWindowMs ?? 15 * MINUTE, Math.max(0, lifetime / 2));
    return held.expiresAt.getTime() - window;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    // setTimeout's limit is 2^31-1 ms; sessions last at most 12 hours, well below it.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh().catch(() => {});
    }, Math.min(delayMs, 2 ** 31 - 1));
    this.timer.unref();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
