/** Quotas of service-spec §11, configurable per deployment. */
export interface RolesAnywhereLimits {
  maxTrustAnchors: number;
  maxProfiles: number;
  maxCertificatesPerTrustAnchor: number;
  maxRolesPerProfile: number;
  defaultPageSize: number;
  maxPageSize: number;
}

export const DEFAULT_LIMITS: RolesAnywhereLimits = Object.freeze({
  maxTrustAnchors: 50,
  maxProfiles: 250,
  maxCertificatesPerTrustAnchor: 2,
  maxRolesPerProfile: 250,
  defaultPageSize: 50,
  maxPageSize: 500,
});
