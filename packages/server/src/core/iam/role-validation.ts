import type { Tag } from './role.js';
import { InvalidInputError, ValidationError, type Violation } from './iam-errors.js';

/**
 * Member constraints from the botocore IAM model (iam/2010-05-08/service-2.json): the
 * `pattern`, `min`/`max` of roleNameType, pathType, roleDescriptionType, policyDocumentType,
 * policyNameType, tagKeyType, tagValueType, pathPrefixType, markerType, maxItemsType and
 * roleMaxSessionDurationType. Constraint strings are printed as AWS prints them.
 */
interface StringRule {
  min: number;
  max: number;
  /** Printed in the message exactly as in the model. */
  pattern: string;
  re: RegExp;
}

export const ROLE_NAME: StringRule = { min: 1, max: 64, pattern: '[\\w+=,.@-]+', re: /^[\w+=,.@-]+$/ };
export const POLICY_NAME: StringRule = { min: 1, max: 128, pattern: '[\\w+=,.@-]+', re: /^[\w+=,.@-]+$/ };
export const PATH: StringRule = {
  min: 1,
  max: 512,
  pattern: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
  re: /^(?:\/|\/[\x21-\x7E]+\/)$/,
};
export const PATH_PREFIX: StringRule = { min: 1, max: 512, pattern: '\\u002F[\\u0021-\\u007F]*', re: /^\/[\x21-\x7F]*$/ };
export const DESCRIPTION: StringRule = {
  min: 0,
  max: 1000,
  pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*',
  re: /^[\t\n\r\x20-\x7E\xA1-\xFF]*$/,
};
export const POLICY_DOCUMENT: StringRule = {
  min: 1,
  max: 131072,
  pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
  re: /^[\t\n\r\x20-\xFF]+$/,
};
/** policyPathType: managed policy paths (and ListPolicies/ListAttachedRolePolicies PathPrefix). */
export const POLICY_PATH: StringRule = {
  min: 1,
  max: 512,
  pattern: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/',
  re: /^(?:\/[A-Za-z0-9.,+@=_-]+)*\/$/,
};
/** policyDescriptionType: 0..1000 characters, no pattern. */
export const POLICY_DESCRIPTION: StringRule = { min: 0, max: 1000, pattern: '', re: /^[\s\S]*$/ };
/** arnType: 20..2048 characters, no pattern. */
export const ARN: StringRule = { min: 20, max: 2048, pattern: '', re: /^[\s\S]*$/ };
export const POLICY_VERSION_ID: StringRule = {
  min: 0,
  max: Number.MAX_SAFE_INTEGER,
  pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?',
  re: /^v[1-9][0-9]*(?:\.[A-Za-z0-9-]*)?$/,
};
export const MARKER: StringRule = { min: 1, max: 320, pattern: '[\\u0020-\\u00FF]+', re: /^[\x20-\xFF]+$/ };
export const TAG_KEY: StringRule = {
  min: 1,
  max: 128,
  pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
  re: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u,
};
export const TAG_VALUE: StringRule = {
  min: 0,
  max: 256,
  pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
  re: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
};

export const MAX_SESSION_DURATION = { min: 3600, max: 43200 } as const;
export const MAX_ITEMS = { min: 1, max: 1000 } as const;
export const MAX_TAGS = 50;

/** Collects every violation of one request, so the error lists them all like Coral does. */
export class Violations {
  readonly list: Violation[] = [];

  required(member: string, value: unknown): boolean {
    if (value === undefined || value === null) {
      this.list.push({ member, value, constraint: 'Member must not be null' });
      return false;
    }
    return true;
  }

  /** Checks length (in UTF-16 code units, as Java/Coral count) then pattern. */
  string(member: string, value: string | undefined, rule: StringRule): void {
    if (value === undefined) return;
    if (value.length < rule.min) {
      this.list.push({ member, value, constraint: `Member must have length greater than or equal to ${rule.min}` });
    } else if (value.length > rule.max) {
      this.list.push({ member, value, constraint: `Member must have length less than or equal to ${rule.max}` });
    }
    if (value.length > 0 && !rule.re.test(value)) {
      this.list.push({ member, value, constraint: `Member must satisfy regular expression pattern: ${rule.pattern}` });
    }
  }

