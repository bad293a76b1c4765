import type Database from 'better-sqlite3';
import type { AuditEvent } from '../../core/audit/audit-event.js';
import { chainHash, GENESIS_HASH, linkAuditRecords } from '../../core/audit/audit-chain.js';
import { auditIndexFields, normalizeSerialHex } from '../../core/audit/audit-index-fields.js';
import type { AuditRecord } from '../../core/audit/audit-record.js';
import type { AuditChainHead, AuditQuery, AuditQueryPage, AuditStore, StoredAuditRow } from '../../core/audit/audit-store.js';
import { decodeAuditPageToken, encodeAuditPageToken } from './audit-page-token.js';
import { withRelaxedSync, type SqliteDatabase } from './database.js';
import type { SubjectAttemptApplier } from './sqlite-subject-store.js';
import type { SubjectAttemptWrite } from '../../core/roles-anywhere/subject-attempt.js';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

interface Row {
  seq: number;
  event_id: string;
  previous_hash: string | null;
  hash: string | null;
  doc: string;
}

/**
 * The audit trail in the `audit_events` table (migrations 002 and 020), hash-chained.
 *
 * Every write runs in one `BEGIN IMMEDIATE` transaction that (1) reads the chain head, (2)
 * chains any rows another writer inserted without a hash (rows from before migration 020, or
 * from the plain per-record sink), (3) appends the new records with consecutive `seq`s and
 * (4) moves the head. The database runs in WAL mode with `synchronous = FULL`
 * (openSqliteDatabase), so when `appendBatch` returns, the records survive a crash or power loss.
 */
export class SqliteAuditStore implements AuditStore {
  private readonly appendTx: Database.Transaction<(events: readonly AuditEvent[], attempts: readonly SubjectAttemptWrite[]) => AuditRecord[]>;
  private readonly sealTx: Database.Transaction<() => AuditChainHead>;
  private readonly stmt: {
    head: Database.Statement;
    setHead: Database.Statement;
    maxSeq: Database.Statement;
    pending: Database.Statement;
    seal: Database.Statement;
    insert: Database.Statement;
    rowsAfter: Database.Statement;
    seqOfHash: Database.Statement;
    list: Database.Statement;
  };

