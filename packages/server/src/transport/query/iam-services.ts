import type { ManagedPolicyService } from '../../core/iam/managed-policy-service.js';
import type { RoleService } from '../../core/iam/role-service.js';
import type { Params } from './query-params.js';

/** The IAM services the Query actions call. */
export interface IamServices {
  roles: RoleService;
  /** Absent until the composition root provides it; policy actions then fail as internal errors. */
  policies?: ManagedPolicyService;
}

export function requirePolicies(services: IamServices): ManagedPolicyService {
  if (!services.policies) throw new Error('ManagedPolicyService is not configured');
  return services.policies;
}

/**
 * One IAM Query action: request members as named in the botocore IAM model, result as the inner
 * XML of `<XResult>`, or undefined for operations without an output shape.
 */
export type IamActionHandler = (params: Params, services: IamServices) => Promise<string | undefined>;
