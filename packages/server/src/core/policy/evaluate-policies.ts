import { statementMatches } from './match-statement.js';
import type { EvaluationRequest, EvaluationResult, MatchedStatement, PolicyDocument } from './policy-types.js';
import { createContextLookup, type ContextLookup } from './request-context.js';

/**
 * Single-account union of the given policies (IAM "Policy evaluation logic"): any matching Deny
 * is an explicit deny; otherwise any matching Allow allows; otherwise the request is implicitly
 * denied. Callers that need an intersection (identity ∩ session policy ∩ boundary) call this once
 * per policy set and combine the decisions. Every statement is checked so the result lists all
 * matches, which keeps audit output complete. A caller evaluating several actions against one
 * context passes its `createContextLookup(request.context)` once instead of rebuilding it per call.
 */
export function evaluatePolicies(
  policies: PolicyDocument[],
  request: EvaluationRequest,
  lookup: ContextLookup = createContextLookup(request.context),
): EvaluationResult {
  const matchedStatements: MatchedStatement[] = [];
  policies.forEach((policy, policyIndex) => {
    // Policy variables are substituted only in 2012-10-17 documents (IAM JSON policy reference, Version).
    const substitute = policy.version === '2012-10-17';
    for (const statement of policy.statements) {
      if (!statementMatches(statement, request, lookup, substitute)) continue;
      matchedStatements.push(
        statement.sid === undefined
          ? { policyIndex, effect: statement.effect }
          : { policyIndex, sid: statement.sid, effect: statement.effect },
      );
    }
  });
  const decision = matchedStatements.some((m) => m.effect === 'Deny')
    ? 'explicit-deny'
    : matchedStatements.some((m) => m.effect === 'Allow')
      ? 'allow'
      : 'implicit-deny';
  return { decision, matchedStatements };
}
