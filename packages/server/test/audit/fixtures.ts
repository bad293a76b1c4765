import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../../src/core/audit/audit-event.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/store/sqlite/database.js';

export const T0 = Date.parse('2026-03-01T12:00:00Z');
export const ROLE_A = 'arn:aws:iam::111122223333:role/bucket-lister';
export const ROLE_B = 'arn:aws:iam::111122223333:role/deployer';

/** A CreateSession-shaped record as session-audit.ts writes it. */
export function sessionEvent(o: { at?: number; serial?: string; roleArn?: string; accessKeyId?: string; name?: string; error?: boolean } = {}): AuditEvent {
  const e: AuditEvent = {
    eventVersion: '1.08',
    eventTime: new Date(o.at ?? T0).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'rolesanywhere.amazonaws.com',
    eventName: o.name ?? 'CreateSession',
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: 'test',
    userIdentity: { type: 'X509Certificate', certificate: { serialNumber: o.serial ?? '01', subject: 'CN=myContainer', issuer: 'CN=Test CA' } },
    requestParameters: { roleArn: o.roleArn ?? ROLE_A, profileArn: 'arn:aws:rolesanywhere:us-east-1:111122223333:profile/p', trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/t' },
    responseElements: o.error ? null : { accessKeyId: o.accessKeyId ?? `ASIA${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}` },
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  };
  if (o.error) {
    e.errorCode = 'AccessDeniedException';
    e.errorMessage = 'Untrusted signing certificate';
    e.additionalEventData = { failureReason: 'untrusted-issuer' };
  }
  return e;
}

export interface TempDb {
  dir: string;
  file: string;
  db: SqliteDatabase;
  reopen(): SqliteDatabase;
  cleanup(): void;
}

/** A data directory with a migrated database at DIR/mooring.db (the layout the CLI reads). */
export function tempDb(): TempDb {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-audit-'));
  const file = join(dir, 'mooring.db');
  const t: TempDb = {
    dir,
    file,
    db: openSqliteDatabase(file),
    reopen() {
      if (t.db.open) t.db.close();
      t.db = openSqliteDatabase(file);
      return t.db;
    },
    cleanup() {
      if (t.db.open) t.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}
