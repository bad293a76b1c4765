type AnyFn = (...args: unknown[]) => unknown;

/**
 * Wraps a store so every method NOT named in `reads` calls `onWrite` once it settles (resolved
 * or rejected: a failed write may still have committed). Treating unknown methods as writes
 * errs on the safe side: a new read method only costs cache hits, a new write method can never
 * leave a stale entry behind. Invalidating AFTER the write is what matters: a cache fill that
 * read the old row while the write ran is then discarded by the generation check (read-cache.ts).
 */
export function observeWrites<T extends object>(store: T, reads: ReadonlySet<string>, onWrite: () => void): T {
  return methodProxy(store, (prop, method, target) =>
    typeof prop === 'string' && reads.has(prop)
      ? method.bind(target)
      : async (...args: unknown[]) => {
          try {
            return await method.apply(target, args);
          } finally {
            onWrite();
          }
        },
  );
}

/** A one-argument read served through a cache keyed by that argument. */
export type CachedRead = (key: string, load: () => Promise<unknown>) => Promise<unknown>;

/**
 * Wraps a store so the named one-argument reads go through their cache; everything else goes to
 * `store` unchanged (so writes still reach the observer underneath).
 */
export function withCachedReads<T extends object>(store: T, cached: Record<string, CachedRead>): T {
  return methodProxy(store, (prop, method, target) => {
    const read = typeof prop === 'string' ? cached[prop] : undefined;
    return read ? (key: unknown) => read(String(key), async () => method.call(target, key)) : method.bind(target);
  });
}

/** A proxy whose methods are replaced by `wrap(name, method)`, built once per method name. */
function methodProxy<T extends object>(store: T, wrap: (prop: PropertyKey, method: AnyFn, target: T) => AnyFn): T {
  const wrapped = new Map<PropertyKey, AnyFn>();
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      let fn = wrapped.get(prop);
      if (!fn) {
        fn = wrap(prop, value as AnyFn, target);
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}
