import type { AuditEvent } from './audit-event.js';

/**
 * One stored audit record: the CloudTrail-shaped event plus its place in the hash chain.
 * `seq` is the position in the trail (1, 2, 3, … in commit order); `previousHash` is the
 * `hash` of the record before it (or {@link GENESIS_HASH} for the first one).
 */
export interface AuditRecord {
  seq: number;
  previousHash: string;
  hash: string;
  event: AuditEvent;
}

/**
 * The JSON-lines form of a record (the audit file and `mooring audit` output): the CloudTrail
 * fields first, then `seq`, `previousHash`, `hash`. CloudTrail has none of these three names,
 * so CloudTrail tooling reads the line as a record and ignores them.
 */
export function auditRecordLine(r: AuditRecord): string {
  return JSON.stringify({ ...r.event, seq: r.seq, previousHash: r.previousHash, hash: r.hash });
}
