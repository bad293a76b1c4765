/**
 * `X-Amz-Date` values: ISO 8601 basic format `YYYYMMDD'T'HHMMSS'Z'`, always UTC (AWS SigV4 docs,
 * "Elements of an AWS API request signature"). Parsing is strict: no other layout, no offsets,
 * no fractional seconds, and the fields must form a real calendar date-time.
 */

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function parseAmzDate(v: string): Date | undefined {
  const m = AMZ_DATE.exec(v);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC silently rolls over (month 13, Feb 30, 24:00); reject anything that moved.
  if (
    date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d ||
    date.getUTCHours() !== h || date.getUTCMinutes() !== mi || date.getUTCSeconds() !== s
  ) {
    return undefined;
  }
  return date;
}

export function formatAmzDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
