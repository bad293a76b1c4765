import type { ServiceConfig } from '../ports/service-config.js';
import { findAwsManagedPolicy } from './aws-managed-policies.js';
import { InvalidInputError, NoSuchEntityError } from './iam-errors.js';
import type { ManagedPolicy } from './managed-policy.js';
import type { ManagedPolicyStore } from './managed-policy-store.js';
import { looksLikeArn, parsePolicyArn } from './policy-arn.js';

/**
 * Resolves a managed policy ARN to its policy: a built-in AWS managed policy or a stored
 * customer managed one of this deployment. Shared by the policy services and the authoriser, so
 * all of them see exactly the same documents.
 */
export async function findManagedPolicy(store: ManagedPolicyStore, config: ServiceConfig, arn: string): Promise<ManagedPolicy | undefined> {
  const parsed = parsePolicyArn(arn, config);
  if (!parsed) return undefined;
  return parsed.owner === 'AWS' ? findAwsManagedPolicy(config, arn) : store.getPolicy(arn);
}

/** The policy an API call names: InvalidInput for a non-ARN, `notFound(arn)` when there is none. */
export async function resolveManagedPolicy(
  store: ManagedPolicyStore,
  config: ServiceConfig,
  arn: string,
  notFound: (arn: string) => NoSuchEntityError = NoSuchEntityError.policy,
): Promise<ManagedPolicy> {
  if (!looksLikeArn(arn)) throw invalidArn(arn);
  const policy = await findManagedPolicy(store, config, arn);
  if (!policy) throw notFound(arn);
  return policy;
}

/** IAM's answer to a value that is not an ARN at all. */
export function invalidArn(arn: string): InvalidInputError {
  return new InvalidInputError(`ARN ${arn} is not valid.`);
}
