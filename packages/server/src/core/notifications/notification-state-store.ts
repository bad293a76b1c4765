/**
 * Where "already sent today" is remembered, so a restart or a second evaluation on the same day
 * does not repeat a notification (service-spec §9 "at most once a day"). Small on purpose: the
 * SQLite adapter is store/sqlite/sqlite-notification-state-store.ts; a PostgreSQL one implements
 * the same three methods.
 */
export interface NotificationStateStore {
  /** Last emission time of each key that has one. */
  lastSent(keys: readonly string[]): Promise<Map<string, Date>>;
  /** Records an emission (upsert: the newest time wins). */
  markSent(key: string, at: Date): Promise<void>;
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

  async markSent(key: string, at: Date): Promise<void> {
    const prev = this.sent.get(key);
    if (!prev || prev < at) this.sent.set(key, at);
  }

  async pruneBefore(cutoff: Date): Promise<number> {
    let n = 0;
    for (const [k, at] of this.sent) if (at < cutoff && this.sent.delete(k)) n++;
    return n;
  }
}
