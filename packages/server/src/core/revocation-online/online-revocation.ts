import { nameEquals, ocspResponderUrls, verifyCertificateSignature } from '@mooring/pki';
import type { ParsedCertificate } from '@mooring/pki';
import type { Random } from '../ports/random.js';
import { CrlDpCache, type CrlDpOptions } from './crl-dp-cache.js';
import type { MethodOutcome } from './method-outcome.js';
import { OcspStatusCache, type OcspOptions } from './ocsp-status-cache.js';
import type { RevocationFetcher } from './revocation-fetcher.js';
import type { OnlineRevocationPolicy } from './revocation-policy.js';

export type OnlineRevocationCause = 'revoked-crl-dp' | 'revoked-ocsp' | 'revocation-unavailable';

export type OnlineRevocationResult =
  /** `unavailable`: details of certificates let through by an `allow` policy (for the audit record). */
  | { ok: true; unavailable: string[]; fetched: boolean }
  | { ok: false; cause: OnlineRevocationCause; detail: string };

export interface OnlineRevocationOptions {
  crlDp?: Partial<CrlDpOptions>;
  ocsp?: Partial<OcspOptions>;
}

export const DEFAULT_CRL_DP_OPTIONS: CrlDpOptions = {
  maxAgeMs: 3_600_000, failureBackoffMs: 30_000, refreshAheadMs: 5 * 60_000, idleEvictMs: 24 * 3_600_000, maxEntries: 1_000,
};
export const DEFAULT_OCSP_OPTIONS: OcspOptions = {
  goodTtlMs: 5 * 60_000, revokedTtlMs: 3_600_000, failureBackoffMs: 30_000, nonce: true, maxSkewMs: 5 * 60_000, maxEntries: 10_000,
};

const HTTP = /^http:\/\//i;

/**
 * Online revocation for trust anchors that opt in (revocation-policy.ts): CRLs from the
 * certificates' distribution points and OCSP from their AuthorityInfoAccess responders, for the
 * leaf and every intermediate of the validated path. No I/O here: the fetcher is injected and
 * bounds every call with its timeout; all certificates and both methods are queried in parallel,
 * so one CreateSession waits at most one fetch timeout.
 *
 * Per certificate: revoked by either method → revoked; otherwise good if either method answered
 * good; otherwise (a CDP/responder is named but no trustworthy answer) 'unavailable', which the
 * anchor's policy turns into a refusal (`deny`, default) or a pass noted for the audit (`allow`).
 * Only the first http: URL of each extension is used (ldap:, https: and further URLs are
 * ignored), which keeps the wait bounded by one timeout. A certificate that names neither a CDP
 * nor a responder cannot be checked online and passes (imported CRLs still apply to it).
 */
export class OnlineRevocation {
  readonly crlDp: CrlDpCache;
  readonly ocsp: OcspStatusCache;
  private readonly urls = new Map<string, { crl?: string; ocsp?: string }>();
  private readonly anchorOf = new Map<string, ParsedCertificate>();

  constructor(deps: { fetcher: RevocationFetcher; random: Random; options?: OnlineRevocationOptions }) {
    this.crlDp = new CrlDpCache(deps.fetcher, { ...DEFAULT_CRL_DP_OPTIONS, ...deps.options?.crlDp });
    this.ocsp = new OcspStatusCache(deps.fetcher, deps.random, { ...DEFAULT_OCSP_OPTIONS, ...deps.options?.ocsp });
  }

  /**
   * `certs`: the validated path without its trust anchor, leaf first (what RevocationChecker gets).
   * `anchors`: the trust anchor's CA certificates; the issuer of the last certificate is among them.
   */
  async check(input: {
    policy: OnlineRevocationPolicy;
    certs: readonly ParsedCertificate[];
    anchors: readonly ParsedCertificate[];
    now: Date;
  }): Promise<OnlineRevocationResult> {
    const { policy, certs, now } = input;
    if (!policy.enabled) return { ok: true, unavailable: [], fetched: false };
    if ('invalid' in policy) return { ok: false, cause: 'revocation-unavailable', detail: `invalid online revocation configuration: ${policy.invalid}` };

    const perCert = await Promise.all(certs.map(async (cert, i) => {
      const issuer = certs[i + 1] ?? this.issuingAnchor(cert, input.anchors);
      if (!issuer) return [{ kind: 'unavailable', detail: `no issuer certificate for serial ${cert.serialHex}` } as MethodOutcome];
      const urls = this.urlsOf(cert);
      const checks: Promise<MethodOutcome & { method: 'crl-dp' | 'ocsp' }>[] = [];
      if (policy.crlDp && urls.crl) checks.push(this.crlDp.status(cert, issuer, urls.crl, now).then((o) => ({ ...o, method: 'crl-dp' as const })));
      if (policy.ocsp && urls.ocsp) checks.push(this.ocsp.status(cert, issuer, urls.ocsp, now).then((o) => ({ ...o, method: 'ocsp' as const })));
      return Promise.all(checks);
    }));

    const unavailable: string[] = [];
    let fetched = false;
    for (const outcomes of perCert) {
      for (const o of outcomes) {
        fetched = true;
        if (o.kind === 'revoked') return { ok: false, cause: 'method' in o && o.method === 'ocsp' ? 'revoked-ocsp' : 'revoked-crl-dp', detail: o.detail };
      }
    }
    for (const outcomes of perCert) {
      if (outcomes.length === 0 || outcomes.some((o) => o.kind === 'good')) continue;
      unavailable.push(outcomes.map((o) => (o.kind === 'unavailable' ? o.detail : o.kind)).join('; '));
    }
    if (unavailable.length > 0 && policy.onUnavailable === 'deny') {
      return { ok: false, cause: 'revocation-unavailable', detail: `revocation status unavailable: ${unavailable.join(' | ')}` };
    }
    return { ok: true, unavailable, fetched };
  }

  /** One background refresh pass over the CRL cache (run on a schedule by revocation-fetch/refresh-scheduler.ts). */
  refresh(now: Date): Promise<void> {
    return this.crlDp.refresh(now);
  }

  private urlsOf(cert: ParsedCertificate): { crl?: string; ocsp?: string } {
    let hit = this.urls.get(cert.fingerprint256);
    if (!hit) {
      hit = {};
      const crl = cert.crlDistributionPoints.find((u) => HTTP.test(u));
      const ocsp = ocspResponderUrls(cert).find((u) => HTTP.test(u));
      if (crl) hit.crl = crl;
      if (ocsp) hit.ocsp = ocsp;
      if (this.urls.size >= 10_000) this.urls.clear();
      this.urls.set(cert.fingerprint256, hit);
    }
    return hit;
  }

  /** The anchor CA that signed `cert` (path validation found it; we find it again, once per certificate). */
  private issuingAnchor(cert: ParsedCertificate, anchors: readonly ParsedCertificate[]): ParsedCertificate | undefined {
    const cached = this.anchorOf.get(cert.fingerprint256);
    if (cached && anchors.includes(cached)) return cached;
    const found = anchors.find((a) => {
      if (!nameEquals(a.subject, cert.issuer)) return false;
      try {
        return verifyCertificateSignature(cert, a.publicKey);
      } catch {
        return false;
      }
    });
    if (found) {
      if (this.anchorOf.size >= 10_000) this.anchorOf.clear();
      this.anchorOf.set(cert.fingerprint256, found);
    }
    return found;
  }
}
