/**
 * Where "already sent today" is remembered, so a restart, a second evaluation on the same day or
 * another replica on the same database does not repeat a notification (service-spec §9 "at most
 * once a day"; issue [scale]: once per deployment, not once per replica). Small on purpose: the
 * adapters are store/sqlite/sqlite-notification-state-store.ts and
 * store/postgres/pg-notification-state-store.ts. The store holds only atomicity; which day a
 * claim counts for and when to give one back is ExpiryNotifier's policy.
 */
export interface NotificationStateStore {
  /** Last emission time of each key that has one. A filter only: `claim` decides. */
  lastSent(keys: readonly string[]): Promise<Map<string, Date>>;
  /**
   * Takes `key` for one emission at `at`, unless it was already taken at or after `since`.
   * One conditional write: of any number of concurrent callers (replicas) exactly one gets
   * true, and its `at` becomes the key's last emission. `since` must not be after `at`.
   */
  claim(key: string, at: Date, since: Date): Promise<boolean>;
  /**
   * Undoes `claim(key, at)` when the emission failed, so a later scan on any replica can claim
   * the key again. `(key, at)` names the claim: a newer claim of the key (made because this one
   * counted for an earlier day) is left alone. True when the claim was still there.
   */
  release(key: string, at: Date): Promise<boolean>;
  /** Forgets emissions older than `cutoff`; returns how many were removed. */
  pruneBefore(cutoff: Date): Promise<number>;
}

/** In-memory implementation for tests and for composing without a database. */
export class MemoryNotificationStateStore implements NotificationStateStore {
  readonly sent = new Map<string, Date>();

  async lastSent(keys: readonly string[]): Promise<Map<string, Date>> {
    const out = new Map<string, Date>();
    for (const k of keys) {
      const at = this.sent.get(k);
      if (at) out.set(k, at);
    }
    return out;
  }

  // Check and set run without an await in between, so they are atomic on the event loop.
  async claim(key: string, at: Date, since: Date): Promise<boolean> {
    const prev = this.sent.get(key);
    if (prev && prev >= since) return false;
    this.sent.set(key, at);
    return true;
  }

  async release(key: string, at: Date): Promise<boolean> {
    return this.sent.get(key)?.getTime() === at.getTime() && this.sent.delete(key);
  }

  async pruneBefore(cutoff: Date): Promise<number> {
    let n = 0;
    for (const [k, at] of this.sent) if (at < cutoff && this.sent.delete(k)) n++;
    return n;
  }
}
