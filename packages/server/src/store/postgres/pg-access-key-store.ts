import type { AccessKeyRecord, AccessKeyStore } from '../../core/iam/access-key-store.js';
import { accessKeyFromRow, type AccessKeyRow } from '../rows/iam-rows.js';
import type { PgDatabase } from './pg-database.js';

const INSERT = `INSERT INTO iam_access_keys (access_key_id, secret_access_key, user_name, user_arn, user_id, status, create_date)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;

function args(k: AccessKeyRecord): unknown[] {
  return [k.accessKeyId, k.secretAccessKey, k.userName, k.userArn, k.userId, k.status, k.createDate.toISOString()];
}

/**
 * Long-term access keys. Secrets are stored recoverable because SigV4 verification needs the
 * secret itself (an HMAC key): protect the database and its backups accordingly.
 */
export class PgAccessKeyStore implements AccessKeyStore {
  constructor(private readonly db: PgDatabase) {}

  async getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const r = await this.db.query<AccessKeyRow>('SELECT * FROM iam_access_keys WHERE access_key_id = $1', [accessKeyId]);
    return r.rows[0] ? accessKeyFromRow(r.rows[0]) : undefined;
  }

  async putAccessKey(key: AccessKeyRecord): Promise<void> {
    await this.db.query(`${INSERT} ON CONFLICT (access_key_id) DO UPDATE SET status = excluded.status`, args(key));
  }

  /**
   * Replicas starting together each propose a bootstrap admin; a transaction-scoped advisory
   * lock on the user name makes them take turns, so exactly one key is stored and all of them
   * return it (there is no row to lock before the first insert).
   */
  async putAccessKeyIfUserHasNone(key: AccessKeyRecord): Promise<AccessKeyRecord> {
    return this.db.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`mooring:access-key-user:${this.db.schema}:${key.userName}`]);
      const existing = await c.query<AccessKeyRow>(
        'SELECT * FROM iam_access_keys WHERE user_name = $1 ORDER BY create_date COLLATE "C", access_key_id COLLATE "C" LIMIT 1',
        [key.userName],
      );
      if (existing.rows[0]) return accessKeyFromRow(existing.rows[0]);
      await c.query(INSERT, args(key));
      return { ...key };
    });
  }
}
