import type { NotificationStateStore } from '../../core/notifications/notification-state-store.js';
import type { SqliteDatabase } from './database.js';

/** NotificationStateStore on the `notification_state` table (migration 030). */
export class SqliteNotificationStateStore implements NotificationStateStore {
  constructor(private readonly db: SqliteDatabase) {}

  async lastSent(keys: readonly string[]): Promise<Map<string, Date>> {
    const out = new Map<string, Date>();
    const get = this.db.prepare('SELECT sent_ms FROM notification_state WHERE notification_key = ?');
    for (const k of keys) {
      const row = get.get(k) as { sent_ms: number } | undefined;
      if (row) out.set(k, new Date(row.sent_ms));
    }
    return out;
  }

  async markSent(key: string, at: Date): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO notification_state (notification_key, sent_ms) VALUES (?, ?)
         ON CONFLICT (notification_key) DO UPDATE SET sent_ms = max(sent_ms, excluded.sent_ms)`,
      )
      .run(key, at.getTime());
  }

  async pruneBefore(cutoff: Date): Promise<number> {
    return this.db.prepare('DELETE FROM notification_state WHERE sent_ms < ?').run(cutoff.getTime()).changes;
  }
}
