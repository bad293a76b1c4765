import assert from 'node:assert/strict';
import {
  evaluatePolicies,
  parsePolicyDocument,
  type ContextValue,
  type EvaluationRequest,
  type PolicyDocument,
  type PolicyKind,
} from '../../src/core/policy/index.js';

export function parseOk(doc: unknown, kind: PolicyKind = 'identity'): PolicyDocument {
  const r = parsePolicyDocument(typeof doc === 'string' ? doc : JSON.stringify(doc), kind);
  if (!r.ok) assert.fail(`expected the policy to parse, got: ${r.message}`);
  return r.policy;
}

/** One identity policy, Allow * on *, with a single condition entry. */
export function conditionHolds(
  operator: string,
  key: string,
  values: unknown,
  context: Record<string, ContextValue>,
  version: '2012-10-17' | '2008-10-17' = '2012-10-17',
): boolean {
  const policy = parseOk({
    Version: version,
    Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { [operator]: { [key]: values } } },
  });
  const r = evaluatePolicies([policy], { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context });
  return r.decision === 'allow';
}

export function decide(docs: unknown[], request: Partial<EvaluationRequest>, kind: PolicyKind = 'identity'): string {
  const policies = docs.map((d) => parseOk(d, kind));
  return evaluatePolicies(policies, {
    action: 'sts:AssumeRole',
    resource: 'arn:aws:iam::123456789012:role/r',
    context: {},
    ...request,
  }).decision;
}