  /** `subjects` applies CreateSession's subject attempts inside the audit transaction (item 5 of [scale]). */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly subjects?: SubjectAttemptApplier,
  ) {
    this.stmt = {
      head: db.prepare('SELECT seq, hash, event_id FROM audit_chain_head WHERE id = 1'),
      setHead: db.prepare('UPDATE audit_chain_head SET seq = ?, hash = ?, event_id = ? WHERE id = 1'),
      maxSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) AS m FROM audit_events'),
      pending: db.prepare('SELECT seq, event_id, doc FROM audit_events WHERE seq > ? AND hash IS NULL ORDER BY seq'),
      seal: db.prepare('UPDATE audit_events SET previous_hash = ?, hash = ?, event_ms = ?, serial = ?, role_arn = ? WHERE seq = ?'),
      insert: db.prepare(
        `INSERT INTO audit_events (seq, event_id, event_time, event_name, doc, previous_hash, hash, event_ms, serial, role_arn)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      rowsAfter: db.prepare('SELECT seq, event_id, previous_hash, hash, doc FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?'),
      seqOfHash: db.prepare('SELECT seq FROM audit_events WHERE hash = ? LIMIT 1'),
      list: db.prepare('SELECT doc FROM audit_events ORDER BY seq DESC LIMIT ?'),
    };
    this.sealTx = db.transaction(() => this.sealPending());
    this.appendTx = db.transaction((events: readonly AuditEvent[], attempts: readonly SubjectAttemptWrite[]) => {
      if (attempts.length > 0) {
        if (!this.subjects) throw new Error('subject attempts given to an audit store without a subject store');
        this.subjects.applyAttemptsSync(attempts);
      }
      const { records, head } = linkAuditRecords(this.sealPending(), events);
      for (const r of records) {
        this.stmt.insert.run(r.seq, r.event.eventID, r.event.eventTime, r.event.eventName, r.doc, r.previousHash, r.hash, r.fields.eventMs, r.fields.serial, r.fields.roleArn);
      }
      this.stmt.setHead.run(head.seq, head.hash, head.eventID);
      return records;
    });
    // Chain rows written before migration 020 (or by a non-chaining writer) right away.
    this.sealTx.immediate();
  }

  /** See {@link AuditStore.appendBatch}: one durable transaction for the whole batch. */
  appendBatch(events: readonly AuditEvent[], subjectAttempts: readonly SubjectAttemptWrite[] = []): AuditRecord[] {
    if (events.length === 0 && subjectAttempts.length === 0) return [];
    return this.appendTx.immediate(events, subjectAttempts);
  }

  /**
   * appendBatch committed with `synchronous = NORMAL`: atomic and safe from a process crash, but
   * NOT durable until the WAL is fsync'd. Only for a caller that does that before it acknowledges
   * anything (openAuditTrail's writer, with WalFileSync).
   */
  appendBatchUnsynced(events: readonly AuditEvent[], subjectAttempts: readonly SubjectAttemptWrite[] = []): AuditRecord[] {
    return withRelaxedSync(this.db, () => this.appendBatch(events, subjectAttempts));
  }

  /** Inside a write transaction: chains unhashed rows after the head, returns the new head. */
  private sealPending(): AuditChainHead {
    let head = this.readHead();
    const max = (this.stmt.maxSeq.get() as { m: number }).m;
    // Rows to adopt have seq > head; when none exist (every append of a single writer) the
    // scan is skipped: one statement less inside every audit transaction.
    const pending = max > head.seq ? (this.stmt.pending.all(head.seq) as Array<Pick<Row, 'seq' | 'event_id' | 'doc'>>) : [];
    for (const r of pending) {
      const event = JSON.parse(r.doc) as AuditEvent;
      const hash = chainHash(head.hash, event);
      const f = auditIndexFields(event);
      this.stmt.seal.run(head.hash, hash, f.eventMs, f.serial, f.roleArn, r.seq);
      head = { seq: r.seq, hash, eventID: r.event_id };
    }
    if (pending.length > 0) this.stmt.setHead.run(head.seq, head.hash, head.eventID);
    // A row past the head that already has a hash is not ours to adopt; the next record gets a
    // seq after it (keeping the primary key unique) and verification reports the inconsistency.
    return max > head.seq ? { ...head, seq: max } : head;
  }

  private readHead(): AuditChainHead {
    const h = this.stmt.head.get() as { seq: number; hash: string; event_id: string | null } | undefined;
    return h ? { seq: h.seq, hash: h.hash, eventID: h.event_id } : { seq: 0, hash: GENESIS_HASH, eventID: null };
  }

  /** The `seq` of the last chained record (0 for an empty trail). */
  lastSeq(): number {
    return this.readHead().seq;
  }

  async chainHead(): Promise<AuditChainHead> {
    return this.readHead();
  }

  async rowsAfter(afterSeq: number, limit: number): Promise<StoredAuditRow[]> {
    return (this.stmt.rowsAfter.all(afterSeq, limit) as Row[]).map((r) => ({
      seq: r.seq,
      eventID: r.event_id,
      previousHash: r.previous_hash,
      hash: r.hash,
      doc: r.doc,
    }));
  }

  async seqOfHash(hash: string): Promise<number | undefined> {
    return (this.stmt.seqOfHash.get(hash) as { seq: number } | undefined)?.seq;
  }

  /** Chained records with `seq > afterSeq`, ascending (the JSON-lines file catches up with this). */
  recordsAfter(afterSeq: number, limit: number): AuditRecord[] {
    const rows = this.stmt.rowsAfter.all(afterSeq, limit) as Row[];
    const out: AuditRecord[] = [];
    for (const r of rows) {
      if (r.hash === null || r.previous_hash === null) break;
      out.push({ seq: r.seq, previousHash: r.previous_hash, hash: r.hash, event: JSON.parse(r.doc) as AuditEvent, doc: r.doc });
    }
    return out;
  }

  /**
   * Records matching every given criterion, oldest first. The token binds the position to
   * the criteria: a token used with other criteria is refused ('bad-token').
   */
  async query(q: AuditQuery): Promise<AuditQueryPage | 'bad-token'> {
    const limit = Math.min(Math.max(Math.trunc(q.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
    const where: string[] = ['hash IS NOT NULL'];
    const args: Array<string | number> = [];
    const criteria: Record<string, string | number> = {};
    if (q.since) {
      where.push('event_ms >= ?');
      args.push(q.since.getTime());
      criteria.since = q.since.getTime();
    }
    if (q.until) {
      where.push('event_ms < ?');
      args.push(q.until.getTime());
      criteria.until = q.until.getTime();
    }
    if (q.serial !== undefined) {
      const serial = normalizeSerialHex(q.serial);
      if (serial === undefined) return { records: [] };
      where.push('serial = ?');
      args.push(serial);
      criteria.serial = serial;
    }
    if (q.roleArn !== undefined) {
      where.push('role_arn = ?');
      args.push(q.roleArn);
      criteria.roleArn = q.roleArn;
    }
    if (q.eventName !== undefined) {
      where.push('event_name = ?');
      args.push(q.eventName);
      criteria.eventName = q.eventName;
    }
    let after = 0;
    if (q.nextToken !== undefined) {
      const t = decodeAuditPageToken(q.nextToken, criteria);
      if (t === undefined) return 'bad-token';
      after = t;
    }
    where.push('seq > ?');
    args.push(after);
    const rows = this.db
      .prepare(`SELECT seq, event_id, previous_hash, hash, doc FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`)
      .all(...args, limit + 1) as Row[];
    const more = rows.length > limit;
    const records = rows.slice(0, limit).map((r) => ({
      seq: r.seq,
      previousHash: r.previous_hash ?? '',
      hash: r.hash ?? '',
      event: JSON.parse(r.doc) as AuditEvent,
    }));
    const page: AuditQueryPage = { records };
    if (more) page.nextToken = encodeAuditPageToken(records[records.length - 1]!.seq, criteria);
    return page;
  }

  /** The newest events first (what tests and the in-process harness inspect). */
  list(limit = 100): AuditEvent[] {
    return (this.stmt.list.all(limit) as Array<{ doc: string }>).map((r) => JSON.parse(r.doc) as AuditEvent);
  }
}
