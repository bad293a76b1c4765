import type { Tag } from './role.js';
import type { Violation } from './iam-errors.js';

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
