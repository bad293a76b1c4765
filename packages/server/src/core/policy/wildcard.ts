import type { ResolvedValue } from './policy-variables.js';

/**
 * Glob matching for Action, Resource, StringLike and ArnLike: `*` any sequence (including empty),
 * `?` exactly one character (IAM JSON policy reference). Matching works on code points with a
 * linear-backtracking two-pointer algorithm, so hostile patterns cannot cause regex blow-ups.
 */
const STAR = 0;
const ANY = 1;
type PatternChar = string | typeof STAR | typeof ANY;
export type Pattern = PatternChar[];

export function compilePattern(value: ResolvedValue, ignoreCase: boolean): Pattern {
  const out: Pattern = [];
  for (const part of value) {
    for (const ch of part.text) {
      if (!part.literal && ch === '*') out.push(STAR);
      else if (!part.literal && ch === '?') out.push(ANY);
      else out.push(ignoreCase ? ch.toLowerCase() : ch);
    }
  }
  return out;
}

export function matchPattern(pattern: Pattern, subject: string, ignoreCase: boolean): boolean {
  const chars = Array.from(subject, (ch) => (ignoreCase ? ch.toLowerCase() : ch));
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < chars.length) {
    const pc = pattern[p];
    if (pc !== undefined && pc !== STAR && (pc === ANY || pc === chars[s])) {
      p++;
      s++;
    } else if (pc === STAR) {
      starP = p++;
      starS = s;
    } else if (starP >= 0) {
      p = starP + 1;
      s = ++starS;
    } else {
      return false;
    }
  }
  while (pattern[p] === STAR) p++;
  return p === pattern.length;
}

export function globMatch(value: ResolvedValue, subject: string, ignoreCase: boolean): boolean {
  return matchPattern(compilePattern(value, ignoreCase), subject, ignoreCase);
}

/** Splits an ARN into its six parts; the resource part keeps any further colons. */
function splitArn(s: string): string[] | undefined {
  const parts: string[] = [];
  let rest = s;
  for (let i = 0; i < 5; i++) {
    const at = rest.indexOf(':');
    if (at < 0) return undefined;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

/**
 * ArnEquals/ArnLike: "Each of the six colon-delimited components of the ARN is checked separately
 * and each can include multi-character match wildcards (*) or single-character match wildcards (?)"
 * (IAM condition operators, ARN condition operators). Case-sensitive.
 */
export function arnMatch(value: ResolvedValue, subject: string): boolean {
  const subjectParts = splitArn(subject);
  if (!subjectParts || subjectParts[0] !== 'arn') return false;
  // Split the policy value on ':' inside its parts, keeping each piece's literal flag.
  const segments: ResolvedValue[] = [[]];
  for (const part of value) {
    const pieces = part.text.split(':');
    pieces.forEach((piece, idx) => {
      if (idx > 0) {
        if (segments.length < 6) segments.push([]);
        else segments[5]!.push({ text: ':', literal: true });
      }
      segments[segments.length - 1]!.push({ text: piece, literal: part.literal });
    });
  }
  if (segments.length !== 6) return false;
  return segments.every((segment, idx) => globMatch(segment, subjectParts[idx]!, false));
}
