const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A `--since`/`--until` value: an ISO 8601 date or date-time (`2026-03-01`,
 * `2026-03-01T12:00:00Z`; without a zone it is UTC), or a duration before now (`90s`, `15m`,
 * `2h`, `7d`, `1w`). Undefined when it is neither.
 */
export function parseAuditTime(value: string, now: Date): Date | undefined {
  const rel = /^(\d{1,9})([smhdw])$/.exec(value.trim());
  if (rel) return new Date(now.getTime() - Number(rel[1]) * UNIT_MS[rel[2]!]!);
  const s = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(s)) return undefined;
  // Date.parse reads a bare date-time as local time; the audit trail is UTC throughout.
  const withZone = /T|\s/.test(s) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(s) ? `${s.replace(' ', 'T')}Z` : s.replace(' ', 'T');
  const ms = Date.parse(withZone);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}
