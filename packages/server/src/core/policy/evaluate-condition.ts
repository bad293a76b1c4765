import { parseOperator } from './condition-operators.js';
import type { ConditionBlock } from './policy-types.js';
import { resolveVariables, type ResolvedValue } from './policy-variables.js';
import type { ContextLookup } from './request-context.js';
import { compareValue } from './value-comparators.js';

/**
 * Evaluates a Condition block: every (operator, key) entry must hold (AND); within one entry the
 * policy values are OR-ed for positive operators and NOR-ed for negated ones (IAM JSON policy
 * reference, "Evaluation logic for conditions with multiple context keys or values").
 */
export function evaluateConditionBlock(block: ConditionBlock, lookup: ContextLookup, substitute: boolean): boolean {
  return block.every((entry) => evaluateEntry(entry, lookup, substitute));
}

function evaluateEntry(
  entry: { operator: string; key: string; values: string[] },
  lookup: ContextLookup,
  substitute: boolean,
): boolean {
  const op = parseOperator(entry.operator);
  if (!op) return false; // fail closed; parsePolicyDocument already rejects unknown operators
  const contextValues = lookup.get(entry.key);
  // An empty multi-valued key counts as absent (IAM treats an empty set like a missing key).
  const absent = contextValues === undefined || contextValues.length === 0;

  if (op.comparison === 'null') {
    // Null: "true" => the key must be absent, "false" => it must be present. No variables here.
    return entry.values.some((v) => {
      const want = v.toLowerCase();
      return want === 'true' ? absent : want === 'false' ? !absent : false;
    });
  }

  // Missing keys (IAM condition operators, "Condition keys not present"): ForAllValues is
  // vacuously true; ...IfExists makes absence true; otherwise positive operators are false and
  // negated operators (StringNotEquals, NotIpAddress, ...) are true.
  if (absent) {
    if (op.set === 'all') return true;
    if (op.ifExists) return true;
    if (op.set === 'any') return false;
    return op.negated;
  }

  // An unresolved policy variable without default drops that value: it can match nothing.
  const policyValues: ResolvedValue[] = [];
  for (const raw of entry.values) {
    const resolved = resolveVariables(raw, lookup, substitute);
    if (resolved) policyValues.push(resolved);
  }

  const satisfies = (contextValue: string): boolean => {
    const hit = policyValues.some((pv) => compareValue(op.comparison, contextValue, pv));
    return op.negated ? !hit : hit;
  };
  // Without a set qualifier a multi-valued key behaves like ForAnyValue (documented choice);
  // a single-valued key is a one-element set, so both readings agree there.
  return op.set === 'all' ? contextValues.every(satisfies) : contextValues.some(satisfies);
}
