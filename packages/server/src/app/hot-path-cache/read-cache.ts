export interface ReadCacheOptions {
  /** Longest time an entry is served, counted from the moment its read STARTED. 0 disables the cache. */
  ttlMs: number;
  /** Most entries kept; the oldest is evicted first. */
  maxEntries: number;
  /** Milliseconds on a monotonic clock (performance.now in production, a fake in tests). */
  now: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

interface Fill<V> {
  generation: number;
  promise: Promise<V | undefined>;
}

/**
 * A bounded read-through cache for one kind of record (issue [scale] item 2). The rules that make
 * it safe to put in front of CreateSession's authorisation reads:
 * - a miss (`undefined`) is never stored, so a resource created anywhere is used at once;
 * - an entry lives at most `ttlMs` from the start of the read that produced it, so a change the
 *   invalidation signals missed still takes effect within that time;
 * - every invalidation bumps `generation`, and a read that was in flight across a bump does not
 *   store its (possibly older) result, nor is it shared with callers that arrived after the bump.
 */
export class ReadCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inFlight = new Map<string, Fill<V>>();
  private generation = 0;

  constructor(private readonly opts: ReadCacheOptions) {}

  get size(): number {
    return this.entries.size;
  }

  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const startedAt = this.opts.now();
    const hit = this.entries.get(key);
    if (hit) {
      if (hit.expiresAt > startedAt) return hit.value;
      this.entries.delete(key);
    }
    const pending = this.inFlight.get(key);
    // Concurrent misses share one read, but only one that began after the last invalidation.
    if (pending && pending.generation === this.generation) return pending.promise;
    const generation = this.generation;
    const promise = load().then((value) => {
      if (value !== undefined && generation === this.generation && this.opts.ttlMs > 0) this.store(key, value, startedAt + this.opts.ttlMs);
      return value;
    });
    const fill: Fill<V> = { generation, promise };
    this.inFlight.set(key, fill);
    try {
      return await promise;
    } finally {
      if (this.inFlight.get(key) === fill) this.inFlight.delete(key);
    }
  }

  /** Drops one key. */
  delete(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }

  /** Drops the keys `match` selects (e.g. every ARN of one role name). */
  deleteWhere(match: (key: string) => boolean): void {
    this.generation++;
    for (const key of [...this.entries.keys()]) if (match(key)) this.entries.delete(key);
  }

  /** Drops everything. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  private store(key: string, value: V, expiresAt: number): void {
    // Re-inserting moves the key to the end, so eviction below takes the oldest fill.
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    while (this.entries.size > this.opts.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
