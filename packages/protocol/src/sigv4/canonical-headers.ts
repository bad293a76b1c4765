import { headerValues } from './header-values.js';
import type { RawHttpRequest } from './types.js';

export type CanonicalHeadersResult =
  | { ok: true; value: string }
  | { ok: false; reason: 'signed-header-missing'; header: string };

/**
 * Canonical value of one header (AWS SigV4 docs: `Lowercase(name):Trimall(value)`): each value
 * is trimmed and runs of spaces are collapsed to one, then repeated values are joined with ','.
 * Only U+0020 runs are collapsed, as the Roles Anywhere Go helper does (signing-helper-spec
 * §2.2); tabs at the ends are optional whitespace that HTTP parsers strip anyway (RFC 9110
 * §5.5), so they are trimmed too.
 */
export function canonicalHeaderValue(values: readonly string[]): string {
  return values.map((v) => v.replace(/^[ \t]+|[ \t]+$/g, '').replace(/ {2,}/g, ' ')).join(',');
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
  let out = '';
  for (const name of signedHeaders) {
    const lower = name.toLowerCase();
    const values = headerValues(headers, lower);
    if (values.length === 0) return { ok: false, reason: 'signed-header-missing', header: lower };
    out += `${lower}:${canonicalHeaderValue(values)}\n`;
  }
  return { ok: true, value: out };
}
