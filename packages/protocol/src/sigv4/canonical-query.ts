import { percentDecodeBytes, uriEncodeBytes } from './uri-encode.js';

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
  if (q === '') return '';
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
