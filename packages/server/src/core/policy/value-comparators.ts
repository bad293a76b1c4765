import type { Comparison } from './condition-operators.js';
import { cidrContains, parseCidr, parseIp } from './ip-address.js';
import { joinValue, type ResolvedValue } from './policy-variables.js';
import { arnMatch, globMatch } from './wildcard.js';

/**
 * The positive comparison of one request value against one policy value; negation, set
 * qualifiers and missing keys are handled by the caller. A value that cannot be read as the
 * operator's type (a non-number for Numeric*, a non-date for Date*) never matches.
 */
export function compareValue(comparison: Comparison, contextValue: string, policyValue: ResolvedValue): boolean {
  switch (comparison) {
    case 'string-equals':
      return contextValue === joinValue(policyValue);
    case 'string-equals-ignore-case':
      return contextValue.toLowerCase() === joinValue(policyValue).toLowerCase();
    case 'string-like':
      return globMatch(policyValue, contextValue, false);
    case 'numeric-eq':
    case 'numeric-lt':
    case 'numeric-lte':
    case 'numeric-gt':
    case 'numeric-gte':
      return ordered(comparison, parseNumber(contextValue), parseNumber(joinValue(policyValue)));
    case 'date-eq':
    case 'date-lt':
    case 'date-lte':
    case 'date-gt':
    case 'date-gte':
      return ordered(comparison, parseDate(contextValue), parseDate(joinValue(policyValue)));
    case 'bool': {
      const a = contextValue.toLowerCase();
      return (a === 'true' || a === 'false') && a === joinValue(policyValue).toLowerCase();
    }
    case 'binary': {
      const a = decodeBase64(contextValue);
      const b = decodeBase64(joinValue(policyValue));
      return a !== undefined && b !== undefined && a.equals(b);
    }
    case 'ip': {
      const block = parseCidr(joinValue(policyValue));
      const ip = parseIp(contextValue);
      return block !== undefined && ip !== undefined && cidrContains(block, ip);
    }
    case 'arn':
      return arnMatch(policyValue, contextValue);
    case 'null':
      return false; // handled by the condition evaluator: Null tests presence, not values
  }
}

function ordered(comparison: Comparison, a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (comparison.endsWith('-eq')) return a === b;
  if (comparison.endsWith('-lte')) return a <= b;
  if (comparison.endsWith('-lt')) return a < b;
  if (comparison.endsWith('-gte')) return a >= b;
  return a > b;
}

export function parseNumber(s: string): number | undefined {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch. Accepts epoch seconds ("1704067200", aws:EpochTime) or ISO 8601
 * (W3C profile, as IAM's date condition operators document). A time without an offset is UTC. */
export function parseDate(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const m = ISO_DATE.exec(s);
  if (!m) return undefined;
  const [, date, time, offset] = m;
  let iso = date!;
  if (time !== undefined) {
    // Trim fractional digits beyond milliseconds: Date.parse rejects more than three on some engines.
    const t = time.replace(/(\.\d{3})\d+$/, '$1');
    let o = offset ?? 'Z';
    if (o !== 'Z' && !o.includes(':')) o = `${o.slice(0, 3)}:${o.slice(3)}`;
    iso += `T${t.length === 5 ? `${t}:00` : t}${o}`;
  }
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

function decodeBase64(s: string): Buffer | undefined {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  return Buffer.from(s, 'base64');
}
