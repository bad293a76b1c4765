// Minimal ASN.1 DER reader (ITU-T X.690 §8 + §10). Hand-written because it sits on the
// CreateSession hot path: a TLV walk over one Buffer, no copies (subarray only), no schema objects.
// Strict where it matters for security: definite lengths only, minimal length encoding,
// lengths bounded by the enclosing element. Any violation throws DerError, which the public
// parsers turn into `{ ok: false, reason: 'malformed' }`.

export class DerError extends Error {
  override name = 'DerError';
}

/** Universal tags used by X.509 (X.690 §8.x). Context tags are built with `contextTag`. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8String: 0x0c,
  NumericString: 0x12,
  PrintableString: 0x13,
  T61String: 0x14,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  VisibleString: 0x1a,
  UniversalString: 0x1c,
  BMPString: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag byte: [n] primitive (0x80|n) or constructed (0xa0|n). */
export function contextTag(n: number, constructed: boolean): number {
  return (constructed ? 0xa0 : 0x80) | n;
}

export interface DerNode {
  readonly buf: Buffer;
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly valueStart: number;
  /** Exclusive end offset. */
  readonly end: number;
}

/** Reads one TLV at `offset`; it must end at or before `limit`. */
export function readNode(buf: Buffer, offset: number, limit: number): DerNode {
  if (offset + 2 > limit) throw new DerError('truncated element header');
  const tag = buf[offset]!;
  // High-tag-number form (X.690 §8.1.2.4) never occurs in X.509; refuse rather than half-support it.
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  let pos = offset + 1;
  const first = buf[pos++]!;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else if (first === 0x80) {
    // X.690 §10.1: DER uses the definite form only.
    throw new DerError('indefinite length is not allowed in DER');
  } else {
    const n = first & 0x7f;
    // 4 octets = 4 GiB, far beyond any certificate; more is an attack or garbage.
    if (n > 4) throw new DerError('length too large');
    if (pos + n > limit) throw new DerError('truncated length');
    if (buf[pos] === 0) throw new DerError('non-minimal length encoding');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[pos++]!;
    // X.690 §10.1: the long form is used only when the short form cannot be.
    if (length < 0x80) throw new DerError('non-minimal length encoding');
  }
  const end = pos + length;
  if (end > limit) throw new DerError('element extends past its container');
  return { buf, tag, start: offset, valueStart: pos, end };
}

/** Content octets of a node (a view, not a copy). */
export function nodeValue(n: DerNode): Buffer {
  return n.buf.subarray(n.valueStart, n.end);
}

/** Full TLV bytes of a node (a view, not a copy). */
export function nodeBytes(n: DerNode): Buffer {
  return n.buf.subarray(n.start, n.end);
}

