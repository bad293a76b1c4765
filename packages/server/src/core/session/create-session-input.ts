import { checkConstraints, PATTERNS, type Constraint } from '../errors/constraints.js';
import { validationError } from '../errors/service-error.js';

export interface CreateSessionParams {
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  durationSeconds?: number;
  roleSessionName?: string;
  /** Instance properties the workload reports (service-spec §3.5 InstanceProperty.properties). */
  instanceProperties?: Record<string, string>;
}

const ARN_NAMES = ['profileArn', 'roleArn', 'trustAnchorArn'] as const;

/** The CreateSession input constraints (service-spec §4.1), built once rather than per request. */
const RULES: readonly Constraint[] = [
  { member: 'profileArn', required: true, min: 1, max: 1011, pattern: PATTERNS.profileArn.re, patternText: PATTERNS.profileArn.text },
  { member: 'roleArn', required: true, min: 1, max: 1011, pattern: PATTERNS.roleArn.re, patternText: PATTERNS.roleArn.text },
  { member: 'trustAnchorArn', required: true, min: 1, max: 1011, pattern: PATTERNS.trustAnchorArn.re, patternText: PATTERNS.trustAnchorArn.text },
  { member: 'durationSeconds', type: 'integer', min: 900, max: 43200 },
  { member: 'roleSessionName', min: 2, max: 64, pattern: PATTERNS.roleSessionName.re, patternText: PATTERNS.roleSessionName.text },
  { member: 'instanceProperties', type: 'object' },
];

/**
 * Step 1 of the pipeline (service-spec §4.1, §4.4): the three ARNs may arrive in the query
 * string (Go helper) or the JSON body (Java plugin); both placements are accepted, and when both
 * carry a value they must agree (our documented choice for §14.14).
 */
export function parseCreateSessionInput(rawQuery: string, body: Buffer): CreateSessionParams {
  let json: Record<string, unknown> = {};
  if (body.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw validationError('Request body is not valid JSON', 'malformed-body');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw validationError('Request body must be a JSON object', 'malformed-body');
    json = parsed as Record<string, unknown>;
  }
  const query = new URLSearchParams(rawQuery);
  const merged: Record<string, unknown> = {};
  for (const name of ARN_NAMES) {
    const fromQuery = query.getAll(name);
    if (fromQuery.length > 1) throw validationError(`Duplicate query parameter ${name}`, 'duplicate-parameter');
    const q = fromQuery[0];
    const b = json[name];
    if (q !== undefined && b !== undefined && q !== b)
      throw validationError(`${name} in the query string and in the request body differ`, 'conflicting-parameter');
    merged[name] = q ?? b;
  }
  merged.durationSeconds = json.durationSeconds;
  merged.roleSessionName = json.roleSessionName;
  merged.instanceProperties = json.instanceProperties;
  const invalid = checkConstraints(merged, RULES) ?? checkInstanceProperties(merged.instanceProperties);
  if (invalid) throw invalid;
  const out: CreateSessionParams = {
    trustAnchorArn: merged.trustAnchorArn as string,
    profileArn: merged.profileArn as string,
    roleArn: merged.roleArn as string,
  };
  if (merged.durationSeconds !== undefined) out.durationSeconds = merged.durationSeconds as number;
  if (merged.roleSessionName !== undefined) out.roleSessionName = merged.roleSessionName as string;
  if (merged.instanceProperties !== undefined && merged.instanceProperties !== null)
    out.instanceProperties = merged.instanceProperties as Record<string, string>;
  return out;
}

/** InstancePropertyMap of the model: 0..50 entries, keys and values 1..200 characters. */
function checkInstanceProperties(raw: unknown) {
  if (raw === undefined || raw === null) return undefined;
  const entries = Object.entries(raw as Record<string, unknown>);
  const values: Record<string, unknown> = { instanceProperties: entries };
  const rules: Constraint[] = [{ member: 'instanceProperties', type: 'list', max: 50 }];
  for (const [k, v] of entries) {
    values[`instanceProperties.${k}.key`] = k;
    values[`instanceProperties.${k}.value`] = v;
    rules.push({ member: `instanceProperties.${k}.key`, required: true, min: 1, max: 200 });
    rules.push({ member: `instanceProperties.${k}.value`, required: true, min: 1, max: 200 });
  }
  return checkConstraints(values, rules);
}
