import { formatName, nameEquals, parseCertificatePem } from '@mooring/pki';
import type { ParsedCertificate } from '@mooring/pki';
import type { Subject } from '../roles-anywhere/subject.js';
import type { TrustAnchor } from '../roles-anywhere/trust-anchor.js';

export const DAY_MS = 24 * 3600 * 1000;

/** One CA certificate of a trust anchor's bundle, as the expiry rules need it. */
export interface CaCertificateFact {
  trustAnchorId: string;
  trustAnchorArn: string;
  /** Lowercase hex magnitude (ParsedCertificate.serialHex). */
  serialHex: string;
  /** RFC 4514 issuer DN (what EventBridge's `detail.issuer` shows). */
  issuer: string;
  notAfter: Date;
}

/** An end-entity certificate that authenticated recently, with the anchors whose CAs issued it. */
export interface EndEntityCertificateFact {
  serialHex: string;
  issuer: string;
  notAfter: Date;
  lastSeenAt: Date;
  /** Trust anchors holding a CA whose subject is this certificate's issuer. */
  trustAnchorIds: string[];
}

/**
 * Whole days until `notAfter`, rounded down: 3.9 days left is 3, expired 2 hours ago is -1.
 * The same number feeds EventBridge's `days-to-expiry` and the `mooring_ca_days_to_expiry`
 * gauge, so the two never disagree.
 */
export function daysToExpiry(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}

function parsedBundle(ta: TrustAnchor): ParsedCertificate[] {
  const pem = ta.source.sourceData.x509CertificateData;
  if (!pem) return []; // AWS_ACM_PCA anchors hold no bundle here.
  const r = parseCertificatePem(pem);
  return r.ok ? r.value : [];
}

/** The CA certificates of a trust anchor's bundle (service-spec §9 "CA certificate expiry"). */
export function caCertificatesOf(ta: TrustAnchor): CaCertificateFact[] {
  return parsedBundle(ta).map((c) => ({
    trustAnchorId: ta.trustAnchorId,
    trustAnchorArn: ta.trustAnchorArn,
    serialHex: c.serialHex,
    issuer: formatName(c.issuer),
    notAfter: c.notAfter,
  }));
}

/**
 * End-entity certificates "used to authenticate over the last day" (service-spec §9), from the
 * subjects' credential history (ListSubjects data): successful attempts only (`failed: false`),
 * seen within `windowMs` before `now`. One fact per (issuer, serial), keeping the latest sighting.
 * The anchor is found by matching the certificate's issuer DN to a CA subject in a bundle;
 * a certificate issued by an intermediate that is not in any bundle has no anchor and therefore
 * no settings to evaluate (documented in docs/observability.md).
 */
export function endEntityCertificatesFrom(subjects: readonly Subject[], anchors: readonly TrustAnchor[], now: Date, windowMs = DAY_MS): EndEntityCertificateFact[] {
  const bundles = anchors.map((ta) => ({ id: ta.trustAnchorId, cas: parsedBundle(ta) }));
  const out = new Map<string, EndEntityCertificateFact>();
  for (const s of subjects) {
    for (const c of s.credentials) {
      const age = now.getTime() - c.seenAt.getTime();
      if (c.failed || age < 0 || age > windowMs) continue;
      const parsed = parseCertificatePem(c.x509CertificateData);
      if (!parsed.ok || parsed.value.length === 0) continue;
      const leaf = parsed.value[0]!;
      const issuer = formatName(leaf.issuer);
      const key = `${issuer}\n${leaf.serialHex}`;
      const prev = out.get(key);
      if (prev && prev.lastSeenAt >= c.seenAt) continue;
      const trustAnchorIds = bundles.filter((b) => b.cas.some((ca) => nameEquals(ca.subject, leaf.issuer))).map((b) => b.id);
      out.set(key, { serialHex: leaf.serialHex, issuer, notAfter: leaf.notAfter, lastSeenAt: c.seenAt, trustAnchorIds });
    }
  }
  return [...out.values()];
}