/** Sequential reader over the children of a constructed element. */
export class DerCursor {
  private pos: number;

  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /** Cursor over the children of a constructed node. */
  static inside(n: DerNode): DerCursor {
    if ((n.tag & 0x20) === 0) throw new DerError(`expected a constructed element, got tag 0x${n.tag.toString(16)}`);
    return new DerCursor(n.buf, n.valueStart, n.end);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  peekTag(): number | undefined {
    return this.pos < this.end ? this.buf[this.pos] : undefined;
  }

  /** Next element; with `tag`, it must have exactly that identifier octet. */
  next(tag?: number, what = 'element'): DerNode {
    if (this.pos >= this.end) throw new DerError(`missing ${what}`);
    const n = readNode(this.buf, this.pos, this.end);
    if (tag !== undefined && n.tag !== tag) {
      throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${n.tag.toString(16)}`);
    }
    this.pos = n.end;
    return n;
  }

  /** Next element only if its tag matches. */
  optional(tag: number): DerNode | undefined {
    return this.peekTag() === tag ? this.next(tag) : undefined;
  }

  /** Every remaining element. */
  rest(): DerNode[] {
    const out: DerNode[] = [];
    while (!this.done) out.push(this.next());
    return out;
  }

  /** Asserts the container has been fully consumed (no trailing data). */
  finish(what: string): void {
    if (this.pos !== this.end) throw new DerError(`trailing data in ${what}`);
  }
}

/** Parses a complete DER value: exactly one top-level element and nothing after it. */
export function readTopLevel(buf: Buffer): DerNode {
  const n = readNode(buf, 0, buf.length);
  if (n.end !== buf.length) throw new DerError('trailing data after top-level element');
  return n;
}

export function decodeBoolean(n: DerNode): boolean {
  if (n.tag !== Tag.BOOLEAN || n.end - n.valueStart !== 1) throw new DerError('bad BOOLEAN');
  const v = n.buf[n.valueStart]!;
  // X.690 §11.1: DER TRUE is 0xFF exactly.
  if (v === 0) return false;
  if (v === 0xff) return true;
  throw new DerError('non-DER BOOLEAN');
}

/** Two's-complement INTEGER content octets (non-empty). */
export function integerBytes(n: DerNode): Buffer {
  if (n.tag !== Tag.INTEGER || n.end === n.valueStart) throw new DerError('bad INTEGER');
  return nodeValue(n);
}

/** Small non-negative INTEGER (e.g. version, pathLenConstraint). */
export function decodeSmallInteger(n: DerNode, max = 0x7fffffff): number {
  const b = integerBytes(n);
  if (b[0]! & 0x80) throw new DerError('negative INTEGER where a non-negative one is required');
  let v = 0;
  for (const byte of b) {
    v = v * 256 + byte;
    if (v > max) throw new DerError('INTEGER out of range');
  }
  return v;
}

export function decodeBitString(n: DerNode): { unusedBits: number; data: Buffer } {
  if (n.tag !== Tag.BIT_STRING || n.end === n.valueStart) throw new DerError('bad BIT STRING');
  const unusedBits = n.buf[n.valueStart]!;
  if (unusedBits > 7 || (unusedBits > 0 && n.end - n.valueStart === 1)) throw new DerError('bad BIT STRING padding');
  return { unusedBits, data: n.buf.subarray(n.valueStart + 1, n.end) };
}

export function decodeOid(n: DerNode): string {
  if (n.tag !== Tag.OID) throw new DerError('expected OBJECT IDENTIFIER');
  return decodeOidBytes(nodeValue(n));
}

/** X.690 §8.19: base-128 arcs, first two packed as 40*a+b. Arcs beyond 2^53 use BigInt. */
export function decodeOidBytes(b: Buffer): string {
  if (b.length === 0) throw new DerError('empty OID');
  const arcs: Array<number | bigint> = [];
  let v = 0;
  let big: bigint | undefined;
  let fresh = true;
  for (let i = 0; i < b.length; i++) {
    const byte = b[i]!;
    // X.690 §8.19.2: a subidentifier must not start with 0x80 (non-minimal).
    if (fresh && byte === 0x80) throw new DerError('non-minimal OID arc');
    fresh = false;
    if (big !== undefined) big = (big << 7n) | BigInt(byte & 0x7f);
    else {
      v = v * 128 + (byte & 0x7f);
      if (v > 2 ** 45) big = BigInt(v);
    }
    if ((byte & 0x80) === 0) {
      arcs.push(big ?? v);
      v = 0;
      big = undefined;
      fresh = true;
    }
  }
  if (!fresh) throw new DerError('truncated OID');
  const firstArc = arcs[0]!;
  let head: string;
  if (typeof firstArc === 'bigint') head = `2.${firstArc - 80n}`;
  else if (firstArc < 40) head = `0.${firstArc}`;
  else if (firstArc < 80) head = `1.${firstArc - 40}`;
  else head = `2.${firstArc - 80}`;
  return arcs.length === 1 ? head : `${head}.${arcs.slice(1).join('.')}`;
}

const TIME_RE_UTC = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const TIME_RE_GEN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** RFC 5280 §4.1.2.5.1/§4.1.2.5.2: UTCTime YYMMDDHHMMSSZ (YY<50 => 20YY) or GeneralizedTime YYYYMMDDHHMMSSZ. */
export function decodeTime(n: DerNode): Date {
  const s = n.buf.toString('latin1', n.valueStart, n.end);
  let m: RegExpExecArray | null;
  let year: number;
  if (n.tag === Tag.UTCTime && (m = TIME_RE_UTC.exec(s))) {
    const yy = Number(m[1]);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
  } else if (n.tag === Tag.GeneralizedTime && (m = TIME_RE_GEN.exec(s))) {
    year = Number(m[1]);
  } else {
    throw new DerError('bad time encoding');
  }
  const [mo, d, h, mi, se] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  const t = Date.UTC(year, mo - 1, d, h, mi, se);
  const date = new Date(t);
  // Reject rollover values such as month 13 or Feb 30 instead of silently normalising them.
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) {
    throw new DerError('time out of range');
  }
  if (year < 100) date.setUTCFullYear(year);
  return date;
}

/** Decodes the DirectoryString-like string types; undefined for a non-string tag. */
export function decodeString(n: DerNode): string | undefined {
  const { buf, valueStart: s, end: e } = n;
  switch (n.tag) {
    case Tag.UTF8String:
      return buf.toString('utf8', s, e);
    case Tag.PrintableString:
    case Tag.IA5String:
    case Tag.NumericString:
    case Tag.VisibleString:
      return buf.toString('latin1', s, e);
    case Tag.T61String:
      // Teletex is treated as Latin-1, as OpenSSL and most toolkits do in practice.
      return buf.toString('latin1', s, e);
    case Tag.BMPString: {
      if ((e - s) % 2 !== 0) throw new DerError('bad BMPString');
      const swapped = Buffer.from(buf.subarray(s, e)).swap16();
      return swapped.toString('utf16le');
    }
    case Tag.UniversalString: {
      if ((e - s) % 4 !== 0) throw new DerError('bad UniversalString');
      let out = '';
      for (let i = s; i < e; i += 4) out += String.fromCodePoint(buf.readUInt32BE(i));
      return out;
    }
    default:
      return undefined;
  }
}
