// The revokedCertificates list of a CRL (RFC 5280 §5.1.2.6) and its entry extensions (§5.3). This is the
// per-entry cost of large CRLs (10,000+ entries must parse in a few ms), so the loop reads TLVs directly:
// no cursor objects, no Buffer views, no strings or regular expressions for the usual dates.
import { DerError, Tag, decodeSmallInteger, decodeTime, readNode, readTopLevel } from './der/der-reader.js';
import type { DerNode } from './der/der-reader.js';
import { forEachExtension } from './extensions.js';
import { CrlExtensionOid } from './oids.js';

export interface RevokedEntry {
  serialHex: string;
  revocationDate: Date;
  /** RFC 5280 §5.3.1 CRLReason, when the entry carries a reasonCode extension. */
  reason?: number;
}


const SEQUENCE_BYTE = 0x30;
const ENUMERATED = 0x0a;
const INTEGER = 0x02;

/**
 * Serial INTEGER content octets buf[start, end) -> lowercase even-length hex of the magnitude, exactly as
 * certificate.ts computes ParsedCertificate.serialHex (so the two meet in one Map lookup). Positive serials,
 * the only conforming ones (RFC 5280 §4.1.2.2), take a copy-free fast path.
 */
function serialHexAt(buf: Buffer, start: number, end: number): string {
  if ((buf[start]! & 0x80) === 0) {
    let i = start;
    while (i < end && buf[i] === 0) i++;
    return i === end ? '00' : buf.toString('hex', i, end);
  }
  const value = (1n << BigInt((end - start) * 8)) - BigInt(`0x${buf.toString('hex', start, end)}`);
  const hex = value.toString(16);
  return `-${hex.length % 2 ? `0${hex}` : hex}`;
}

/** CRL entry extensions (RFC 5280 §5.3): returns the reasonCode; records unsupported critical ones. */
function parseEntryExtensions(seq: DerNode, unknown: Set<string>): number | undefined {
  let reason: number | undefined;
  forEachExtension(seq, (oid, critical, value) => {
    if (oid === CrlExtensionOid.reasonCode) {
      const n = readTopLevel(value);
      if (n.tag !== ENUMERATED) throw new DerError('reasonCode must be ENUMERATED');
      reason = decodeSmallInteger({ ...n, tag: Tag.INTEGER }, 255);
    } else if (oid === CrlExtensionOid.certificateIssuer) {
      // §5.3.3: only meaningful in indirect CRLs, which we do not support; it MUST be critical, so fail closed.
      unknown.add(oid);
    } else if (critical) {
      unknown.add(oid);
    }
  });
  return reason;
}

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/** Two ASCII digits at `i` as a number, or -1. */
function digits2(buf: Buffer, i: number): number {
  const a = buf[i]! - 0x30;
  const b = buf[i + 1]! - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * revocationDate without strings or regular expressions: the per-entry cost of a 10,000-entry CRL. Only the plain
 * case (well-formed, day <= 28, year >= 100) is decoded here; everything else goes to decodeTime, which applies
 * the full RFC 5280 §4.1.2.5 rules and throws on bad input, so both paths accept exactly the same encodings.
 */
function entryTime(n: DerNode): Date {
  const { buf, valueStart: s, end: e } = n;
  let year: number;
  let p: number;
  if (n.tag === UTC_TIME && e - s === 13) {
    const yy = digits2(buf, s);
    year = yy < 0 ? -1 : yy < 50 ? 2000 + yy : 1900 + yy;
    p = s + 2;
  } else if (n.tag === GENERALIZED_TIME && e - s === 15) {
    const hi = digits2(buf, s);
    const lo = digits2(buf, s + 2);
    year = hi < 1 || lo < 0 ? -1 : hi * 100 + lo;
    p = s + 4;
  } else {
    return decodeTime(n);
  }
  const mo = digits2(buf, p);
  const d = digits2(buf, p + 2);
  const h = digits2(buf, p + 4);
  const mi = digits2(buf, p + 6);
  const se = digits2(buf, p + 8);
  if (year < 0 || buf[e - 1] !== 0x5a || mo < 1 || mo > 12 || d < 1 || d > 28 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) {
    return decodeTime(n);
  }
  return new Date(Date.UTC(year, mo - 1, d, h, mi, se));
}

/**
 * revokedCertificates (RFC 5280 §5.1.2.6). Hot loop for large CRLs: readNode directly, no cursor objects and no
 * Buffer views. A serial listed twice keeps its first entry.
 */
export function parseRevoked(list: DerNode, version: 1 | 2, out: Map<string, RevokedEntry>, unknown: Set<string>): void {
  const { buf, end } = list;
  let pos = list.valueStart;
  while (pos < end) {
    const entry = readNode(buf, pos, end);
    if (entry.tag !== SEQUENCE_BYTE) throw new DerError('revoked certificate entry must be a SEQUENCE');
    pos = entry.end;
    const serialNode = readNode(buf, entry.valueStart, entry.end);
    const serialLength = serialNode.end - serialNode.valueStart;
    if (serialNode.tag !== INTEGER || serialLength === 0) throw new DerError('bad revoked serial number');
    if (serialLength > 64) throw new DerError('revoked serial number too long');
    const dateNode = readNode(buf, serialNode.end, entry.end);
    const revocationDate = entryTime(dateNode);
    let reason: number | undefined;
    if (dateNode.end < entry.end) {
      // §5.1.2.6: crlEntryExtensions appear only in v2 CRLs.
      if (version !== 2) throw new DerError('CRL entry extensions require a v2 CRL');
      const extSeq = readNode(buf, dateNode.end, entry.end);
      if (extSeq.tag !== SEQUENCE_BYTE || extSeq.end !== entry.end) throw new DerError('trailing data in revoked certificate entry');
      reason = parseEntryExtensions(extSeq, unknown);
    }
    const serialHex = serialHexAt(buf, serialNode.valueStart, serialNode.end);
    if (out.has(serialHex)) continue;
    out.set(serialHex, reason === undefined ? { serialHex, revocationDate } : { serialHex, revocationDate, reason });
  }
}
