import { evaluateConditionBlock } from './evaluate-condition.js';
import type { EvaluationRequest, PolicyStatement, PrincipalBlock } from './policy-types.js';
import { resolveVariables } from './policy-variables.js';
import type { ContextLookup } from './request-context.js';
import { globMatch } from './wildcard.js';

/** Does this statement apply to the request? (principal, action, resource and condition all match) */
export function statementMatches(
  statement: PolicyStatement,
  request: EvaluationRequest,
  lookup: ContextLookup,
  substitute: boolean,
): boolean {
  if (statement.principal && !principalMatches(statement.principal, request.principal)) return false;
  if (statement.notPrincipal && principalMatches(statement.notPrincipal, request.principal)) return false;
  if (statement.action && !statement.action.some((a) => actionMatches(a, request.action))) return false;
  if (statement.notAction && statement.notAction.some((a) => actionMatches(a, request.action))) return false;
  if (statement.resource && !statement.resource.some((r) => resourceMatches(r, request.resource, lookup, substitute)))
    return false;
  if (statement.notResource && statement.notResource.some((r) => resourceMatches(r, request.resource, lookup, substitute)))
    return false;
  return !statement.condition || evaluateConditionBlock(statement.condition, lookup, substitute);
}

/** Actions: "*" / "?" wildcards, case-insensitive service prefix and name (IAM JSON policy reference, Action). */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatch([{ text: pattern, literal: false }], action, true);
}

/** Resources: case-sensitive wildcard match; policy variables allowed (2012-10-17 only).
 * An unresolved variable makes this entry match nothing. */
export function resourceMatches(pattern: string, resource: string, lookup: ContextLookup, substitute: boolean): boolean {
  const resolved = resolveVariables(pattern, lookup, substitute);
  return resolved !== undefined && globMatch(resolved, resource, false);
}

/**
 * Principal element (IAM JSON policy reference, "AWS JSON policy elements: Principal"):
 * - "*" matches everyone, including anonymous callers and service principals;
 * - {"AWS": "*"} matches any AWS principal (IAM: "any root user, IAM user, assumed-role session, or
 *   federated user"), not service principals or anonymous callers;
 * - {"AWS": "123456789012"} or {"AWS": "arn:<p>:iam::123456789012:root"} matches every AWS principal
 *   of that account; any other AWS ARN must match exactly;
 * - {"Service": ...} matches a service principal, case-insensitively; {"Federated": ...} exactly.
 */
export function principalMatches(block: PrincipalBlock, principal: EvaluationRequest['principal']): boolean {
  if (block === '*') return true;
  if (!principal) return false;
  if (principal.type === 'Service') {
    const id = principal.id.toLowerCase();
    return (block['Service'] ?? []).some((s) => s.toLowerCase() === id);
  }
  if (principal.type === 'Federated') return (block['Federated'] ?? []).includes(principal.id);
  return (block['AWS'] ?? []).some((v) => awsPrincipalMatches(v, principal.id));
}

function awsPrincipalMatches(value: string, id: string): boolean {
  if (value === '*') return true;
  const account = accountOf(value, true);
  if (account !== undefined) return accountOf(id, false) === account && samePartition(value, id);
  return value === id;
}

/** The account a principal value names. For policy values only the account id and the
 * `:root` ARN stand for a whole account; request ids may be any ARN in the account. */
function accountOf(value: string, onlyWholeAccount: boolean): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  const m = /^arn:[^:]+:(?:iam|sts)::(\d{12}):(.*)$/.exec(value);
  if (!m) return undefined;
  if (onlyWholeAccount && m[2] !== 'root') return undefined;
  return m[1];
}

/** A bare account id carries no partition and matches any. */
function samePartition(a: string, b: string): boolean {
  const pa = /^arn:([^:]+):/.exec(a)?.[1];
  const pb = /^arn:([^:]+):/.exec(b)?.[1];
  return pa === undefined || pb === undefined || pa === pb;
}
