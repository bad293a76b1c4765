import type { PolicyDocument } from '../policy/index.js';
import { parsePolicyDocument } from '../policy/index.js';
import type { ServiceConfig } from '../ports/service-config.js';
import { LimitExceededError, MalformedPolicyDocumentError } from './iam-errors.js';
import { policyWriteViolation } from './policy-write-rules.js';
import type { RoleStore } from './role-store.js';
import { TRUST_POLICY_MAX_SIZE, policySize } from './role-validation.js';

/** Validates a trust policy: quota first (IAM checks size before grammar), then the grammar. */
export function checkTrustPolicy(document: string): { document: string; policy: PolicyDocument } {
  if (policySize(document) > TRUST_POLICY_MAX_SIZE) {
    throw new LimitExceededError(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_MAX_SIZE}`);
  }
  const parsed = parsePolicyDocument(document, 'trust');
  if (!parsed.ok) throw new MalformedPolicyDocumentError(parsed.message);
  const violation = policyWriteViolation(parsed.policy, 'trust');
  if (violation) throw new MalformedPolicyDocumentError(violation);
  return { document, policy: parsed.policy };
}

/**
 * IAM resolves the principals of a trust policy when it is saved: a role of this account that
 * does not exist is "Invalid principal in policy" (IAM User Guide, troubleshooting "Invalid
 * principal in policy"). Principals of other accounts, users and services cannot be checked here.
 */
export async function checkTrustPrincipals(store: RoleStore, config: ServiceConfig, policy: PolicyDocument): Promise<void> {
  const ownRole = new RegExp(`^arn:${config.partition}:iam::${config.accountId}:role/(?:.*/)?([^/]+)$`);
  for (const s of policy.statements) {
    for (const block of [s.principal, s.notPrincipal]) {
      if (block === undefined || block === '*') continue;
      for (const arn of block['AWS'] ?? []) {
        const name = ownRole.exec(arn)?.[1];
        if (name === undefined) continue;
        const role = await store.getRole(name);
        if (!role || role.arn !== arn) throw new MalformedPolicyDocumentError(`Invalid principal in policy: "AWS":"${arn}"`);
      }
    }
  }
}
