/**
 * `X-Amz-Date` values: ISO 8601 basic format `YYYYMMDD'T'HHMMSS'Z'`, always UTC (AWS SigV4 docs,
 * "Elements of an AWS API request signature"). Parsing is strict: no other layout, no offsets,
 * no fractional seconds, and the fields must form a real calendar date-time.
 *
 * Both directions are hand-rolled (they run on every signed request); the layouts are exactly
 * those of the regex `^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$` and of
 * `toISOString()` with the milliseconds and the '-' and ':' separators removed.
 */

const T = 0x54;
const Z = 0x5a;

/** The decimal number in v[from, from + len) when it is all ASCII digits, else -1. */
function digits(v: string, from: number, len: number): number {
  let n = 0;
  for (let i = from; i < from + len; i++) {
    const d = v.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

export function parseAmzDate(v: string): Date | undefined {
  if (v.length !== 16 || v.charCodeAt(8) !== T || v.charCodeAt(15) !== Z) return undefined;
  const y = digits(v, 0, 4);
  const mo = digits(v, 4, 2);
  const d = digits(v, 6, 2);
  const h = digits(v, 9, 2);
  const mi = digits(v, 11, 2);
  const s = digits(v, 13, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return undefined;
  // Only a real calendar date-time is accepted. Date.UTC would silently roll over (month 13,
  // Feb 30, 24:00) and maps years 0-99 to 1900-1999, so the range checks reject exactly what
  // would move: years below 100 and any field outside its calendar range (proleptic Gregorian
  // leap years, as ECMAScript dates use).
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

export function formatAmzDate(d: Date): string {
  const y = d.getUTCFullYear();
  // toISOString switches to a signed six-digit year outside 0000-9999 and throws on an invalid
  // date; leave those (never a real request date) to it so the result stays the same.
  if (!(y >= 0 && y <= 9999)) return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return (
    String(y).padStart(4, '0') + pad2(d.getUTCMonth() + 1) + pad2(d.getUTCDate()) + 'T' +
    pad2(d.getUTCHours()) + pad2(d.getUTCMinutes()) + pad2(d.getUTCSeconds()) + 'Z'
  );
}
