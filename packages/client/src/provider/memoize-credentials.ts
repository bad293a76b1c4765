import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from './from-roles-anywhere.js';

/**
 * Caches a credential fetch, after smithy's `memoize` (property-provider `memoize.ts`):
 * - serves the cached identity while more than `refreshWindowMs` of validity remain;
 * - coalesces concurrent callers onto one in-flight fetch;
 * - `{ forceRefresh: true }` (the SDK's identity property) skips the cache;
 * - if a refresh fails while the cached identity is still unexpired, that identity is
 *   returned: it is valid, and the next call will try again.
 * @internal
 */
export function memoizeCredentials(
  fetch: () => Promise<AwsCredentialIdentity>,
  options: { refreshWindowMs: number; now: () => Date },
): AwsCredentialIdentityProvider {
  let cached: AwsCredentialIdentity | undefined;
  let inFlight: Promise<AwsCredentialIdentity> | undefined;

  const remainingMs = (identity: AwsCredentialIdentity): number =>
    identity.expiration === undefined ? Infinity : identity.expiration.getTime() - options.now().getTime();

  const refresh = (): Promise<AwsCredentialIdentity> => {
    inFlight ??= fetch()
      .then(
        (identity) => {
          cached = identity;
          return identity;
        },
        (err: unknown) => {
          if (cached !== undefined && remainingMs(cached) > 0) return cached;
          throw err;
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return async (identityProperties) => {
    const force = identityProperties?.forceRefresh === true;
    if (!force && cached !== undefined && remainingMs(cached) > options.refreshWindowMs) return cached;
    return refresh();
  };
}