  integer(member: string, value: number | undefined, range: { min: number; max: number }): void {
    if (value === undefined) return;
    if (!Number.isInteger(value)) {
      this.list.push({ member, value, constraint: 'Member must be an integer' });
    } else if (value < range.min) {
      this.list.push({ member, value, constraint: `Member must have value greater than or equal to ${range.min}` });
    } else if (value > range.max) {
      this.list.push({ member, value, constraint: `Member must have value less than or equal to ${range.max}` });
    }
  }

  tags(tags: readonly Tag[] | undefined): void {
    if (tags === undefined) return;
    if (tags.length > MAX_TAGS) {
      this.list.push({ member: 'tags', value: tags, constraint: `Member must have length less than or equal to ${MAX_TAGS}` });
    }
    tags.forEach((t, i) => {
      // Coral numbers list members from 1.
      if (this.required(`tags.${i + 1}.member.key`, t.key)) this.string(`tags.${i + 1}.member.key`, t.key, TAG_KEY);
      if (this.required(`tags.${i + 1}.member.value`, t.value)) this.string(`tags.${i + 1}.member.value`, t.value, TAG_VALUE);
    });
  }

  /** tagKeyListType: at most 50 keys, each a tagKeyType. */
  tagKeys(keys: readonly string[] | undefined): void {
    if (keys === undefined) return;
    if (keys.length > MAX_TAGS) {
      this.list.push({ member: 'tagKeys', value: keys, constraint: `Member must have length less than or equal to ${MAX_TAGS}` });
    }
    keys.forEach((k, i) => this.string(`tagKeys.${i + 1}.member`, k, TAG_KEY));
  }

  /** One of an enum's values (Coral: "Member must satisfy enum value set: [a, b]"). */
  oneOf(member: string, value: string | undefined, values: readonly string[]): void {
    if (value === undefined || values.includes(value)) return;
    this.list.push({ member, value, constraint: `Member must satisfy enum value set: [${values.join(', ')}]` });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}

/**
 * Size of a policy as IAM's quotas count it: "IAM doesn't count white space when calculating
 * the size of a policy against these limits" (IAM User Guide, reference_iam-quotas.html).
 */
export function policySize(document: string): number {
  return document.replace(/\s+/g, '').length;
}

/** Role trust policy length quota (IAM quotas: "Role trust policy length", default 2048). */
export const TRUST_POLICY_MAX_SIZE = 2048;
/** Aggregate inline policy size per role (IAM quotas: "Role policy size", 10,240). */
export const ROLE_INLINE_POLICIES_MAX_SIZE = 10240;
/** IAM quotas: "Managed policy length", 6,144 characters. */
export const MANAGED_POLICY_MAX_SIZE = 6144;
/** IAM quotas: "Managed policies attached to an IAM role", default 10. */
export const MAX_ATTACHED_POLICIES_PER_ROLE = 10;

export function throwIfInvalid(v: Violations): void {
  if (!v.empty) throw new ValidationError(v.list);
}

export function requireRoleName(roleName: string | undefined): string {
  const v = new Violations();
  if (v.required('roleName', roleName)) v.string('roleName', roleName, ROLE_NAME);
  throwIfInvalid(v);
  return roleName as string;
}

/** IAM's message for a tag key starting with the reserved `aws:` prefix. */
export const RESERVED_TAG_PREFIX = "Tag keys starting with 'aws:' are reserved for internal use.";

/** Tag keys are case-insensitive but case-preserving, and not `aws:…` (IAM tagging rules). */
export function assertValidTagKeys(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    const k = t.key.toLowerCase();
    // "The aws: prefix is reserved for AWS use" in any case (IAM User Guide, tagging rules).
    if (k.startsWith('aws:')) throw new InvalidInputError(RESERVED_TAG_PREFIX);
    if (seen.has(k)) throw new InvalidInputError('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(k);
  }
}

/** Binary (UTF-16 code unit) order: what IAM markers and our listings sort by. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
