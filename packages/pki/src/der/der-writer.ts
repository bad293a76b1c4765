// Minimal ASN.1 DER writer (X.690 §8 + §10/§11): the encoders certificate building needs.
// Every function returns the complete TLV as a Buffer; composition is plain concatenation.
import { Tag } from './der-reader.js';

function encodeLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  for (let v = len; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV with the given identifier octet. */
export function tlv(tag: number, content: Uint8Array | readonly Uint8Array[]): Buffer {
  const body = content instanceof Uint8Array ? content : Buffer.concat(content as Uint8Array[]);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export function derSequence(items: readonly Uint8Array[]): Buffer {
  return tlv(Tag.SEQUENCE, items);
}

/** X.690 §11.6: the components of a DER SET OF are sorted by their encodings. */
export function derSet(items: readonly Uint8Array[]): Buffer {
  const sorted = [...items].sort((a, b) => Buffer.compare(a, b));
  return tlv(Tag.SET, sorted);
}

/** [n] EXPLICIT: a constructed context tag wrapping complete TLVs. */
export function derExplicit(n: number, items: readonly Uint8Array[]): Buffer {
  return tlv(0xa0 | n, items);
}

/** [n] IMPLICIT over a primitive type: the content octets with a context tag. */
export function derImplicitPrimitive(n: number, content: Uint8Array): Buffer {
  return tlv(0x80 | n, content);
}

export function derNull(): Buffer {
  return Buffer.from([Tag.NULL, 0]);
}

export function derBoolean(v: boolean): Buffer {
  // X.690 §11.1: TRUE is 0xFF in DER.
  return Buffer.from([Tag.BOOLEAN, 1, v ? 0xff : 0]);
}

/** Minimal two's-complement INTEGER (X.690 §8.3.2). */
export function derInteger(v: bigint | number): Buffer {
  let n = BigInt(v);
  if (n === 0n) return Buffer.from([Tag.INTEGER, 1, 0]);
  const negative = n < 0n;
  const bytes: number[] = [];
  if (!negative) {
    while (n > 0n) {
      bytes.unshift(Number(n & 0xffn));
      n >>= 8n;
    }
    if (bytes[0]! & 0x80) bytes.unshift(0);
  } else {
    // Smallest k with -2^(8k-1) <= n, then the k-byte two's complement of n.
    let k = 1n;
    while (n < -(1n << (8n * k - 1n))) k++;
    let u = (1n << (8n * k)) + n;
    for (let i = 0n; i < k; i++) {
      bytes.unshift(Number(u & 0xffn));
      u >>= 8n;
    }
  }
  return tlv(Tag.INTEGER, Buffer.from(bytes));
}

/** Positive INTEGER from unsigned magnitude bytes (leading zeros trimmed, sign byte added when needed). */
export function derUnsignedInteger(magnitude: Uint8Array): Buffer {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const trimmed = Buffer.from(magnitude.subarray(i));
  if (trimmed.length === 0) return Buffer.from([Tag.INTEGER, 1, 0]);
  return tlv(Tag.INTEGER, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export function derOid(dotted: string): Buffer {
  return tlv(Tag.OID, encodeOidBytes(dotted));
}

/** X.690 §8.19 content octets for a dotted OID. */
export function encodeOidBytes(dotted: string): Buffer {
  const parts = dotted.split('.');
  if (parts.length < 2 || parts.some((p) => !/^\d+$/.test(p))) throw new Error(`invalid OID: ${dotted}`);
  const arcs = parts.map((p) => BigInt(p));
  const [a, b] = [arcs[0]!, arcs[1]!];
  if (a > 2n || (a < 2n && b > 39n)) throw new Error(`invalid OID: ${dotted}`);
  const out: number[] = [];
  for (const arc of [a * 40n + b, ...arcs.slice(2)]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return Buffer.from(out);
}

export function derOctetString(content: Uint8Array): Buffer {
  return tlv(Tag.OCTET_STRING, content);
}

export function derBitString(data: Uint8Array, unusedBits = 0): Buffer {
  return tlv(Tag.BIT_STRING, [Buffer.from([unusedBits]), data]);
}

export function derUtf8String(s: string): Buffer {
  return tlv(Tag.UTF8String, Buffer.from(s, 'utf8'));
}

export function derPrintableString(s: string): Buffer {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s)) throw new Error('value is not a PrintableString');
  return tlv(Tag.PrintableString, Buffer.from(s, 'latin1'));
}

export function derIa5String(s: string): Buffer {
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(s)) throw new Error('value is not an IA5String');
  return tlv(Tag.IA5String, Buffer.from(s, 'latin1'));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; always Zulu, whole seconds. */
export function derTime(d: Date): Buffer {
  const y = d.getUTCFullYear();
  const rest =
    pad(d.getUTCMonth() + 1, 2) +
    pad(d.getUTCDate(), 2) +
    pad(d.getUTCHours(), 2) +
    pad(d.getUTCMinutes(), 2) +
    pad(d.getUTCSeconds(), 2) +
    'Z';
  if (y >= 1950 && y <= 2049) return tlv(Tag.UTCTime, Buffer.from(pad(y % 100, 2) + rest, 'latin1'));
  return tlv(Tag.GeneralizedTime, Buffer.from(pad(y, 4) + rest, 'latin1'));
}
