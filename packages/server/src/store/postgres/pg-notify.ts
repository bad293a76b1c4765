import type { PoolClient } from 'pg';
import type { Change } from './change-feed.js';

/** The NOTIFY channel every replica LISTENs on (one per database; payloads name their schema). */
export const CHANGE_CHANNEL = 'mooring_changes';

/**
 * Queues a change notification inside the writer's transaction. PostgreSQL delivers NOTIFY only
 * when (and if) the transaction commits (SQL command reference, NOTIFY), so a listener never
 * hears about a write that rolled back, and hears about a committed one on every replica.
 */
export async function notifyChange(c: PoolClient, schema: string, change: Change): Promise<void> {
  // Payload limit is 8000 bytes; ids are short (uuid, role name ≤ 64, policy ARN ≤ 2048).
  await c.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify({ s: schema, k: change.kind, i: change.id })]);
}
