import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-mooring-signature';

/** One HTTP POST, done by an adapter (transport/webhooks); throws on network errors and timeouts. */
export interface WebhookPoster {
  post(url: string, body: string, headers: Record<string, string>, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<{ status: number }>;
}

export interface WebhookDeliveryOptions {
  urls: readonly string[];
  /** HMAC key; never logged. */
  secret: Buffer;
  poster: WebhookPoster;
  /** Injected so tests do not wait for real backoff. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Attempts per URL including the first (default 4). */
  maxAttempts?: number;
  /** Wait before the first retry, doubled each time (default 1000 ms). */
  initialBackoffMs?: number;
  /** Ceiling of one wait (default 30000 ms). */
  maxBackoffMs?: number;
  /** Per-attempt timeout (default 5000 ms). */
  timeoutMs?: number;
  /** Aborts waiting and in-flight attempts (server shutdown). */
  signal?: AbortSignal;
}

export interface DeliveryResult {
  /** The receiver's origin only: a URL's path or query may hold a credential of the receiver. */
  target: string;
  ok: boolean;
  attempts: number;
  /** Last HTTP status, or the error class ('timeout', 'network', 'aborted'). */
  last: string;
}

/**
 * `sha256=<lowercase hex HMAC-SHA256(secret, body)>` (RFC 2104 over the exact body bytes), the
 * value of `X-Mooring-Signature`; the same form GitHub uses for webhooks, so receivers can reuse
 * their verification code.
 */
export function signWebhookBody(secret: Buffer, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Constant-time check of a received signature header (for receivers and tests). */
export function verifyWebhookSignature(secret: Buffer, body: string, header: string | undefined): boolean {
  if (typeof header !== 'string') return false;
  const want = Buffer.from(signWebhookBody(secret, body));
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid-url';
  }
}

/** 2xx delivers; 408, 429 and 5xx are retried; any other status is final (the receiver refused it). */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * True when no receiver got the event and none refused it for good: every URL ended in a
 * timeout, a network error, an abort (shutdown) or a retryable status (408, 429, 5xx). Only
 * then may the event be emitted again later without a receiver seeing it twice; a receiver
 * that answered 2xx has it, and one that answered another 4xx would refuse it again.
 */
export function undeliveredAndRetryable(results: readonly DeliveryResult[]): boolean {
  return results.length > 0 && results.every((r) => !r.ok && (!/^\d+$/.test(r.last) || retryable(Number(r.last))));
}

/**
 * Delivers one JSON body to every URL concurrently, each with bounded retries and exponential
 * backoff (no jitter: one sender, a handful of receivers). Never throws; resolves when every
 * URL succeeded, gave up, or was aborted. At most maxAttempts × (timeoutMs + backoff) per URL.
 */
export async function deliverWebhook(body: string, eventId: string, o: WebhookDeliveryOptions): Promise<DeliveryResult[]> {
  const headers = {
    'content-type': 'application/json',
    [SIGNATURE_HEADER]: signWebhookBody(o.secret, body),
    'x-mooring-event-id': eventId,
  };
  const maxAttempts = Math.max(1, o.maxAttempts ?? 4);
  const timeoutMs = o.timeoutMs ?? 5000;
  const one = async (url: string): Promise<DeliveryResult> => {
    const target = originOf(url);
    let last = 'not-attempted';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (o.signal?.aborted) return { target, ok: false, attempts: attempt - 1, last: 'aborted' };
      try {
        const r = await o.poster.post(url, body, headers, { timeoutMs, ...(o.signal ? { signal: o.signal } : {}) });
        last = String(r.status);
        if (r.status >= 200 && r.status < 300) return { target, ok: true, attempts: attempt, last };
        if (!retryable(r.status)) return { target, ok: false, attempts: attempt, last };
      } catch (err) {
        last = (err as { name?: string }).name === 'TimeoutError' ? 'timeout' : o.signal?.aborted ? 'aborted' : 'network';
      }
      if (attempt < maxAttempts) {
        const wait = Math.min((o.initialBackoffMs ?? 1000) * 2 ** (attempt - 1), o.maxBackoffMs ?? 30_000);
        try {
          await o.sleep(wait, o.signal);
        } catch {
          return { target, ok: false, attempts: attempt, last: 'aborted' };
        }
      }
    }
    return { target, ok: false, attempts: maxAttempts, last };
  };
  return Promise.all(o.urls.map(one));
}
