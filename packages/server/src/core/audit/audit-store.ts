import type { SubjectAttemptWrite } from '../roles-anywhere/subject-attempt.js';
import type { AuditEvent } from './audit-event.js';
import type { AuditRecord } from './audit-record.js';

/** Search criteria; all optional and combined with AND. Results are oldest first (by `seq`). */
export interface AuditQuery {
  /** `eventTime >= since` (inclusive). */
  since?: Date;
  /** `eventTime < until` (exclusive). */
  until?: Date;
  /** Certificate serial in hex (any case, leading zeros and colons ignored). */
  serial?: string;
  roleArn?: string;
  eventName?: string;
  /** Page size, 1..1000 (default 100). */
  limit?: number;
  /** Opaque token from the previous page; only valid with the same criteria. */
  nextToken?: string;
}

export interface AuditQueryPage {
  records: AuditRecord[];
  /** Absent on the last page. */
  nextToken?: string;
}

/** The last link of the chain as the writer recorded it (what tail truncation is checked against). */
export interface AuditChainHead {
  seq: number;
  hash: string;
  eventID: string | null;
}

/** One stored row as it is on disk: hash columns may be missing or damaged, the doc may not parse. */
export interface StoredAuditRow {
  seq: number;
  eventID: string;
  previousHash: string | null;
  hash: string | null;
  /** The record's JSON as stored. */
  doc: string;
}

/** What {@link verifyAuditChain} needs: a read-only walk of the chain in `seq` order. */
export interface AuditChainReader {
  chainHead(): Promise<AuditChainHead>;
  /** Up to `limit` rows with `seq > afterSeq`, ascending. */
  rowsAfter(afterSeq: number, limit: number): Promise<StoredAuditRow[]>;
  /** The `seq` of some row whose `hash` column equals `hash`, if any. */
  seqOfHash(hash: string): Promise<number | undefined>;
}

/** The durable, queryable trail behind the audit sinks. */
export interface AuditStore extends AuditChainReader {
  /**
   * Chains and commits `events` in ONE transaction and returns them as stored; throws (and
   * commits none of them) on failure. Synchronous: it returns only after the commit is durable.
   * `subjectAttempts` are applied in the same transaction, before the events.
   */
  appendBatch(events: readonly AuditEvent[], subjectAttempts?: readonly SubjectAttemptWrite[]): AuditRecord[];
  query(q: AuditQuery): Promise<AuditQueryPage | 'bad-token'>;
}
