import { isUnreservedByte, percentDecodeBytes, uriEncodeBytes } from './uri-encode.js';

const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PERCENT = 0x25;

/** Value of an UPPERCASE hex digit, else -1 (a lower-case escape is not in canonical form). */
function upperHexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * True when canonicalQuery(q) is q itself, so the decode / re-encode / sort can be skipped.
 * That holds when every component is `name=value` with exactly one '=', each of name and
 * value is ASCII made of unreserved characters and `%XX` escapes (uppercase hex) of bytes the
 * encoder must escape, so decoding and re-encoding gives them back unchanged, and the pairs
 * already are in (name, value) order. SDKs send exactly that (`profileArn=arn%3Aaws%3A...`,
 * Go's url.Values.Encode sorts). An escape's two digits are never '=' or '&', so an escape
 * never straddles a separator. Anything else (an empty component, '+', a bare '%', a
 * lower-case or needless escape, non-ASCII, disorder) takes the general path.
 */
function isCanonicalQuery(q: string): boolean {
  const n = q.length;
  let previousName = '';
  let previousValue = '';
  for (let start = 0; ;) {
    let eq = -1;
    let i = start;
    for (; i < n; i++) {
      const c = q.charCodeAt(i);
      if (c === AMPERSAND) break;
      if (c === EQUALS) {
        if (eq >= 0) return false;
        eq = i;
      } else if (c >= 0x80 || !isUnreservedByte(c)) {
        if (c !== PERCENT || i + 2 >= n) return false;
        const hi = upperHexValue(q.charCodeAt(i + 1));
        const lo = upperHexValue(q.charCodeAt(i + 2));
        if (hi < 0 || lo < 0 || isUnreservedByte((hi << 4) | lo)) return false;
        i += 2;
      }
    }
    // No '=' also covers an empty component, which canonicalQuery drops.
    if (eq < 0) return false;
    const name = q.slice(start, eq);
    const value = q.slice(eq + 1, i);
    if (start > 0 && (previousName > name || (previousName === name && previousValue > value))) return false;
    if (i === n) return true;
    previousName = name;
    previousValue = value;
    start = i + 1;
  }
}

/**
 * Canonical query string (AWS SigV4 docs, "Create a canonical request"): each name and value is
 * decoded ('+' is a space, as form encoding and Go's url.ParseQuery treat it), re-encoded with
 * the SigV4 URI encoding, then the pairs are sorted by encoded name and, for repeated names, by
 * encoded value, and joined as `name=value` with '&'. A parameter without '=' gets an empty
 * value. Empty components (`a=1&&b=2`) are ignored.
 *
 * Decoding works on bytes so that a query whose escapes are not valid UTF-8 still canonicalises
 * deterministically instead of throwing.
 */
export function canonicalQuery(rawQuery: string): string {
  const q = rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery;
  if (q === '' || isCanonicalQuery(q)) return q;
  const pairs: Array<[string, string]> = [];
  for (const component of q.split('&')) {
    if (component === '') continue;
    const eq = component.indexOf('=');
    const rawName = eq < 0 ? component : component.slice(0, eq);
    const rawValue = eq < 0 ? '' : component.slice(eq + 1);
    pairs.push([
      uriEncodeBytes(percentDecodeBytes(rawName, true)),
      uriEncodeBytes(percentDecodeBytes(rawValue, true)),
    ]);
  }
  // Encoded strings are pure ASCII, so code-unit order is byte order.
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}
