import type { Random } from '../ports/random.js';

/**
 * An audit record's `eventID`: a UUID version 7 (RFC 9562 §5.7), i.e. 48 bits of Unix time in
 * milliseconds, then 74 random bits. CloudTrail's eventID is "a GUID"; any RFC 9562 UUID is one.
 * Time-ordered ids matter to the store: `audit_events.event_id` is UNIQUE, and a random (v4) key
 * lands every insert on a different page of that index, one more page written per record in
 * each group commit; consecutive v7 ids go to the index's right edge (issue [scale] hot path).
 * Uniqueness rests on the 74 random bits, as a v4's rests on 122: ids within one millisecond
 * are unordered among themselves but as unguessable and collision-free as required here.
 */
export function auditEventId(random: Random, nowMs: number): string {
  const r = random.bytes(10);
  const ms = Math.max(0, Math.min(Math.trunc(nowMs), 2 ** 48 - 1));
  const hex = ms.toString(16).padStart(12, '0');
  // rand_a: 12 bits after the version nibble; rand_b: 62 bits after the variant bits "10".
  const randA = (((r[0]! & 0x0f) << 8) | r[1]!).toString(16).padStart(3, '0');
  const variant = ((r[2]! & 0x3f) | 0x80).toString(16).padStart(2, '0');
  const rest = r.subarray(3, 10).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${randA}-${variant}${rest.slice(0, 2)}-${rest.slice(2, 14)}`;
}
