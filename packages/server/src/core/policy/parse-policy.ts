import { parseOperator } from './condition-operators.js';
import type {
  ConditionBlock,
  ParsePolicyResult,
  PolicyDocument,
  PolicyKind,
  PolicyStatement,
  PrincipalBlock,
} from './policy-types.js';

/**
 * Parses IAM policy JSON (IAM JSON policy reference, "Grammar of the IAM JSON policy language") into
 * a normalised PolicyDocument. Errors use IAM's MalformedPolicyDocument wording so callers can return
 * them unchanged. Size limits are the caller's job. Element names are case-sensitive, as in IAM.
 */
export function parsePolicyDocument(text: string, kind: PolicyKind): ParsePolicyResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail(SYNTAX);
  }
  if (!isObject(raw)) return fail(SYNTAX);
  try {
    return { ok: true, policy: parseDocument(raw, kind) };
  } catch (err) {
    if (err instanceof PolicyError) return fail(err.message);
    throw err;
  }
}

const SYNTAX = 'Syntax errors in policy.';
const VENDOR = 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
const DOCUMENT_FIELDS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_FIELDS = new Set([
  'Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition',
]);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

class PolicyError extends Error {}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(obj, key);
}

function parseDocument(raw: Record<string, unknown>, kind: PolicyKind): PolicyDocument {
  for (const key of Object.keys(raw)) if (!DOCUMENT_FIELDS.has(key)) throw new PolicyError(`Unknown field ${key}`);
  let version: PolicyDocument['version'] = '2008-10-17';
  if (has(raw, 'Version')) {
    if (raw['Version'] !== '2012-10-17' && raw['Version'] !== '2008-10-17') {
      throw new PolicyError('The policy must contain a valid version string');
    }
    version = raw['Version'];
  }
  const doc: PolicyDocument = { version, statements: [] };
  if (has(raw, 'Id')) {
    if (typeof raw['Id'] !== 'string') throw new PolicyError(SYNTAX);
    doc.id = raw['Id'];
  }
  if (!has(raw, 'Statement')) throw new PolicyError('Missing required field Statement');
  const statements = raw['Statement'];
  const list = Array.isArray(statements) ? statements : [statements];
  for (const s of list) {
    if (!isObject(s)) throw new PolicyError(SYNTAX);
    doc.statements.push(parseStatement(s, kind));
  }
  return doc;
}

