import type { ParsePolicyResult } from '../policy/policy-types.js';

/**
 * STS AssumeRole's limits on session policies, which a profile's `sessionPolicy` and
 * `managedPolicyArns` are passed as (service-spec §3.2, §13.3; STS API reference, AssumeRole:
 * "You can provide up to 10 managed policy ARNs", "The plaintext that you use for both inline
 * and managed session policies can't exceed 2,048 characters", PackedPolicyTooLarge).
 * CreateProfile accepts more than STS does, exactly as AWS's does, so the refusal comes at
 * CreateSession, as "Unable to assume role for <arn>. <STS message>".
 */
export const MAX_SESSION_POLICY_ARNS = 10;
export const MAX_SESSION_POLICY_CHARS = 2048;

export type SessionPolicyCheck = { ok: true; packedPolicySize: number } | { ok: false; message: string };

/** `parse` parses an identity policy; the caller's cache keeps it off the hot path (PolicyParseCache). */
export function checkSessionPolicies(
  sessionPolicy: string | undefined,
  managedPolicyArns: readonly string[] | undefined,
  parse: (text: string) => ParsePolicyResult,
): SessionPolicyCheck {
  const arns = managedPolicyArns ?? [];
  if (arns.length > MAX_SESSION_POLICY_ARNS)
    return { ok: false, message: `1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SESSION_POLICY_ARNS}` };
  if (sessionPolicy !== undefined) {
    if (sessionPolicy.length > MAX_SESSION_POLICY_CHARS)
      return { ok: false, message: `1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SESSION_POLICY_CHARS}` };
    const parsed = parse(sessionPolicy);
    if (!parsed.ok) return { ok: false, message: parsed.message };
  }
  const size = packedPolicySize(sessionPolicy, arns);
  if (size > 100) return { ok: false, message: `Packed policy consumes ${size}% of allotted space, please use smaller policy.` };
  return { ok: true, packedPolicySize: size };
}

/**
 * STS reports the packed size of session policies as a percentage of its limit. We approximate
 * it from the plaintext policy and ARN sizes against the 2,048-character limit.
 */
export function packedPolicySize(sessionPolicy?: string, managed?: readonly string[]): number {
  const chars = (sessionPolicy?.length ?? 0) + (managed ?? []).reduce((n, a) => n + a.length, 0);
  return chars === 0 ? 0 : Math.ceil((chars / MAX_SESSION_POLICY_CHARS) * 100);
}

