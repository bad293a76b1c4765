import { sha256Hex } from '@mooring/protocol';
import type { AuditEvent } from './audit-event.js';
import { auditIndexFields, type AuditIndexFields } from './audit-index-fields.js';
import type { AuditRecord } from './audit-record.js';
import type { AuditChainHead } from './audit-store.js';

/** `previousHash` of the first record of a chain: 64 zeros (a SHA-256 of nothing real). */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no insignificant whitespace,
 * `undefined` members dropped — the JSON Canonicalization Scheme (RFC 8785 §3.2) for the
 * values audit events hold (strings, booleans, null, safe integers). Two parses of the same
 * record always serialise to the same bytes, so the hash does not depend on key order or
 * formatting in storage; only a change of content changes it. Like JSON.stringify, a `toJSON`
 * method is honoured, so serialising an event equals serialising its JSON round trip.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  // Loops and `+=` rather than map/filter/join: this runs for every audit record on the
  // CreateSession hot path (issue [scale]); the output is the same.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (i > 0) out += ',';
      out += v === undefined ? 'null' : canonicalJson(v);
    }
    return `${out}]`;
  }
  // As JSON.stringify does (Dates): so canonicalJson(x) === canonicalJson(JSON.parse(JSON.stringify(x))).
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return canonicalJson((toJSON as () => unknown).call(value));
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined || typeof v === 'function') continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/**
 * The chain link of one record: SHA-256 (FIPS 180-4) over the UTF-8 bytes of
 * `previousHash || "\n" || canonicalJson(event)`, lowercase hex. Covering `previousHash` is what
 * makes the trail tamper-evident: editing, deleting or reordering any record breaks the link of
 * the record after it (issue [revocation-audit] item 4). `seq` is deliberately not covered, so a
 * swap shows up as a broken link ("reordered") rather than as an edit.
 */
export function chainHash(previousHash: string, event: AuditEvent | Record<string, unknown>): string {
  return chainHashOfCanonical(previousHash, canonicalJson(event));
}

/** {@link chainHash} for a writer that already holds `canonicalJson(event)` (it stores that text). */
export function chainHashOfCanonical(previousHash: string, canonicalEventJson: string): string {
  return sha256Hex(`${previousHash}\n${canonicalEventJson}`);
}

/** A record linked into the chain, with the text to store (`doc`) and its search columns. */
export interface LinkedAuditRecord extends AuditRecord {
  doc: string;
  fields: AuditIndexFields;
}

/**
 * Chains `events` after `head`, in order: each gets the next `seq` and the link over the previous
 * hash and its canonical text, which is also the text every store keeps (canonicalised once: a
 * reader parsing it back and re-canonicalising gets the same bytes). Both stores write these rows
 * in the transaction that moves their chain head to the returned `head`.
 */
export function linkAuditRecords(head: AuditChainHead, events: readonly AuditEvent[]): { records: LinkedAuditRecord[]; head: AuditChainHead } {
  const records: LinkedAuditRecord[] = [];
  for (const event of events) {
    const doc = canonicalJson(event);
    const hash = chainHashOfCanonical(head.hash, doc);
    const seq = head.seq + 1;
    records.push({ seq, previousHash: head.hash, hash, event, doc, fields: auditIndexFields(event) });
    head = { seq, hash, eventID: event.eventID };
  }
  return { records, head };
}

/** True for a 64-character lowercase hex string (the shape of every hash in the chain). */
export function isChainHash(s: unknown): s is string {
  return typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);
}
