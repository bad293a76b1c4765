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
  /**
   * `canonicalJson(event)`, when the writer has it (the text it stored and hashed): the
   * JSON-lines form is then built from it instead of serialising the event a second time.
   */
  doc?: string;
}

/**
 * The JSON-lines form of a record (the audit file and `mooring audit` output): the CloudTrail
 * fields first, then `seq`, `previousHash`, `hash`. CloudTrail has none of these three names,
 * so CloudTrail tooling reads the line as a record and ignores them. With the stored canonical
 * text at hand (`r.doc`) the line is that text with the three fields appended — the same JSON
 * value as serialising the event, since the canonical text is the event's JSON with its keys
 * sorted (what a record read back from the database already serialises to).
 */
export function auditRecordLine(r: AuditRecord): string {
  const tail = `"seq":${r.seq},"previousHash":${JSON.stringify(r.previousHash)},"hash":${JSON.stringify(r.hash)}}`;
  if (r.doc !== undefined && r.doc.length > 2 && r.doc.startsWith('{') && r.doc.endsWith('}')) return `${r.doc.slice(0, -1)},${tail}`;
  return JSON.stringify({ ...r.event, seq: r.seq, previousHash: r.previousHash, hash: r.hash });
}
