import type { WebhookPoster } from '../../core/notifications/webhook-delivery.js';

/**
 * The WebhookPoster over Node's fetch: one POST with a hard per-attempt timeout
 * (AbortSignal.timeout), combined with the shutdown signal. Redirects are not followed, so a
 * receiver cannot bounce the signed body elsewhere. The response body is discarded.
 */
export const httpWebhookPoster: WebhookPoster = {
  async post(url, body, headers, opts) {
    const signals = [AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])];
    const res = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.any(signals) });
    await res.body?.cancel().catch(() => undefined);
    return { status: res.status };
  },
};

/** setTimeout as a promise that rejects when `signal` aborts (shutdown). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
