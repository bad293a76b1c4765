import type { ContextLookup } from './request-context.js';

/**
 * Policy variables (IAM JSON policy reference, "Policy variables and tags"): `${key}`,
 * `${key, 'default'}`, and the escapes `${*}`, `${?}`, `${$}`. Only Version 2012-10-17 policies
 * substitute; 2008-10-17 treats `${...}` as plain text.
 *
 * A resolved value is a list of parts. Parts that came from the policy text keep their wildcard
 * meaning in StringLike/ArnLike/Resource; parts that came from a variable or escape are literal,
 * so `${*}` is a literal asterisk and a tag value containing `*` cannot widen a match.
 */
export interface ValuePart {
  text: string;
  literal: boolean;
}
export type ResolvedValue = ValuePart[];

/** undefined = an unresolved variable without default, or malformed `${` syntax: the value then
 * matches nothing (IAM: "the policy variable ... does not match"). Single round, no recursion. */
export function resolveVariables(
  value: string,
  lookup: ContextLookup,
  substitute: boolean,
): ResolvedValue | undefined {
  if (!substitute || !value.includes('${')) return [{ text: value, literal: false }];
  const parts: ResolvedValue = [];
  let i = 0;
  let plainStart = 0;
  while (i < value.length) {
    if (value[i] !== '$' || value[i + 1] !== '{') {
      i++;
      continue;
    }
    if (i > plainStart) parts.push({ text: value.slice(plainStart, i), literal: false });
    const parsed = parseVariable(value, i + 2);
    if (!parsed) return undefined;
    const text = substituteVariable(parsed.key, parsed.defaultValue, lookup);
    if (text === undefined) return undefined;
    parts.push({ text, literal: true });
    i = parsed.end;
    plainStart = i;
  }
  if (plainStart < value.length) parts.push({ text: value.slice(plainStart), literal: false });
  return parts;
}

export function joinValue(value: ResolvedValue): string {
  return value.map((p) => p.text).join('');
}

const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

function substituteVariable(key: string, defaultValue: string | undefined, lookup: ContextLookup): string | undefined {
  const escaped = ESCAPES[key];
  if (escaped !== undefined) return escaped;
  const values = lookup.get(key);
  // Multi-valued keys cannot be used as variables (IAM: "policy variables with no value").
  if (values && values.length === 1) return values[0];
  return defaultValue;
}

/** Parses `key}` or `key, 'default'}` starting at `start`; `''` inside the default is a quote. */
function parseVariable(s: string, start: number): { key: string; defaultValue?: string; end: number } | undefined {
  let i = start;
  while (i < s.length && s[i] !== '}' && s[i] !== ',') i++;
  if (i >= s.length) return undefined;
  const key = s.slice(start, i).trim();
  if (key === '' || /\s/.test(key)) return undefined;
  if (s[i] === '}') return { key, end: i + 1 };
  i++; // past ','
  while (s[i] === ' ') i++;
  if (s[i] !== "'") return undefined;
  i++;
  let def = '';
  for (;;) {
    if (i >= s.length) return undefined;
    if (s[i] === "'") {
      if (s[i + 1] === "'") {
        def += "'";
        i += 2;
        continue;
      }
      i++;
      break;
    }
    def += s[i];
    i++;
  }
  while (s[i] === ' ') i++;
  if (s[i] !== '}') return undefined;
  return { key, defaultValue: def, end: i + 1 };
}
