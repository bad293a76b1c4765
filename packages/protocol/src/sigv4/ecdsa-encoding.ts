/**
 * ECDSA signature encodings. AWS4-X509-ECDSA-SHA256 carries the DER form
 * `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 §2.2.3, X.690 DER), while
 * PKCS#11 `CKM_ECDSA`, WebCrypto and Windows CNG produce the fixed-width IEEE P1363 form r||s
 * (signing-helper-spec §2.5). These convert between the two.
 */

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n <= 0xff) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}

/** Minimal DER INTEGER for an unsigned big-endian magnitude. */
function derUnsignedInteger(magnitude: Uint8Array): Buffer {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  let body = Buffer.from(magnitude.subarray(i));
  if (body.length === 0) body = Buffer.from([0]);
  // A set top bit would read as negative (X.690 §8.3.3): prefix a zero byte.
  if ((body[0] as number) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
}

/** r||s (two equal halves) to DER SEQUENCE{INTEGER r, INTEGER s}. */
export function rawEcdsaToDer(raw: Uint8Array): Buffer {
  if (raw.length === 0 || raw.length % 2 !== 0) {
    throw new Error('rawEcdsaToDer: expected r||s with two equal halves');
  }
  const half = raw.length / 2;
  const content = Buffer.concat([derUnsignedInteger(raw.subarray(0, half)), derUnsignedInteger(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30]), derLength(content.length), content]);
}

class DerReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  get done(): boolean {
    return this.pos === this.buf.length;
  }
  /** Reads one TLV with the expected tag; DER lengths must be minimal (X.690 §10.1). */
  read(tag: number): Uint8Array {
    if (this.buf[this.pos] !== tag) throw new Error('derEcdsaToRaw: unexpected tag');
    this.pos++;
    const first = this.buf[this.pos++];
    if (first === undefined) throw new Error('derEcdsaToRaw: truncated');
    let len = first;
    if (first & 0x80) {
      const count = first & 0x7f;
      if (count === 0 || count > 2) throw new Error('derEcdsaToRaw: bad length');
      len = 0;
      for (let i = 0; i < count; i++) {
        const b = this.buf[this.pos++];
        if (b === undefined) throw new Error('derEcdsaToRaw: truncated');
        len = (len << 8) | b;
      }
      if (len < 0x80 || (count === 2 && len < 0x100)) throw new Error('derEcdsaToRaw: non-minimal length');
    }
    if (this.pos + len > this.buf.length) throw new Error('derEcdsaToRaw: truncated');
    const value = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return value;
  }
}

function integerToFixed(value: Uint8Array, size: number): Buffer {
  if (value.length === 0) throw new Error('derEcdsaToRaw: empty INTEGER');
  if ((value[0] as number) & 0x80) throw new Error('derEcdsaToRaw: negative INTEGER');
  if (value.length > 1 && value[0] === 0 && !((value[1] as number) & 0x80)) {
    throw new Error('derEcdsaToRaw: non-minimal INTEGER');
  }
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const magnitude = value.subarray(start);
  if (magnitude.length > size) throw new Error('derEcdsaToRaw: INTEGER longer than the field size');
  const out = Buffer.alloc(size);
  out.set(magnitude, size - magnitude.length);
  return out;
}

/** DER SEQUENCE{INTEGER r, INTEGER s} to r||s, each left-padded to `size` bytes. */
export function derEcdsaToRaw(der: Uint8Array, size: number): Buffer {
  if (!Number.isInteger(size) || size <= 0) throw new Error('derEcdsaToRaw: bad size');
  const outer = new DerReader(der);
  const seq = outer.read(0x30);
  if (!outer.done) throw new Error('derEcdsaToRaw: trailing bytes');
  const inner = new DerReader(seq);
  const r = inner.read(0x02);
  const s = inner.read(0x02);
  if (!inner.done) throw new Error('derEcdsaToRaw: trailing bytes in SEQUENCE');
  return Buffer.concat([integerToFixed(r, size), integerToFixed(s, size)]);
}

/** Field size in bytes of the named curves Node reports (`asymmetricKeyDetails.namedCurve`). */
export function ecFieldSize(namedCurve: string | undefined): number | undefined {
  switch (namedCurve) {
    case 'prime256v1': case 'P-256': case 'secp256k1': return 32;
    case 'secp384r1': case 'P-384': return 48;
    case 'secp521r1': case 'P-521': return 66;
    case 'secp224r1': case 'P-224': return 28;
    default: return undefined;
  }
}
