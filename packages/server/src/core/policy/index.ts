export type {
  ConditionBlock,
  ContextValue,
  Decision,
  EvaluationRequest,
  EvaluationResult,
  MatchedStatement,
  ParsePolicyResult,
  PolicyDocument,
  PolicyKind,
  PolicyStatement,
  PrincipalBlock,
} from './policy-types.js';
export { parsePolicyDocument } from './parse-policy.js';
export { evaluatePolicies } from './evaluate-policies.js';
export { createContextLookup, type ContextLookup } from './request-context.js';
