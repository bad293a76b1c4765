/**
 * Public shapes of the IAM policy evaluator. The grammar follows the IAM JSON policy reference
 * ("Grammar of the IAM JSON policy language"); values that IAM accepts as string-or-array are
 * normalised to arrays by the parser.
 */

/** Keys: AWS, Service, Federated, CanonicalUser. `'*'` is the bare wildcard principal. */
export type PrincipalBlock = '*' | Record<string, string[]>;

/** One entry per (operator, key) pair, in document order. `operator` is kept as written,
 * e.g. 'ForAnyValue:StringLikeIfExists'. */
export type ConditionBlock = Array<{ operator: string; key: string; values: string[] }>;

export interface PolicyStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal?: PrincipalBlock;
  notPrincipal?: PrincipalBlock;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition?: ConditionBlock;
}

export interface PolicyDocument {
  /** Absent Version means 2008-10-17: policy variables are then plain text. */
  version: '2012-10-17' | '2008-10-17';
  id?: string;
  statements: PolicyStatement[];
}

/** identity: no Principal, Resource required. trust: Principal required, Resource prohibited.
 * resource: Principal required, Resource optional. */
export type PolicyKind = 'identity' | 'trust' | 'resource';

export type ParsePolicyResult = { ok: true; policy: PolicyDocument } | { ok: false; message: string };

export type ContextValue = string | string[];

export interface EvaluationRequest {
  /** For trust/resource policies, e.g. { type: 'Service', id: 'rolesanywhere.amazonaws.com' }. */
  principal?: { type: 'Service' | 'AWS' | 'Federated'; id: string };
  /** e.g. 'sts:AssumeRole' */
  action: string;
  /** ARN, e.g. the role ARN for trust policies. */
  resource: string;
  /** Condition keys; lookup is case-insensitive (IAM condition key names are case-insensitive). */
  context: Record<string, ContextValue>;
}

export type Decision = 'allow' | 'implicit-deny' | 'explicit-deny';

export interface MatchedStatement {
  policyIndex: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
}

export interface EvaluationResult {
  decision: Decision;
  matchedStatements: MatchedStatement[];
}
