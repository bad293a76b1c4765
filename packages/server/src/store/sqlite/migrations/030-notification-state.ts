import type { SqliteMigration } from '../migration.js';

/**
 * When each expiry notification key was last emitted (service-spec §9 "at most once a day";
 * core/notifications/notification-state-store.ts). One row per key; `sent_ms` is epoch ms.
 */
export const notificationStateMigration: SqliteMigration = {
  id: 30,
  name: 'notification-state',
  statements: [
    `CREATE TABLE notification_state (
       notification_key TEXT PRIMARY KEY,
       sent_ms INTEGER NOT NULL)`,
  ],
};
