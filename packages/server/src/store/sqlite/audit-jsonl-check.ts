import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { chainHash, GENESIS_HASH } from '../../core/audit/audit-chain.js';
import type { AuditChainReader } from '../../core/audit/audit-store.js';

export type AuditFileCheck =
  | { ok: true; lines: number }
  | { ok: false; seq: number; eventID: string; problem: 'edited' | 'deleted' | 'reordered'; detail: string };

/**
 * Checks the JSON-lines copy against itself and against the (already verified) database chain:
 * every line must hash to its `hash` and link to the line before, and every line must carry
 * the same hash as the database record with its `seq`. The file is the independent witness the
 * in-database chain lacks: a database whose tail was cut, together with its chain head, still
 * disagrees with the file. A file that merely lags the database (the group being written when
 * the process died; it catches up on the next start) is not a problem.
 */
export async function checkAuditFile(path: string, db: AuditChainReader): Promise<AuditFileCheck> {
  const head = await db.chainHead();
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let expected = GENESIS_HASH;
  let lastSeq = 0;
  let lines = 0;
  try {
    for await (const text of rl) {
      if (text === '') continue;
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return { ok: false, seq: lastSeq + 1, eventID: '', problem: 'edited', detail: `line ${lines + 1} of ${path} is not JSON` };
      }
      const { seq, previousHash, hash, ...event } = rec;
      const eventID = typeof event.eventID === 'string' ? event.eventID : '';
      if (typeof seq !== 'number' || typeof hash !== 'string' || typeof previousHash !== 'string') {
        return { ok: false, seq: lastSeq + 1, eventID, problem: 'edited', detail: `line ${lines + 1} of ${path} has no chain fields` };
      }
      const bad = (problem: 'edited' | 'deleted' | 'reordered', detail: string): AuditFileCheck => ({ ok: false, seq, eventID, problem, detail });
      if (seq <= lastSeq) return bad('reordered', `in ${path}, record ${seq} comes after record ${lastSeq}`);
      if (previousHash !== expected) return bad('deleted', `in ${path}, record ${seq} does not link to the line before it`);
      if (chainHash(previousHash, event) !== hash) return bad('edited', `in ${path}, record ${seq} does not match its hash`);
      if (seq <= head.seq) {
        const [row] = await db.rowsAfter(seq - 1, 1);
        if (!row || row.seq !== seq) return bad('deleted', `record ${seq} is in ${path} but not in the database`);
        if (row.hash !== hash) return bad('edited', `record ${seq} differs between ${path} and the database`);
      } else {
        const [row] = await db.rowsAfter(seq - 1, 1);
        if (!row || row.seq !== seq) return bad('deleted', `${path} has record ${seq} but the database ends at ${head.seq}`);
      }
      expected = hash;
      lastSeq = seq;
      lines++;
    }
  } finally {
    rl.close();
  }
  return { ok: true, lines };
}