function parseStatement(raw: Record<string, unknown>, kind: PolicyKind): PolicyStatement {
  for (const key of Object.keys(raw)) if (!STATEMENT_FIELDS.has(key)) throw new PolicyError(`Unknown field ${key}`);

  if (!has(raw, 'Effect')) throw new PolicyError('Missing required field Effect');
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw new PolicyError(`Invalid effect: ${typeof effect === 'string' ? effect : JSON.stringify(effect)}`);
  }
  const statement: PolicyStatement = { effect };
  if (has(raw, 'Sid')) {
    if (typeof raw['Sid'] !== 'string') throw new PolicyError(SYNTAX);
    statement.sid = raw['Sid'];
  }

  // Principal / NotPrincipal: forbidden in identity policies, required in trust and resource policies.
  const hasPrincipal = has(raw, 'Principal');
  const hasNotPrincipal = has(raw, 'NotPrincipal');
  if (hasPrincipal && hasNotPrincipal) throw new PolicyError(SYNTAX);
  if (kind === 'identity' && (hasPrincipal || hasNotPrincipal)) {
    throw new PolicyError('Policy document should not specify a principal.');
  }
  if (kind !== 'identity' && !hasPrincipal && !hasNotPrincipal) throw new PolicyError('Missing required field Principal');
  if (hasPrincipal) statement.principal = parsePrincipal(raw['Principal']);
  if (hasNotPrincipal) statement.notPrincipal = parsePrincipal(raw['NotPrincipal']);

  // Action / NotAction: exactly one, each "*" or "vendor:pattern".
  if (has(raw, 'Action') && has(raw, 'NotAction')) throw new PolicyError(SYNTAX);
  const actionKey = has(raw, 'Action') ? 'Action' : has(raw, 'NotAction') ? 'NotAction' : undefined;
  if (!actionKey) throw new PolicyError('Policy statement must contain actions.');
  const actions = stringList(raw[actionKey]);
  if (actions.length === 0) throw new PolicyError('Policy statement must contain actions.');
  for (const a of actions) if (a !== '*' && !/^[^:*?]+:.+$/.test(a)) throw new PolicyError(VENDOR);
  if (actionKey === 'Action') statement.action = actions;
  else statement.notAction = actions;

  // Resource / NotResource: required in identity policies, prohibited in trust policies
  // (the resource of a trust policy is the role itself).
  if (has(raw, 'Resource') && has(raw, 'NotResource')) throw new PolicyError(SYNTAX);
  const resourceKey = has(raw, 'Resource') ? 'Resource' : has(raw, 'NotResource') ? 'NotResource' : undefined;
  if (kind === 'trust' && resourceKey) throw new PolicyError(`Has prohibited field ${resourceKey}`);
  if (kind === 'identity' && !resourceKey) throw new PolicyError('Policy statement must contain resources.');
  if (resourceKey) {
    const resources = stringList(raw[resourceKey]);
    if (resources.length === 0) throw new PolicyError('Policy statement must contain resources.');
    for (const r of resources) {
      if (r !== '*' && !r.startsWith('arn:')) throw new PolicyError(`Resource ${r} must be in ARN format or "*".`);
    }
    if (resourceKey === 'Resource') statement.resource = resources;
    else statement.notResource = resources;
  }

  if (has(raw, 'Condition')) statement.condition = parseCondition(raw['Condition']);
  return statement;
}

/** A string or an array of strings (IAM grammar: <value> = string | [string, ...]). */
function stringList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new PolicyError(SYNTAX);
}

function parsePrincipal(v: unknown): PrincipalBlock {
  if (v === '*') return '*';
  if (typeof v === 'string') throw new PolicyError(`Invalid principal in policy: "${v}"`);
  if (!isObject(v) || Object.keys(v).length === 0) throw new PolicyError(SYNTAX);
  const block: Record<string, string[]> = {};
  for (const [type, value] of Object.entries(v)) {
    const values = stringList(value);
    const invalid = (bad: string | undefined) => new PolicyError(`Invalid principal in policy: "${type}":"${bad ?? ''}"`);
    if (!PRINCIPAL_TYPES.has(type)) throw invalid(values[0]);
    if (values.length === 0) throw invalid('');
    for (const id of values) {
      if (id === '') throw invalid(id);
      // AWS principals are "*", a 12-digit account id, or an ARN.
      if (type === 'AWS' && id !== '*' && !/^\d{12}$/.test(id) && !id.startsWith('arn:')) throw invalid(id);
    }
    block[type] = values;
  }
  return block;
}

function parseCondition(v: unknown): ConditionBlock {
  if (!isObject(v)) throw new PolicyError(SYNTAX);
  const block: ConditionBlock = [];
  for (const [operator, keys] of Object.entries(v)) {
    if (!parseOperator(operator)) throw new PolicyError(`Invalid Condition type : ${operator}`);
    if (!isObject(keys)) throw new PolicyError(SYNTAX);
    for (const [key, values] of Object.entries(keys)) {
      if (!/^[^:]+:.+$/.test(key)) throw new PolicyError(VENDOR);
      block.push({ operator, key, values: conditionValues(values) });
    }
  }
  return block;
}

/** Condition values may be JSON strings, numbers or booleans (e.g. "Bool": {"aws:SecureTransport": true}). */
function conditionValues(v: unknown): string[] {
  const one = (x: unknown): string => {
    if (typeof x === 'string') return x;
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    throw new PolicyError(SYNTAX);
  };
  return Array.isArray(v) ? v.map(one) : [one(v)];
}
