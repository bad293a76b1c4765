/**
 * Just enough DER (ITU-T X.690 §8.1) to walk a PKCS#12 file: tag, definite length, contents.
 * The client keeps no ASN.1 dependency; certificates and keys are handed to node:crypto.
 */

/** One TLV: `tag` is the identifier octet, `value` the contents. @internal */
export interface Tlv {
  tag: number;
  value: Buffer;
  /** The whole encoding, header included. */
  raw: Buffer;
}

/** @internal */
export class DerLiteError extends Error {
  override readonly name = 'DerLiteError';
}

/** Reads the TLV at `offset`. Indefinite lengths (BER) and high tag numbers are refused. @internal */
export function readTlv(buf: Buffer, offset = 0): Tlv & { end: number } {
  if (offset + 2 > buf.length) throw new DerLiteError('truncated DER');
  const tag = buf[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerLiteError('high tag numbers are not supported');
  let len = buf[offset + 1] as number;
  let pos = offset + 2;
  if (len === 0x80) throw new DerLiteError('indefinite-length (BER) encodings are not supported');
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4 || pos + n > buf.length) throw new DerLiteError('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[pos + i] as number);
    pos += n;
  }
  const end = pos + len;
  if (end > buf.length) throw new DerLiteError('truncated DER');
  return { tag, value: buf.subarray(pos, end), raw: buf.subarray(offset, end), end };
}

/** The TLVs inside a constructed value, in order. @internal */
export function children(value: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = 0; pos < value.length; ) {
    const t = readTlv(value, pos);
    out.push(t);
    pos = t.end;
  }
  return out;
}

/** `children()` with a check on the container tag. @internal */
export function expectSequence(t: Tlv | undefined, what: string): Tlv[] {
  if (t === undefined || (t.tag !== 0x30 && t.tag !== 0x31)) throw new DerLiteError(`${what}: expected a SEQUENCE`);
  return children(t.value);
}

/** Dotted OID text (X.690 §8.19). @internal */
export function oidText(t: Tlv | undefined): string {
  if (t === undefined || t.tag !== 0x06 || t.value.length === 0) throw new DerLiteError('expected an OBJECT IDENTIFIER');
  const first = t.value[0] as number;
  const parts = [Math.min(2, Math.floor(first / 40)), first - 40 * Math.min(2, Math.floor(first / 40))];
  let n = 0;
  for (const b of t.value.subarray(1)) {
    n = n * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

/** A non-negative INTEGER that fits a JS number (iteration counts, versions). @internal */
export function smallInt(t: Tlv | undefined): number {
  if (t === undefined || t.tag !== 0x02) throw new DerLiteError('expected an INTEGER');
  let n = 0;
  for (const b of t.value) n = n * 256 + b;
  if (!Number.isSafeInteger(n)) throw new DerLiteError('INTEGER too large');
  return n;
}

/** An OCTET STRING's contents, primitive or constructed (concatenated segments). @internal */
export function octets(t: Tlv | undefined): Buffer {
  if (t === undefined) throw new DerLiteError('expected an OCTET STRING');
  if (t.tag === 0x04 || t.tag === 0x80) return t.value;
  if (t.tag === 0x24 || t.tag === 0xa0) return Buffer.concat(children(t.value).map((c) => octets(c)));
  throw new DerLiteError('expected an OCTET STRING');
}
