/**
 * IAM domain errors: one class per wire code (style-anchors §8 habit 8). Codes, HTTP statuses
 * and the Sender fault come from the botocore IAM model (`*Exception.error`); messages copy
 * IAM's wording so scripts that match on them keep working. The transport maps these to the
 * Query-protocol `<ErrorResponse>` in one place (transport/query/query-errors.ts).
 */
export type IamErrorCode =
  | 'NoSuchEntity'
  | 'EntityAlreadyExists'
  | 'ValidationError'
  | 'InvalidInput'
  | 'MalformedPolicyDocument'
  | 'DeleteConflict'
  | 'LimitExceeded'
  | 'AccessDenied';

export abstract class IamError extends Error {
  abstract readonly code: IamErrorCode;
  abstract readonly status: number;
  /** Every IAM domain error is the caller's fault (model: `senderFault: true`). */
  readonly fault = 'Sender' as const;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  toJSON(): { code: IamErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export class NoSuchEntityError extends IamError {
  readonly code = 'NoSuchEntity' as const;
  readonly status = 404;
  static role(roleName: string): NoSuchEntityError {
    return new NoSuchEntityError(`The role with name ${roleName} cannot be found.`);
  }
  static rolePolicy(policyName: string): NoSuchEntityError {
    return new NoSuchEntityError(`The role policy with name ${policyName} cannot be found.`);
  }
  /** GetPolicy / DeletePolicy / DetachRolePolicy on an unknown or unattached ARN. */
  static policy(policyArn: string): NoSuchEntityError {
    return new NoSuchEntityError(`Policy ${policyArn} was not found.`);
  }
  /** AttachRolePolicy with an ARN that names no policy we can attach. */
  static notAttachable(policyArn: string): NoSuchEntityError {
    return new NoSuchEntityError(`Policy ${policyArn} does not exist or is not attachable.`);
  }
  static policyVersion(policyArn: string, versionId: string): NoSuchEntityError {
    return new NoSuchEntityError(`Policy ${policyArn} version ${versionId} does not exist or is not attachable.`);
  }
}

export class EntityAlreadyExistsError extends IamError {
  readonly code = 'EntityAlreadyExists' as const;
  readonly status = 409;
  static role(roleName: string): EntityAlreadyExistsError {
    return new EntityAlreadyExistsError(`Role with name ${roleName} already exists.`);
  }
  static policy(policyName: string): EntityAlreadyExistsError {
    return new EntityAlreadyExistsError(`A policy called ${policyName} already exists. Duplicate names are not allowed.`);
  }
}

/** One failed member constraint, rendered the way AWS's Coral validator does. */
export interface Violation {
  /** camelCase member path, e.g. 'roleName', 'tags.1.member.key'. */
  member: string;
  /** The offending value; `undefined` renders as `null` (a missing required member). */
  value: unknown;
  constraint: string;
}

const MAX_ECHO = 256;

function renderValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  const s = Array.isArray(value) ? `[${value.length} items]` : String(value);
  // Bound the echo: a 128 KiB policy document does not belong in an error message.
  return `'${s.length > MAX_ECHO ? s.slice(0, MAX_ECHO) + '...' : s}'`;
}

export class ValidationError extends IamError {
  readonly code = 'ValidationError' as const;
  readonly status = 400;
  readonly violations: readonly Violation[];

  constructor(violations: readonly Violation[]) {
    const n = violations.length;
    const parts = violations.map(
      (v) => `Value ${renderValue(v.value)} at '${v.member}' failed to satisfy constraint: ${v.constraint}`,
    );
    super(`${n} validation error${n === 1 ? '' : 's'} detected: ${parts.join('; ')}`);
    this.violations = violations;
  }
}

export class InvalidInputError extends IamError {
  readonly code = 'InvalidInput' as const;
  readonly status = 400;
}

export class MalformedPolicyDocumentError extends IamError {
  readonly code = 'MalformedPolicyDocument' as const;
  readonly status = 400;
}

export class DeleteConflictError extends IamError {
  readonly code = 'DeleteConflict' as const;
  readonly status = 409;
  static rolePolicies(): DeleteConflictError {
    return new DeleteConflictError('Cannot delete entity, must delete policies first.');
  }
  static attachedPolicies(): DeleteConflictError {
    return new DeleteConflictError('Cannot delete entity, must detach all policies first.');
  }
  static policyAttached(): DeleteConflictError {
    return new DeleteConflictError('Cannot delete a policy attached to entities.');
  }
}

export class LimitExceededError extends IamError {
  readonly code = 'LimitExceeded' as const;
  readonly status = 409;
  /** IAM's quota wording, e.g. "Cannot exceed quota for PoliciesPerRole: 10". */
  static quota(name: string, limit: number): LimitExceededError {
    return new LimitExceededError(`Cannot exceed quota for ${name}: ${limit}`);
  }
}

export class AccessDeniedError extends IamError {
  readonly code = 'AccessDenied' as const;
  readonly status = 403;
  /** IAM's wording for an identity-policy denial. */
  static notAuthorized(principalArn: string, action: string, resourceArn: string): AccessDeniedError {
    return new AccessDeniedError(
      `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resourceArn}`,
    );
  }
}
