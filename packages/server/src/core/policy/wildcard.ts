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

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Does `subject` match the pattern `value`? The common shapes — one part that is an exact name,
 * `*`, or a name followed by one trailing `*` (`sts:*`, `arn:aws:s3:::bucket/*`) — are answered
 * with a string comparison; every policy evaluation matches several actions and resources, and
 * compiling a pattern per call cost more than the rest of the match (issue [scale] hot path).
 * Case-insensitive comparison takes that shortcut only for ASCII, where lowercasing the whole
 * string equals lowercasing each code point; anything else goes through matchPattern.
 */
export function globMatch(value: ResolvedValue, subject: string, ignoreCase: boolean): boolean {
  if (value.length === 1) {
    const fast = simpleMatch(value[0]!, subject, ignoreCase);
    if (fast !== undefined) return fast;
  }
  return matchPattern(compilePattern(value, ignoreCase), subject, ignoreCase);
}

/** The string-comparison answer for a single-part pattern, or undefined when it needs matchPattern. */
function simpleMatch(part: { text: string; literal: boolean }, subject: string, ignoreCase: boolean): boolean | undefined {
  let text = part.text;
  if (ignoreCase) {
    if (!ASCII.test(text) || !ASCII.test(subject)) return undefined;
    text = text.toLowerCase();
    subject = subject.toLowerCase();
  }
  if (part.literal) return text === subject;
  const star = text.indexOf('*');
  if (text.includes('?')) return undefined;
  if (star < 0) return text === subject;
  if (star !== text.length - 1) return undefined;
  const prefix = text.slice(0, -1);
  // A prefix ending in a lone high surrogate would match half of a subject's code point.
  const last = prefix.charCodeAt(prefix.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) return undefined;
  return subject.startsWith(prefix);
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
