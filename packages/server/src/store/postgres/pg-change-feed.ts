import pg from 'pg';
import { CHANGE_KINDS, type Change, type ChangeFeed, type ChangeListener } from './change-feed.js';
import { CHANGE_CHANNEL } from './pg-notify.js';

export interface PgChangeFeedOptions {
  connectionString: string;
  schema: string;
  /** Called after a (re)connect: notifications may have been missed while disconnected. */
  onResync?: () => void;
  /** First reconnect delay in ms (doubles up to 5 s). Default 200. */
  retryMs?: number;
}

/**
 * ChangeFeed over `LISTEN mooring_changes` on one dedicated connection (a pooled connection
 * cannot hold a LISTEN). If the connection drops (PostgreSQL restart), it reconnects by itself
 * with back-off and then calls `onResync`, because NOTIFYs sent while nobody listened are lost.
 */
export class PgChangeFeed implements ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  private client: pg.Client | undefined;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private delay: number;

  private constructor(private readonly opts: PgChangeFeedOptions) {
    this.delay = opts.retryMs ?? 200;
  }

  /** Resolves once the first LISTEN is in place, so writes after it are never missed. */
  static async start(opts: PgChangeFeedOptions): Promise<PgChangeFeed> {
    const feed = new PgChangeFeed(opts);
    await feed.connect();
    return feed;
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const c = new pg.Client({ connectionString: this.opts.connectionString });
    c.on('error', () => this.reconnectLater(c));
    c.on('end', () => this.reconnectLater(c));
    c.on('notification', (n) => {
      if (n.channel === CHANGE_CHANNEL && n.payload) this.dispatch(n.payload);
    });
    await c.connect();
    await c.query(`LISTEN ${CHANGE_CHANNEL}`);
    if (this.closed) {
      await c.end().catch(() => {});
      return;
    }
    this.client = c;
    this.delay = this.opts.retryMs ?? 200;
  }

  private reconnectLater(c: pg.Client): void {
    if (this.closed || this.client !== c) return;
    this.client = undefined;
    c.end().catch(() => {});
    const attempt = (): void => {
      this.timer = undefined;
      if (this.closed) return;
      this.connect().then(
        () => {
          this.deliver({ kind: 'resync', id: '' });
          this.opts.onResync?.();
        },
        () => {
          this.delay = Math.min(this.delay * 2, 5000);
          this.timer = setTimeout(attempt, this.delay);
        },
      );
    };
    this.timer = setTimeout(attempt, this.delay);
  }

  private dispatch(payload: string): void {
    let msg: { s?: unknown; k?: unknown; i?: unknown };
    try {
      msg = JSON.parse(payload) as typeof msg;
    } catch {
      return;
    }
    // Other schemas in the same database (tests, other deployments) share the channel.
    if (msg.s !== this.opts.schema || typeof msg.k !== 'string' || !CHANGE_KINDS.has(msg.k) || typeof msg.i !== 'string') return;
    this.deliver({ kind: msg.k as Change['kind'], id: msg.i });
  }

  private deliver(change: Change): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch {
        // Contained: see InProcessChangeFeed.
      }
    }
  }
}
