/** Thrown when a call to AWS outlives its deadline (classified like an SDK timeout). */
export class DeadlineError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * Runs `fn` with an AbortSignal that fires after `ms`, and rejects at `ms` even if `fn` ignores
 * the signal (e.g. while the SDK sleeps between retries): a CreateSession never hangs on AWS.
 */
export async function withDeadline<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeadlineError(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([fn(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
