/** Quotas of service-spec §11, configurable per deployment. */
export interface RolesAnywhereLimits {
  maxTrustAnchors: number;
  maxProfiles: number;
  maxCertificatesPerTrustAnchor: number;
  /** "CRLs per trust anchor: 2", not adjustable at AWS (service-spec §11). */
  maxCrlsPerTrustAnchor: number;
  maxRolesPerProfile: number;
  /**
   * User tags per resource behind TooManyTagsException. AWS documents no number (service-spec
   * §1, §14.12); 50 is the usual AWS per-resource tag limit, so that is our default.
   */
  maxTagsPerResource: number;
  /** Credential summaries and instance-property records kept per subject (service-spec §8). */
  subjectHistory: number;
  defaultPageSize: number;
  maxPageSize: number;
}

export const DEFAULT_LIMITS: RolesAnywhereLimits = Object.freeze({
  maxTrustAnchors: 50,
  maxProfiles: 250,
  maxCertificatesPerTrustAnchor: 2,
  maxCrlsPerTrustAnchor: 2,
  maxRolesPerProfile: 250,
  maxTagsPerResource: 50,
  subjectHistory: 10,
  defaultPageSize: 50,
  maxPageSize: 500,
});
