import type { NotificationStateStore } from '../../core/notifications/notification-state-store.js';
import { toInt, type PgDatabase } from './pg-database.js';

/** NotificationStateStore on the `notification_state` table (pg migration 30), shared by replicas. */
export class PgNotificationStateStore implements NotificationStateStore {
  constructor(private readonly db: PgDatabase) {}

  async lastSent(keys: readonly string[]): Promise<Map<string, Date>> {
    if (keys.length === 0) return new Map();
    const r = await this.db.query<{ notification_key: string; sent_ms: string }>(
      'SELECT notification_key, sent_ms FROM notification_state WHERE notification_key = ANY($1::text[])',
      [[...keys]],
    );
    return new Map(r.rows.map((row) => [row.notification_key, new Date(toInt(row.sent_ms))]));
  }

  /**
   * One statement, so one winner among replicas: a concurrent INSERT of the same key waits for
   * the first to commit, then takes the DO UPDATE path, whose WHERE is evaluated against that
   * committed row under its row lock (PostgreSQL docs, INSERT "ON CONFLICT DO UPDATE": "atomic
   * INSERT or UPDATE outcome"). A row that fails the WHERE is neither updated nor RETURNed.
   */
  async claim(key: string, at: Date, since: Date): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO notification_state (notification_key, sent_ms) VALUES ($1, $2)
       ON CONFLICT (notification_key) DO UPDATE SET sent_ms = excluded.sent_ms
       WHERE notification_state.sent_ms < $3
       RETURNING notification_key`,
      [key, at.getTime(), since.getTime()],
    );
    return r.rowCount === 1;
  }

  async release(key: string, at: Date): Promise<boolean> {
    const r = await this.db.query('DELETE FROM notification_state WHERE notification_key = $1 AND sent_ms = $2', [key, at.getTime()]);
    return r.rowCount === 1;
  }

  async pruneBefore(cutoff: Date): Promise<number> {
    return (await this.db.query('DELETE FROM notification_state WHERE sent_ms < $1', [cutoff.getTime()])).rowCount ?? 0;
  }
}
