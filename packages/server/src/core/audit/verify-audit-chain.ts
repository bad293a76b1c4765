import { chainHash, GENESIS_HASH } from './audit-chain.js';
import type { AuditChainReader, StoredAuditRow } from './audit-store.js';

export type AuditChainProblem = 'edited' | 'deleted' | 'reordered';

export type AuditChainVerdict =
  | {
      ok: true;
      /** Records verified (every record up to the chain head). */
      count: number;
      /** `hash` of the last verified record ({@link GENESIS_HASH} when the trail is empty). */
      headHash: string;
    }
  | {
      ok: false;
      /** The first bad record (for `deleted`: the record whose predecessor is missing). */
      seq: number;
      eventID: string;
      problem: AuditChainProblem;
      /** One human-readable sentence; names seqs and hashes, never record contents. */
      detail: string;
    };

const PAGE = 1000;

/**
 * Walks the hash chain from the genesis to the chain head and reports the first break
 * (issue [revocation-audit] item 4). Each record must (1) link to the hash of the record
 * before it and (2) hash to its own `hash` (see {@link chainHash}). How a break is named:
 * - a record whose content no longer matches its hash, or whose hash was removed: `edited`;
 * - a record that links to a record present elsewhere in the trail: `reordered`;
 * - a record that links to nothing present, after a gap in `seq`, or a trail that ends before
 *   the recorded chain head: `deleted`;
 * - a record that links to nothing present with no gap in `seq`: its predecessor was edited and
 *   re-hashed, reported as `edited` at the predecessor.
 * Records committed after the chain head was read are outside this run and not counted. The
 * chain head lives in the same database, so whoever can rewrite the whole tail and the head can
 * hide a truncation; the JSON-lines copy is the independent witness for that.
 */
export async function verifyAuditChain(store: AuditChainReader): Promise<AuditChainVerdict> {
  const head = await store.chainHead();
  let expected = GENESIS_HASH;
  let prev: StoredAuditRow | undefined;
  let count = 0;
  let after = 0;
  for (;;) {
    const rows = await store.rowsAfter(after, PAGE);
    let reachedHead = rows.length === 0;
    for (const row of rows) {
      if (row.seq > head.seq) {
        reachedHead = true;
        break;
      }
      const bad = (problem: AuditChainProblem, detail: string, at: StoredAuditRow = row): AuditChainVerdict => ({
        ok: false,
        seq: at.seq,
        eventID: at.eventID,
        problem,
        detail,
      });
      if (row.hash === null || row.previousHash === null) return bad('edited', `record ${row.seq} has no hash (its chain columns were cleared)`);
      const own = recompute(row);
      if (row.previousHash !== expected) {
        const elsewhere = await store.seqOfHash(row.previousHash);
        if (elsewhere !== undefined && elsewhere !== row.seq) {
          return bad('reordered', `record ${row.seq} follows the record now at seq ${elsewhere}, not the record before it`);
        }
        const prevSeq = prev?.seq ?? 0;
        if (row.seq !== prevSeq + 1) {
          const missing = row.seq - 1 === prevSeq + 1 ? `${prevSeq + 1}` : `${prevSeq + 1}..${row.seq - 1}`;
          return bad('deleted', `record(s) ${missing} before record ${row.seq} are missing`);
        }
        if (own !== row.hash) return bad('edited', `record ${row.seq}'s previousHash was changed`);
        if (prev) return bad('edited', `record ${prev.seq} was changed and re-hashed; record ${row.seq} still links to its original hash`, prev);
        return bad('deleted', `record ${row.seq} is first but does not link to the genesis hash; the records before it are missing`);
      }
      if (own !== row.hash) return bad('edited', `record ${row.seq} does not match its hash`);
      expected = row.hash;
      prev = row;
      count++;
      after = row.seq;
    }
    if (reachedHead) break;
  }
  const lastSeq = prev?.seq ?? 0;
  if (lastSeq < head.seq) {
    return {
      ok: false,
      seq: head.seq,
      eventID: head.eventID ?? '',
      problem: 'deleted',
      detail: lastSeq + 1 === head.seq ? `the last record (${head.seq}) is missing` : `the last records (${lastSeq + 1}..${head.seq}) are missing`,
    };
  }
  if (head.seq > 0 && expected !== head.hash) {
    return { ok: false, seq: lastSeq, eventID: prev?.eventID ?? '', problem: 'edited', detail: `record ${lastSeq} does not match the recorded chain head` };
  }
  return { ok: true, count, headHash: expected };
}

/** The hash the row should carry, or '' when its document is not JSON (so it never matches). */
function recompute(row: StoredAuditRow): string {
  let doc: unknown;
  try {
    doc = JSON.parse(row.doc);
  } catch {
    return '';
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return '';
  return chainHash(row.previousHash ?? '', doc as Record<string, unknown>);
}
