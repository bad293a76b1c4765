import type { PolicyDocument } from '../policy/index.js';

/**
 * Rules IAM applies when a policy is written (CreateRole, UpdateAssumeRolePolicy, PutRolePolicy,
 * CreatePolicy) on top of the grammar. They are checked on write only: a stored document that
 * predates a rule must keep parsing, or the authorizer would fail closed on it.
 * Returns IAM's MalformedPolicyDocument message, or undefined.
 */
export function policyWriteViolation(doc: PolicyDocument, kind: 'identity' | 'trust'): string | undefined {
  const sids = new Set<string>();
  for (const s of doc.statements) {
    if (s.sid === undefined) continue;
    // IAM JSON policy reference, "Sid": ASCII letters and digits only.
    if (!/^[0-9A-Za-z]*$/.test(s.sid)) return 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*';
    if (sids.has(s.sid)) return 'Statement IDs (SID) in a single policy must be unique.';
    sids.add(s.sid);
  }
  if (kind === 'trust') {
    // A role's trust policy governs assuming the role: sts:AssumeRole*, sts:TagSession,
    // sts:SetSourceIdentity, sts:SetContext, or a wildcard over them.
    for (const s of doc.statements) {
      for (const a of [...(s.action ?? []), ...(s.notAction ?? [])]) {
        if (a !== '*' && !/^sts:/i.test(a)) return 'AssumeRole policy may only specify STS AssumeRole actions.';
      }
    }
  }
  return undefined;
}
