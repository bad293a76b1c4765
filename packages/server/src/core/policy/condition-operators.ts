/**
 * The condition operator table (IAM JSON policy reference, "Condition operators").
 * An operator name is `[ForAnyValue:|ForAllValues:]<Base>[IfExists]`; names are matched
 * case-insensitively (documented leniency: real IAM policies are written in the canonical case).
 */

export type Comparison =
  | 'string-equals'
  | 'string-equals-ignore-case'
  | 'string-like'
  | 'numeric-eq'
  | 'numeric-lt'
  | 'numeric-lte'
  | 'numeric-gt'
  | 'numeric-gte'
  | 'date-eq'
  | 'date-lt'
  | 'date-lte'
  | 'date-gt'
  | 'date-gte'
  | 'bool'
  | 'binary'
  | 'ip'
  | 'arn'
  | 'null';

interface BaseOperator {
  name: string;
  comparison: Comparison;
  /** Negated operators are true when the key is absent and use NOR across policy values. */
  negated: boolean;
}

const BASE_OPERATORS: BaseOperator[] = [
  { name: 'StringEquals', comparison: 'string-equals', negated: false },
  { name: 'StringNotEquals', comparison: 'string-equals', negated: true },
  { name: 'StringEqualsIgnoreCase', comparison: 'string-equals-ignore-case', negated: false },
  { name: 'StringNotEqualsIgnoreCase', comparison: 'string-equals-ignore-case', negated: true },
  { name: 'StringLike', comparison: 'string-like', negated: false },
  { name: 'StringNotLike', comparison: 'string-like', negated: true },
  { name: 'NumericEquals', comparison: 'numeric-eq', negated: false },
  { name: 'NumericNotEquals', comparison: 'numeric-eq', negated: true },
  { name: 'NumericLessThan', comparison: 'numeric-lt', negated: false },
  { name: 'NumericLessThanEquals', comparison: 'numeric-lte', negated: false },
  { name: 'NumericGreaterThan', comparison: 'numeric-gt', negated: false },
  { name: 'NumericGreaterThanEquals', comparison: 'numeric-gte', negated: false },
  { name: 'DateEquals', comparison: 'date-eq', negated: false },
  { name: 'DateNotEquals', comparison: 'date-eq', negated: true },
  { name: 'DateLessThan', comparison: 'date-lt', negated: false },
  { name: 'DateLessThanEquals', comparison: 'date-lte', negated: false },
  { name: 'DateGreaterThan', comparison: 'date-gt', negated: false },
  { name: 'DateGreaterThanEquals', comparison: 'date-gte', negated: false },
  { name: 'Bool', comparison: 'bool', negated: false },
  { name: 'BinaryEquals', comparison: 'binary', negated: false },
  { name: 'IpAddress', comparison: 'ip', negated: false },
  { name: 'NotIpAddress', comparison: 'ip', negated: true },
  // IAM: ArnEquals and ArnLike behave identically (per-segment wildcard match).
  { name: 'ArnEquals', comparison: 'arn', negated: false },
  { name: 'ArnNotEquals', comparison: 'arn', negated: true },
  { name: 'ArnLike', comparison: 'arn', negated: false },
  { name: 'ArnNotLike', comparison: 'arn', negated: true },
  { name: 'Null', comparison: 'null', negated: false },
];

const BY_LOWER_NAME = new Map(BASE_OPERATORS.map((op) => [op.name.toLowerCase(), op]));

export type SetQualifier = 'none' | 'any' | 'all';

export interface ParsedOperator {
  comparison: Comparison;
  negated: boolean;
  set: SetQualifier;
  ifExists: boolean;
}

const cache = new Map<string, ParsedOperator | undefined>();

/** Returns undefined for an unknown or ill-formed operator (e.g. 'NullIfExists', 'ForAnyValue:Null'). */
export function parseOperator(written: string): ParsedOperator | undefined {
  if (cache.has(written)) return cache.get(written);
  const parsed = parseUncached(written);
  if (cache.size < 1000) cache.set(written, parsed);
  return parsed;
}

function parseUncached(written: string): ParsedOperator | undefined {
  let rest = written.toLowerCase();
  let set: SetQualifier = 'none';
  if (rest.startsWith('foranyvalue:')) {
    set = 'any';
    rest = rest.slice('foranyvalue:'.length);
  } else if (rest.startsWith('forallvalues:')) {
    set = 'all';
    rest = rest.slice('forallvalues:'.length);
  }
  let ifExists = false;
  let base = BY_LOWER_NAME.get(rest);
  if (!base && rest.endsWith('ifexists')) {
    ifExists = true;
    base = BY_LOWER_NAME.get(rest.slice(0, -'ifexists'.length));
  }
  if (!base) return undefined;
  // Null tests presence itself: neither IfExists nor a set qualifier makes sense on it.
  if (base.comparison === 'null' && (ifExists || set !== 'none')) return undefined;
  return { comparison: base.comparison, negated: base.negated, set, ifExists };
}
