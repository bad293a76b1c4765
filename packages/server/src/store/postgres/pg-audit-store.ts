import type { AuditEvent } from '../../core/audit/audit-event.js';
import { GENESIS_HASH, linkAuditRecords } from '../../core/audit/audit-chain.js';
import { normalizeSerialHex } from '../../core/audit/audit-index-fields.js';
import type { AuditRecord } from '../../core/audit/audit-record.js';
import type { AuditChainHead, AuditChainReader, AuditQuery, AuditQueryPage, StoredAuditRow } from '../../core/audit/audit-store.js';
import { decodeAuditPageToken, encodeAuditPageToken } from '../sqlite/audit-page-token.js';
import { toInt, type PgDatabase } from './pg-database.js';
import type { PgSubjectStore } from './pg-subject-store.js';
import type { SubjectAttemptWrite } from '../../core/roles-anywhere/subject-attempt.js';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

interface Row {
  seq: string;
  event_id: string;
  previous_hash: string;
  hash: string;
  doc: string;
}

/**
 * The hash-chained audit trail on PostgreSQL, shared by every replica. Same chain, columns,
 * query semantics and page tokens as SqliteAuditStore, except that `appendBatch` is
 * asynchronous (the `AuditStore` port's synchronous form fits only an embedded database).
 *
 * One chain for all replicas: each batch runs in one transaction that first locks the chain
 * head row (`SELECT … FOR UPDATE`), so concurrent batches from several replicas queue on that
 * lock and each continues the chain exactly where the previous commit left it; the head moves
 * in the same transaction as the records. The promise resolves after COMMIT, which with
 * `synchronous_commit = on` (pg-database.ts) means the WAL is flushed.
 */
export class PgAuditStore implements AuditChainReader {
  /** `subjects` applies CreateSession's subject attempts in the batch's transaction ([scale] item 5). */
  constructor(
    private readonly db: PgDatabase,
    private readonly subjects?: PgSubjectStore,
  ) {}

  async appendBatch(events: readonly AuditEvent[], subjectAttempts: readonly SubjectAttemptWrite[] = []): Promise<AuditRecord[]> {
    if (events.length === 0 && subjectAttempts.length === 0) return [];
    return this.db.tx(async (c) => {
      // Subject rows first, then the chain head: every batch on every replica locks in this order.
      if (subjectAttempts.length > 0) {
        if (!this.subjects) throw new Error('subject attempts given to an audit store without a subject store');
        await this.subjects.applyAttempts(c, subjectAttempts);
      }
      if (events.length === 0) return [];
      const h = (await c.query<{ seq: string; hash: string; event_id: string | null }>('SELECT seq, hash, event_id FROM audit_chain_head WHERE id = 1 FOR UPDATE')).rows[0];
      const { records, head } = linkAuditRecords(h ? { seq: toInt(h.seq), hash: h.hash, eventID: h.event_id } : { seq: 0, hash: GENESIS_HASH, eventID: null }, events);
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (const r of records) {
        const n = values.length;
        tuples.push(`(${Array.from({ length: 10 }, (_, i) => `$${n + i + 1}`).join(', ')})`);
        values.push(r.seq, r.event.eventID, r.event.eventTime, r.event.eventName, r.doc, r.previousHash, r.hash, r.fields.eventMs, r.fields.serial, r.fields.roleArn);
      }
      await c.query(
        `INSERT INTO audit_events (seq, event_id, event_time, event_name, doc, previous_hash, hash, event_ms, serial, role_arn) VALUES ${tuples.join(', ')}`,
        values,
      );
      await c.query('UPDATE audit_chain_head SET seq = $1, hash = $2, event_id = $3 WHERE id = 1', [head.seq, head.hash, head.eventID]);
      return records;
    });
  }

  async chainHead(): Promise<AuditChainHead> {
    const h = (await this.db.query<{ seq: string; hash: string; event_id: string | null }>('SELECT seq, hash, event_id FROM audit_chain_head WHERE id = 1')).rows[0];
    return h ? { seq: toInt(h.seq), hash: h.hash, eventID: h.event_id } : { seq: 0, hash: GENESIS_HASH, eventID: null };
  }

  async rowsAfter(afterSeq: number, limit: number): Promise<StoredAuditRow[]> {
    const r = await this.db.query<Row>('SELECT seq, event_id, previous_hash, hash, doc FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, limit]);
    return r.rows.map((row) => ({ seq: toInt(row.seq), eventID: row.event_id, previousHash: row.previous_hash, hash: row.hash, doc: row.doc }));
  }

  async seqOfHash(hash: string): Promise<number | undefined> {
    const r = await this.db.query<{ seq: string }>('SELECT seq FROM audit_events WHERE hash = $1 LIMIT 1', [hash]);
    return r.rows[0] ? toInt(r.rows[0].seq) : undefined;
  }

  /** Same criteria, order and page tokens as SqliteAuditStore.query (tokens bind the criteria). */
  async query(q: AuditQuery): Promise<AuditQueryPage | 'bad-token'> {
    const limit = Math.min(Math.max(Math.trunc(q.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
    const where: string[] = [];
    const args: unknown[] = [];
    const criteria: Record<string, string | number> = {};
    const add = (sql: string, v: string | number) => {
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (q.since) {
      add('event_ms >= ?', q.since.getTime());
      criteria.since = q.since.getTime();
    }
    if (q.until) {
      add('event_ms < ?', q.until.getTime());
      criteria.until = q.until.getTime();
    }
    if (q.serial !== undefined) {
      const serial = normalizeSerialHex(q.serial);
      if (serial === undefined) return { records: [] };
      add('serial = ?', serial);
      criteria.serial = serial;
    }
    if (q.roleArn !== undefined) {
      add('role_arn = ?', q.roleArn);
      criteria.roleArn = q.roleArn;
    }
    if (q.eventName !== undefined) {
      add('event_name = ?', q.eventName);
      criteria.eventName = q.eventName;
    }
    let after = 0;
    if (q.nextToken !== undefined) {
      const t = decodeAuditPageToken(q.nextToken, criteria);
      if (t === undefined) return 'bad-token';
      after = t;
    }
    add('seq > ?', after);
    args.push(limit + 1);
    const r = await this.db.query<Row>(
      `SELECT seq, event_id, previous_hash, hash, doc FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${args.length}`,
      args,
    );
    const more = r.rows.length > limit;
    const records = r.rows.slice(0, limit).map((row) => ({
      seq: toInt(row.seq),
      previousHash: row.previous_hash,
      hash: row.hash,
      event: JSON.parse(row.doc) as AuditEvent,
    }));
    const page: AuditQueryPage = { records };
    if (more) page.nextToken = encodeAuditPageToken(records[records.length - 1]!.seq, criteria);
    return page;
  }
}
