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

  /**
   * One upsert statement (atomic in SQLite; writers are serialised by the database lock, so two
   * processes on one file also get one winner). When the DO UPDATE's WHERE is false nothing is
   * written and `changes` is 0.
   */
  async claim(key: string, at: Date, since: Date): Promise<boolean> {
    const r = this.db
      .prepare(
        `INSERT INTO notification_state (notification_key, sent_ms) VALUES (?, ?)
         ON CONFLICT (notification_key) DO UPDATE SET sent_ms = excluded.sent_ms
         WHERE notification_state.sent_ms < ?`,
      )
      .run(key, at.getTime(), since.getTime());
    return r.changes === 1;
  }

  async release(key: string, at: Date): Promise<boolean> {
    return this.db.prepare('DELETE FROM notification_state WHERE notification_key = ? AND sent_ms = ?').run(key, at.getTime()).changes === 1;
  }

  async pruneBefore(cutoff: Date): Promise<number> {
    return this.db.prepare('DELETE FROM notification_state WHERE sent_ms < ?').run(cutoff.getTime()).changes;
  }
}
