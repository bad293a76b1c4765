/**
 * Case-insensitive access to a RawHttpRequest's header record. HTTP field names are
 * case-insensitive (RFC 9110 §5.1), and a repeated field arrives as an array, or, from a
 * hand-built record, as two keys that differ only in case; both count as repetition.
 */
import type { RawHttpRequest } from './types.js';

type Headers = RawHttpRequest['headers'];

/**
 * The record's keys, lower-cased once (in Object.keys order, the order Object.entries uses),
 * so that the several lookups of one verification do not each re-list and re-lowercase every
 * key. Values are still read from the record at lookup time. Build it where it is used, per
 * call: a key added to the record later is not seen.
 */
export interface HeaderIndex {
  readonly headers: Headers;
  readonly keys: readonly string[];
  readonly names: readonly string[];
}

export function indexHeaders(headers: Headers): HeaderIndex {
  const keys = Object.keys(headers);
  const names = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; i++) names[i] = (keys[i] as string).toLowerCase();
  return { headers, keys, names };
}

/** Every value of lower-case `name`, in record order; [] when absent (headerValues, indexed). */
export function indexedValues(index: HeaderIndex, name: string): string[] {
  const out: string[] = [];
  const { headers, keys, names } = index;
  for (let i = 0; i < names.length; i++) {
    if (names[i] !== name) continue;
    const value = headers[keys[i] as string];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) out.push(v);
    else out.push(value);
  }
  return out;
}

/** Every value of header `name` in record order; [] when absent. */
export function headerValues(headers: Headers, name: string): string[] {
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (value === undefined || key.toLowerCase() !== wanted) continue;
    if (Array.isArray(value)) for (const v of value) out.push(v);
    else out.push(value);
  }
  return out;
}

/** The single value among `values`, or why there is not exactly one. */
export function singleValue(
  values: readonly string[],
): { ok: true; value: string } | { ok: false; reason: 'missing' | 'duplicated' } {
  if (values.length === 0) return { ok: false, reason: 'missing' };
  if (values.length > 1) return { ok: false, reason: 'duplicated' };
  return { ok: true, value: values[0] as string };
}

/** The header's single value, or why there is not exactly one. */
export function singleHeader(
  headers: Headers,
  name: string,
): { ok: true; value: string } | { ok: false; reason: 'missing' | 'duplicated' } {
  return singleValue(headerValues(headers, name));
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
    // defineProperty, not `out[key] =`: a header named `__proto__` must stay a header.
    if (!drop.has(key.toLowerCase())) Object.defineProperty(out, key, { value: Array.isArray(value) ? [...value] : value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
