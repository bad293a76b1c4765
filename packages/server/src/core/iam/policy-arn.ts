import type { ServiceConfig } from '../ports/service-config.js';

/**
 * Managed policy ARNs (IAM User Guide, reference_identifiers.html#identifiers-arns):
 * `arn:<partition>:iam::<account-id>:policy<path><name>` for customer managed policies and
 * `arn:<partition>:iam::aws:policy<path><name>` for AWS managed ones.
 */
export interface ParsedPolicyArn {
  owner: 'Local' | 'AWS';
  path: string;
  policyName: string;
}

export function policyArn(config: ServiceConfig, owner: 'Local' | 'AWS', path: string, policyName: string): string {
  return `arn:${config.partition}:iam::${owner === 'AWS' ? 'aws' : config.accountId}:policy${path}${policyName}`;
}

/**
 * Splits a policy ARN of this deployment's partition and account (or `aws`). Anything else —
 * another account, another partition, not a policy — is undefined: such ARNs name nothing
 * this server holds.
 */
export function parsePolicyArn(arn: string, config: ServiceConfig): ParsedPolicyArn | undefined {
  const m = /^arn:([^:]+):iam::([^:]+):policy(\/(?:[^/]+\/)*)([\w+=,.@-]{1,128})$/.exec(arn);
  if (!m) return undefined;
  const [, partition, account, path, name] = m as unknown as [string, string, string, string, string];
  if (partition !== config.partition) return undefined;
  if (account !== 'aws' && account !== config.accountId) return undefined;
  return { owner: account === 'aws' ? 'AWS' : 'Local', path, policyName: name };
}

/** Whether `arn` is syntactically an ARN at all (IAM answers InvalidInput "ARN x is not valid." otherwise). */
export function looksLikeArn(arn: string): boolean {
  return /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/.test(arn);
}
