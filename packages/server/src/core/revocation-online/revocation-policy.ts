import type { ResourceTag } from '../roles-anywhere/tag.js';

/**
 * Online revocation is a Mooring extension: AWS "does not support callbacks to CRL Distribution
 * Points or OCSP endpoints" (service-spec §7). A trust anchor opts in with resource tags, so the
 * wire API stays AWS's (docs/online-revocation.md):
 * - `mooring:revocation` = `crl-dp`, `ocsp` or `crl-dp+ocsp` (order free; `+`, space, `/` or `,` separate;
 *   `off`/empty = none). Roles Anywhere tag values allow only `[ a-zA-Z0-9_.:/=+@-]` (its API model),
 *   so a comma cannot reach us through the API; `+` and space can;
 * - `mooring:revocation-unavailable` = `deny` (default) or `allow`: what happens when no
 *   trustworthy status can be obtained for a certificate that names a CDP or responder.
 */
export const REVOCATION_TAG = 'mooring:revocation';
export const REVOCATION_UNAVAILABLE_TAG = 'mooring:revocation-unavailable';

export type OnlineMethod = 'crl-dp' | 'ocsp';

export type OnlineRevocationPolicy =
  | { enabled: false }
  | { enabled: true; crlDp: boolean; ocsp: boolean; onUnavailable: 'deny' | 'allow' }
  /** A tag value we cannot read. The operator meant to turn checking on, so we fail closed rather than guess. */
  | { enabled: true; invalid: string };

/** Reads the policy from a trust anchor's tags. Tag keys are case-sensitive (as in AWS); values are not. */
export function revocationPolicyFromTags(tags: readonly ResourceTag[]): OnlineRevocationPolicy {
  const methodsTag = tags.find((t) => t.key === REVOCATION_TAG);
  if (!methodsTag) return { enabled: false };
  const tokens = methodsTag.value.toLowerCase().split(/[\s,+/]+/).filter((s) => s.length > 0);
  if (tokens.length === 0 || (tokens.length === 1 && tokens[0] === 'off')) return { enabled: false };
  const unknown = tokens.filter((t) => t !== 'crl-dp' && t !== 'ocsp');
  if (unknown.length > 0) return { enabled: true, invalid: `${REVOCATION_TAG} has unknown method(s) ${unknown.join(', ')} (expected crl-dp, ocsp)` };
  const failTag = tags.find((t) => t.key === REVOCATION_UNAVAILABLE_TAG);
  const failValue = failTag ? failTag.value.trim().toLowerCase() : 'deny';
  if (failValue !== 'deny' && failValue !== 'allow') {
    return { enabled: true, invalid: `${REVOCATION_UNAVAILABLE_TAG} must be deny or allow, not "${failTag?.value ?? ''}"` };
  }
  return { enabled: true, crlDp: tokens.includes('crl-dp'), ocsp: tokens.includes('ocsp'), onUnavailable: failValue };
}
