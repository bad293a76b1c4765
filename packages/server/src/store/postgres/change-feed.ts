/**
 * What changed: the kind of resource and its id (trust-anchor/profile/crl id, role name, policy
 * ARN). `resync` (id '') is local only, never on the wire: the feed was disconnected and
 * notifications may have been missed, so anything may have changed.
 */
export interface Change {
  kind: 'trust-anchor' | 'profile' | 'crl' | 'role' | 'policy' | 'resync';
  id: string;
}

export type ChangeListener = (change: Change) => void;

/**
 * Port: a feed of committed writes, from every replica sharing the store. Caches in the server
 * are keyed by version, so correctness needs only fresh reads; a replica that also keeps
 * something without re-reading (a parsed bundle, a policy) subscribes here to drop it within
 * the one-second bound of issue [scale] item 2. Delivery is at-most-once and only while
 * subscribed: a listener must treat a reconnect (see PgChangeFeed) as "anything may have changed".
 */
export interface ChangeFeed {
  /** Returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void;
}

/** The kinds a change may carry (validates payloads coming off the wire). */
export const CHANGE_KINDS: ReadonlySet<string> = new Set(['trust-anchor', 'profile', 'crl', 'role', 'policy']);

/**
 * The single-process feed (SQLite, tests): writes are published after they return. Listener
 * exceptions are contained, so one bad subscriber cannot break a write path.
 */
export class InProcessChangeFeed implements ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();

  subscribe(listener: ChangeListener): () => void {
    const wrapped: ChangeListener = (c) => listener(c);
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  publish(change: Change): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch {
        // A subscriber's failure is its own; the write already committed.
      }
    }
  }
}
