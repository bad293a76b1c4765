/**
 * SigV4 URI encoding (AWS SigV4 docs, "Create a canonical request"; RFC 3986 §2.3): every byte
 * of the UTF-8 encoding is percent-encoded with uppercase hex, except the unreserved characters
 * A-Z a-z 0-9 '-' '_' '.' '~'. '/' is kept only where the caller says so (path segments).
 */

const HEX = '0123456789ABCDEF';

/** UNRESERVED[b] is 1 for the bytes SigV4 never escapes: A-Z a-z 0-9 '-' '_' '.' '~'. */
const UNRESERVED = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~') UNRESERVED[c.charCodeAt(0)] = 1;

/**
 * True for the bytes (and ASCII code units) SigV4 never escapes. A table lookup: this runs
 * once per character of every query and path on the verification hot path.
 */
export function isUnreservedByte(b: number): boolean {
  return UNRESERVED[b] === 1;
}

/** Encodes raw bytes; used directly when decoded query bytes need not be valid UTF-8. */
export function uriEncodeBytes(bytes: Uint8Array, encodeSlash = true): string {
  let out = '';
  for (const b of bytes) {
    if (isUnreservedByte(b) || (!encodeSlash && b === 0x2f)) out += String.fromCharCode(b);
    else out += '%' + HEX[b >> 4] + HEX[b & 0x0f];
  }
  return out;
}

export function uriEncode(s: string, encodeSlash = true): string {
  return uriEncodeBytes(Buffer.from(s, 'utf8'), encodeSlash);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Lenient percent-decoding to bytes (application/x-www-form-urlencoded: '+' is a space when
 * `plusAsSpace`). A '%' not followed by two hex digits is kept literally instead of throwing:
 * a verifier must canonicalise whatever arrives, and a signer that produced such a query
 * cannot be matched anyway.
 */
export function percentDecodeBytes(s: string, plusAsSpace: boolean): Buffer {
  const raw = Buffer.from(s, 'utf8');
  const out = Buffer.alloc(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] as number;
    if (b === 0x25 && i + 2 < raw.length) {
      const hi = hexValue(raw[i + 1] as number);
      const lo = hexValue(raw[i + 2] as number);
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[n++] = plusAsSpace && b === 0x2b ? 0x20 : b;
  }
  return out.subarray(0, n);
}
