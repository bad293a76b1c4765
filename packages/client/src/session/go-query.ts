/**
 * Go's `url.QueryEscape` and `url.Values.Encode`, which build the official helper's query
 * string (signing-helper-spec §2.1): keys sorted, every byte outside `A-Za-z0-9-_.~` written
 * as upper-case `%XX` (RFC 3986 §2.1/§2.3).
 *
 * One deliberate difference: a space becomes `%20`, not Go's `+`. Both sides of SigV4 turn `+`
 * into `%20` when canonicalising (the helper's `strings.Replace(…, "+", "%20")`), so `%20` on
 * the wire is the spelling no verifier can read two ways. ARNs never contain spaces anyway.
 */

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** @internal */
export function goQueryEscape(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** `k=v&k=v` with keys in byte order, like `url.Values.Encode`. @internal */
export function encodeGoQuery(values: Record<string, string>): string {
  return Object.keys(values)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${goQueryEscape(k)}=${goQueryEscape(values[k] ?? '')}`)
    .join('&');
}
