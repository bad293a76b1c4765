import { validationError, type ServiceError } from './service-error.js';

/**
 * Input constraints in the form of the botocore model, checked by one function that produces
 * AWS's Coral phrasing (service-spec §0): "1 validation error detected: Value '43200' at
 * 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal
 * to 3600". Routes declare tables of these instead of hand-writing messages.
 */
export interface Constraint {
  member: string;
  required?: boolean;
  type?: 'string' | 'integer' | 'boolean' | 'list' | 'object';
  min?: number; // length for strings/lists, value for integers
  max?: number;
  pattern?: RegExp; // full-match
  patternText?: string; // as the model spells it
  enum?: readonly string[];
}

function describe(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function violation(c: Constraint, value: unknown): string | undefined {
  if (value === undefined || value === null) return c.required ? 'Member must not be null' : undefined;
  switch (c.type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'Member must be an integer';
      if (c.min !== undefined && value < c.min) return `Member must have value greater than or equal to ${c.min}`;
      if (c.max !== undefined && value > c.max) return `Member must have value less than or equal to ${c.max}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'Member must be a boolean';
    case 'list':
      if (!Array.isArray(value)) return 'Member must be a list';
      if (c.min !== undefined && value.length < c.min) return `Member must have length greater than or equal to ${c.min}`;
      if (c.max !== undefined && value.length > c.max) return `Member must have length less than or equal to ${c.max}`;
      return undefined;
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? undefined : 'Member must be a structure';
    default: {
      if (typeof value !== 'string') return 'Member must be a string';
      if (c.min !== undefined && value.length < c.min) return `Member must have length greater than or equal to ${c.min}`;
      if (c.max !== undefined && value.length > c.max) return `Member must have length less than or equal to ${c.max}`;
      if (c.enum && !c.enum.includes(value)) return `Member must satisfy enum value set: [${c.enum.join(', ')}]`;
      if (c.pattern && !c.pattern.test(value))
        return `Member must satisfy regular expression pattern: ${c.patternText ?? c.pattern.source}`;
      return undefined;
    }
  }
}

/** Every violation in one message, as Coral reports them; undefined when the input is valid. */
export function checkConstraints(input: Record<string, unknown>, constraints: readonly Constraint[]): ServiceError | undefined {
  const found: string[] = [];
  for (const c of constraints) {
    const value = input[c.member];
    const v = violation(c, value);
    if (v) found.push(`Value '${describe(value)}' at '${c.member}' failed to satisfy constraint: ${v}`);
  }
  if (found.length === 0) return undefined;
  const n = found.length;
  return validationError(`${n} validation error${n === 1 ? '' : 's'} detected: ${found.join('; ')}`);
}

/** Full-match patterns from the botocore rolesanywhere model (service-spec §1). */
export const PATTERNS = {
  resourceName: { re: /^[ a-zA-Z0-9\-_]*$/, text: '[ a-zA-Z0-9-_]*' },
  uuid: { re: /^[a-f0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}$/, text: '[a-f0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}' },
  trustAnchorArn: { re: /^arn:aws(-[^:]+)?:rolesanywhere(:.*){2}(:trust-anchor.*)$/, text: '^arn:aws(-[^:]+)?:rolesanywhere(:.*){2}(:trust-anchor.*)$' },
  profileArn: { re: /^arn:aws(-[^:]+)?:rolesanywhere(:.*){2}(:profile.*)$/, text: '^arn:aws(-[^:]+)?:rolesanywhere(:.*){2}(:profile.*)$' },
  roleArn: { re: /^arn:aws(-[^:]+)?:iam(:.*){2}(:role.*)$/, text: '^arn:aws(-[^:]+)?:iam(:.*){2}(:role.*)$' },
  tagKey: { re: /^[ a-zA-Z0-9_.:/=+@-]*$/, text: '[ a-zA-Z0-9_.:/=+@-]*' },
  // STS RoleSessionName (service-spec §4.5)
  roleSessionName: { re: /^[\w+=,.@-]*$/, text: '[\\w+=,.@-]*' },
} as const;
