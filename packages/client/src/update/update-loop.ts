import { setTimeout as sleep } from 'node:timers/promises';
import type { SessionCredentials } from '../session/session-response.js';

/** @internal */
export interface UpdateLoopOptions {
  fetch: () => Promise<SessionCredentials>;
  write: (credentials: SessionCredentials) => Promise<void>;
  /** Write once; a failure is then the command's error. */
  once: boolean;
  signal?: AbortSignal;
  log: (line: string) => void;
  describe: (err: unknown) => string;
  /** Refresh this long before expiry; default 5 minutes (the official helper's `UpdateRefreshTime`). */
  refreshBeforeMs?: number;
  /** First retry delay after a failure, doubled up to 5 minutes; default 5 s. */
  minRetryMs?: number;
  now?: () => number;
}

const MINUTE = 60_000;

/**
 * The `update` loop (signing-helper-spec §5): CreateSession, rewrite the profile, sleep until
 * five minutes before expiry, repeat. Unlike the official helper, which exits on the first
 * error (`log.Fatal`) and so dies on any transient failure, a failure is logged and retried
 * with exponential backoff while the loop runs. Returns when `signal` aborts.
 * @internal
 */
export async function runUpdateLoop(options: UpdateLoopOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const minRetry = options.minRetryMs ?? 5_000;
  let retryMs = minRetry;
  for (;;) {
    let waitMs: number;
    try {
      const credentials = await options.fetch();
      const expiresAt = Date.parse(credentials.expiration);
      if (Number.isNaN(expiresAt)) throw new Error('CreateSession returned an unparseable expiration');
      await options.write(credentials);
      if (options.once) return;
      retryMs = minRetry;
      const refreshAt = expiresAt - (options.refreshBeforeMs ?? 5 * MINUTE);
      options.log(`Credentials will be refreshed at ${goTimeString(refreshAt)}`);
      waitMs = Math.max(1_000, refreshAt - now());
    } catch (err) {
      if (options.once) throw err;
      options.log(`${options.describe(err)}; retrying in ${Math.round(retryMs / 1000)} s`);
      waitMs = retryMs;
      retryMs = Math.min(retryMs * 2, 5 * MINUTE);
    }
    try {
      await sleep(waitMs, undefined, options.signal !== undefined ? { signal: options.signal } : {});
    } catch {
      return; // aborted
    }
  }
}

/**
 * Go's `time.Time.String()` of a UTC time, which the official helper prints here
 * (signing-helper-spec §7): `2026-11-22 22:14:41 +0000 UTC`, with fractional seconds only
 * when there are any (trailing zeros dropped).
 */
export function goTimeString(ms: number): string {
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`;
}
