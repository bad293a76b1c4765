import { indexedValues, indexHeaders, type HeaderIndex } from './header-values.js';
import type { RawHttpRequest } from './types.js';

export type CanonicalHeadersResult =
  | { ok: true; value: string }
  | { ok: false; reason: 'signed-header-missing'; header: string };

const SPACE = 0x20;
const TAB = 0x09;

/**
 * One value trimmed of U+0020 and U+0009 at both ends, with inner runs of U+0020 collapsed to
 * one: the same result as `v.replace(/^[ \t]+|[ \t]+$/g, '').replace(/ {2,}/g, ' ')`, without
 * running a regex over the whole of a 2 KB base64 certificate header. The ends are found by
 * looking at characters from each side only; the collapse runs only when a double space exists.
 */
function trimAll(v: string): string {
  let start = 0;
  let end = v.length;
  while (start < end) {
    const c = v.charCodeAt(start);
    if (c !== SPACE && c !== TAB) break;
    start++;
  }
  while (end > start) {
    const c = v.charCodeAt(end - 1);
    if (c !== SPACE && c !== TAB) break;
    end--;
  }
  const trimmed = start === 0 && end === v.length ? v : v.slice(start, end);
  return trimmed.includes('  ') ? trimmed.replace(/ {2,}/g, ' ') : trimmed;
}

/**
 * Canonical value of one header (AWS SigV4 docs: `Lowercase(name):Trimall(value)`): each value
 * is trimmed and runs of spaces are collapsed to one, then repeated values are joined with ','.
 * Only U+0020 runs are collapsed, as the Roles Anywhere Go helper does (signing-helper-spec
 * §2.2); tabs at the ends are optional whitespace that HTTP parsers strip anyway (RFC 9110
 * §5.5), so they are trimmed too.
 */
export function canonicalHeaderValue(values: readonly string[]): string {
  if (values.length === 1) return trimAll(values[0] as string);
  let out = '';
  for (let i = 0; i < values.length; i++) out += (i === 0 ? '' : ',') + trimAll(values[i] as string);
  return out;
}

/** canonicalHeaders over an index built by the caller (one index serves a whole verification). */
export function canonicalHeadersOf(index: HeaderIndex, signedHeaders: readonly string[]): CanonicalHeadersResult {
  let out = '';
  for (const name of signedHeaders) {
    const lower = name.toLowerCase();
    const values = indexedValues(index, lower);
    if (values.length === 0) return { ok: false, reason: 'signed-header-missing', header: lower };
    out += `${lower}:${canonicalHeaderValue(values)}\n`;
  }
  return { ok: true, value: out };
}

/**
 * The canonical-headers block: one `name:value\n` line per name in `signedHeaders`, in the
 * order given. Signers pass a sorted list (as SigV4 requires); verifiers pass exactly the
 * received SignedHeaders so the canonical request is rebuilt from what the client declared.
 * A listed header that the request does not carry cannot be verified: `signed-header-missing`.
 */
export function canonicalHeaders(
  headers: RawHttpRequest['headers'],
  signedHeaders: string[],
): CanonicalHeadersResult {
  return canonicalHeadersOf(indexHeaders(headers), signedHeaders);
}
