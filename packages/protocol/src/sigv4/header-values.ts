/**
 * Case-insensitive access to a RawHttpRequest's header record. HTTP field names are
 * case-insensitive (RFC 9110 §5.1), and a repeated field arrives as an array, or, from a
 * hand-built record, as two keys that differ only in case; both count as repetition.
 */
import type { RawHttpRequest } from './types.js';

type Headers = RawHttpRequest['headers'];

/** Every value of header `name` in record order; [] when absent. */
export function headerValues(headers: Headers, name: string): string[] {
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined || key.toLowerCase() !== wanted) continue;
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
  }
  return out;
}

/** The header's single value, or why there is not exactly one. */
export function singleHeader(
  headers: Headers,
  name: string,
): { ok: true; value: string } | { ok: false; reason: 'missing' | 'duplicated' } {
  const values = headerValues(headers, name);
  if (values.length === 0) return { ok: false, reason: 'missing' };
  if (values.length > 1) return { ok: false, reason: 'duplicated' };
  return { ok: true, value: values[0] as string };
}

/** Lower-case names of the headers that carry a value. */
export function presentHeaderNames(headers: Headers): string[] {
  const names = new Set<string>();
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    names.add(key.toLowerCase());
  }
  return [...names];
}

/** A copy of `headers` without any spelling of `names`. */
export function withoutHeaders(headers: Headers, names: readonly string[]): Headers {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  const out: Headers = {};
  for (const [key, value] of Object.entries(headers)) {
    if (!drop.has(key.toLowerCase())) out[key] = Array.isArray(value) ? [...value] : value;
  }
  return out;
}
