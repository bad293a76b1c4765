import type { AccessKeyRecord, AccessKeyStore } from '../../core/iam/access-key-store.js';
import { accessKeyFromRow, type AccessKeyRow } from '../rows/iam-rows.js';
import type { SqliteDatabase } from './database.js';

export class SqliteAccessKeyStore implements AccessKeyStore {
  constructor(private readonly db: SqliteDatabase) {}

  async getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM iam_access_keys WHERE access_key_id = ?').get(accessKeyId) as AccessKeyRow | undefined;
    return row ? accessKeyFromRow(row) : undefined;
  }

  async putAccessKey(key: AccessKeyRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO iam_access_keys (access_key_id, secret_access_key, user_name, user_arn, user_id, status, create_date)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (access_key_id) DO UPDATE SET status = excluded.status`,
      )
      .run(key.accessKeyId, key.secretAccessKey, key.userName, key.userArn, key.userId, key.status, key.createDate.toISOString());
  }

  async putAccessKeyIfUserHasNone(key: AccessKeyRecord): Promise<AccessKeyRecord> {
    // One transaction: SQLite serialises writers on the file, so two replicas cannot both insert.
    return this.db
      .transaction(() => {
        const existing = this.oldestForUser(key.userName);
        if (existing) return accessKeyFromRow(existing);
        this.db
          .prepare(
            `INSERT INTO iam_access_keys (access_key_id, secret_access_key, user_name, user_arn, user_id, status, create_date)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(key.accessKeyId, key.secretAccessKey, key.userName, key.userArn, key.userId, key.status, key.createDate.toISOString());
        return { ...key };
      })
      .immediate();
  }

  private oldestForUser(userName: string): AccessKeyRow | undefined {
    return this.db
      .prepare('SELECT * FROM iam_access_keys WHERE user_name = ? ORDER BY create_date, access_key_id LIMIT 1')
      .get(userName) as AccessKeyRow | undefined;
  }
}
