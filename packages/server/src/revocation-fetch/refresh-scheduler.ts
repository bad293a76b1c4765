import type { OnlineRevocation } from '../core/revocation-online/online-revocation.js';

/**
 * Runs OnlineRevocation.refresh on a fixed interval (default 60 s) so CDP CRLs are renewed before
 * they are due and requests rarely wait on a download. One pass at a time; a failing pass is
 * swallowed (each CRL keeps its own error for the next request to report). The timer is unref'd
 * so it never keeps the process alive. Returns a stop function that resolves after a running pass.
 */
export function startRevocationRefresh(
  service: OnlineRevocation,
  opts: { intervalMs?: number; now?: () => Date } = {},
): () => Promise<void> {
  const now = opts.now ?? (() => new Date());
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = service.refresh(now()).catch(() => undefined).finally(() => {
      running = undefined;
    });
  }, opts.intervalMs ?? 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
