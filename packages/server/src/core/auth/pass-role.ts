import type { Authorizer } from './authorizer.js';
import type { Principal } from './principal.js';

/** The service a profile passes its roles to (Service Authorization Reference, iam:PassedToService). */
export const ROLES_ANYWHERE_SERVICE = 'rolesanywhere.amazonaws.com';

/**
 * CreateProfile, UpdateProfile and EnableProfile also require `iam:PassRole` on every role of
 * the profile, with `iam:PassedToService = rolesanywhere.amazonaws.com` (service-spec §3.2,
 * Appendix C). Answers the first refusal, in the order given, with IAM's message naming that
 * role; an empty list passes.
 */
export async function passRoleAllowed(
  authorizer: Pick<Authorizer, 'authorize'>,
  principal: Principal,
  roleArns: readonly string[],
): Promise<{ ok: true } | { ok: false; message: string }> {
  for (const arn of new Set(roleArns)) {
    const r = await authorizer.authorize(principal, {
      action: 'iam:PassRole',
      resource: arn,
      context: { 'iam:PassedToService': ROLES_ANYWHERE_SERVICE },
    });
    if (!r.ok) return { ok: false, message: r.message };
  }
  return { ok: true };
}
