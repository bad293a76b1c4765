/** What one online method (a CDP CRL or an OCSP response) says about one certificate. */
export type MethodOutcome =
  | { kind: 'good' }
  | { kind: 'revoked'; detail: string }
  /** No trustworthy answer: unreachable, refused, unverifiable, stale, or OCSP 'unknown'. */
  | { kind: 'unavailable'; detail: string };
