import { formatName, isRevoked, nameEquals, parseCertificatePem, parseCrl, verifyCrlIssuer } from '@mooring/pki';
import type { ParsedCertificate, ParsedCrl } from '@mooring/pki';
import type { OnlineRevocation, OnlineRevocationCause } from '../revocation-online/online-revocation.js';
import { revocationPolicyFromTags } from '../revocation-online/revocation-policy.js';
import type { CrlStore, TrustAnchorStore } from '../roles-anywhere/stores.js';
import type { TrustAnchor } from '../roles-anywhere/trust-anchor.js';

/**
 * What a CRL past its nextUpdate does (RFC 5280 §5.1.2.5 leaves it to the relying party; AWS
 * documents nothing, service-spec §7, §14.7):
 * - 'enforce' (default): still applied. A stale CRL is the newest revocation data we have;
 *   ignoring it would un-revoke certificates because an operator was late with an upload.
 * - 'ignore': skipped while stale.
 * - 'deny': fail closed: every certificate issued by the stale CRL's issuer is refused.
 */
export type StaleCrlPolicy = 'enforce' | 'ignore' | 'deny';

/** Finer than `reason`: which source decided (for the audit record and metrics). */
export type RevocationCause = 'revoked-crl' | 'crl-stale' | OnlineRevocationCause;

/**
 * `reason` stays within the session failure reasons CreateSession already maps to the wire:
 * revoked by an imported CRL, a CDP CRL or OCSP → 'revoked' ("Certificate revoked"); a stale
 * imported CRL under 'deny' or online status unavailable under a `deny` anchor → 'crl-stale'
 * (the uniform "Untrusted signing certificate"). `cause` says which.
 */
export type RevocationResult =
  | { ok: true; staleCrlIds: string[]; onlineUnavailable?: string[]; unverifiedCrlIds?: string[] }
  | { ok: false; reason: 'revoked' | 'crl-stale'; cause: RevocationCause; detail: string; staleCrlIds: string[] };

export interface RevocationCheckerDeps {
  store: CrlStore;
  stalePolicy?: StaleCrlPolicy;
  /**
   * CRL distribution points and OCSP for trust anchors that opt in by tag (docs/online-revocation.md).
   * `trustAnchors` is read only when check() is not given the anchor.
   */
  online?: { service: OnlineRevocation; trustAnchors: TrustAnchorStore };
}

/** What the caller already holds, so the checker need not read it again. */
export interface RevocationContext {
  trustAnchor?: TrustAnchor;
  /**
   * `issuers[i]` is the certificate of the validated path that issued `certs[i]`. With it, a CRL
   * applies to `certs[i]` only if that issuer signed it (RFC 5280 §6.3.3 (f)(g)), which lets
   * ImportCrl accept the CRL of an issuing CA that is not in the bundle (crl-service.ts). Without
   * it, CRLs apply by issuer name: each was verified against the bundle at import.
   */
  issuers?: readonly ParsedCertificate[];
}

interface Cached {
  version: number;
  crl: ParsedCrl;
  /** verifyCrlIssuer(crl, [issuer]) per issuer certificate object (the path caches keep them alive). */
  signedBy: WeakMap<ParsedCertificate, boolean>;
}

/**
 * Revocation for CreateSession (service-spec §4.4 step 7, §7): the leaf and every intermediate
 * of the validated path are checked against the ENABLED CRLs of the trust anchor, by issuer AND
 * serial (pki isRevoked; never serial alone). Parsed CRLs are cached by (crl id, version): the
 * store bumps the version on every write, so ImportCrl/UpdateCrl/EnableCrl/DisableCrl take effect
 * on the very next request while an unchanged 10,000-entry CRL costs one Map lookup per
 * certificate. The only per-request store read is the small (id, version) row set.
 */
export class RevocationChecker {
  private readonly cache = new Map<string, Cached>();
  private readonly bundles = new Map<string, { version: number; certs: ParsedCertificate[] }>();

  constructor(private readonly deps: RevocationCheckerDeps) {}

  /**
   * `certs`: the validated path without its trust anchor (leaf first). Imported CRLs first (no
   * network); then, for an anchor that opted in, online revocation (online-revocation.ts).
   */
  async check(trustAnchorId: string, certs: readonly ParsedCertificate[], now: Date, ctx: RevocationContext = {}): Promise<RevocationResult> {
    const imported = await this.checkImported(trustAnchorId, certs, now, ctx.issuers);
    if (!imported.ok || !this.deps.online) return imported;
    const online = await this.checkOnline(trustAnchorId, certs, now, ctx);
    if (!online) return imported;
    if (!online.ok) {
      const reason = online.cause === 'revocation-unavailable' ? 'crl-stale' : 'revoked';
      return { ok: false, reason, cause: online.cause, detail: online.detail, staleCrlIds: imported.staleCrlIds };
    }
    return online.unavailable.length > 0 ? { ...imported, onlineUnavailable: online.unavailable } : imported;
  }

  private async checkOnline(trustAnchorId: string, certs: readonly ParsedCertificate[], now: Date, ctx: RevocationContext) {
    const online = this.deps.online!;
    const ta = ctx.trustAnchor ?? (await online.trustAnchors.getTrustAnchor(trustAnchorId));
    if (!ta) return undefined;
    const policy = revocationPolicyFromTags(ta.tags);
    // Opt-out anchors (no tag) return here: no parsing, no fetch.
    if (!policy.enabled) return undefined;
    return online.service.check({ policy, certs, anchors: this.bundle(ta), now });
  }

  /** The anchor's CA certificates, parsed once per (id, updatedAt). */
  private bundle(ta: TrustAnchor): ParsedCertificate[] {
    const version = ta.updatedAt.getTime();
    const hit = this.bundles.get(ta.trustAnchorId);
    if (hit && hit.version === version) return hit.certs;
    const parsed = parseCertificatePem(ta.source.sourceData.x509CertificateData ?? '');
    const certs = parsed.ok ? parsed.value : [];
    this.bundles.set(ta.trustAnchorId, { version, certs });
    return certs;
  }

  private async checkImported(trustAnchorId: string, certs: readonly ParsedCertificate[], now: Date, issuers?: readonly ParsedCertificate[]): Promise<RevocationResult> {
    const versions = await this.deps.store.enabledCrlVersions(trustAnchorId);
    const policy = this.deps.stalePolicy ?? 'enforce';
    const staleCrlIds: string[] = [];
    let unverifiedCrlIds: string[] | undefined;
    for (const v of versions) {
      const cached = await this.load(v.crlId, v.version);
      if (!cached) continue;
      const { crl } = cached;
      // The certificates this CRL speaks for: issued under its issuer name and, when the path's
      // issuers are known, by the CA that signed it.
      const covered: ParsedCertificate[] = [];
      for (let i = 0; i < certs.length; i++) {
        const cert = certs[i]!;
        if (!nameEquals(cert.issuer, crl.issuer)) continue;
        const issuer = issuers?.[i];
        if (issuer && !signedBy(cached, issuer)) {
          unverifiedCrlIds ??= [];
          if (!unverifiedCrlIds.includes(v.crlId)) unverifiedCrlIds.push(v.crlId);
          continue;
        }
        covered.push(cert);
      }
      const stale = crl.nextUpdate !== undefined && crl.nextUpdate.getTime() < now.getTime();
      if (stale) {
        staleCrlIds.push(v.crlId);
        if (policy === 'ignore') continue;
        if (policy === 'deny') {
          if (covered.length > 0) return { ok: false, reason: 'crl-stale', cause: 'crl-stale', detail: `CRL ${v.crlId} of "${formatName(crl.issuer)}" is past its nextUpdate`, staleCrlIds };
          continue;
        }
      }
      for (const cert of covered) {
        if (isRevoked(crl, cert))
          return { ok: false, reason: 'revoked', cause: 'revoked-crl', detail: `serial ${cert.serialHex} of "${formatName(cert.issuer)}" is listed in CRL ${v.crlId}`, staleCrlIds };
      }
    }
    return unverifiedCrlIds ? { ok: true, staleCrlIds, unverifiedCrlIds } : { ok: true, staleCrlIds };
  }

  private async load(crlId: string, version: number): Promise<Cached | undefined> {
    const hit = this.cache.get(crlId);
    if (hit && hit.version === version) return hit;
    const stored = await this.deps.store.getCrl(crlId);
    if (!stored) {
      this.cache.delete(crlId);
      return undefined;
    }
    // Stored CRLs were parsed and verified at import/update; a failure here means the row was
    // tampered with or the parser changed. Skipping it would silently un-revoke: surface it.
    const parsed = parseCrl(stored.crlData);
    if (!parsed.ok) throw new Error(`stored CRL ${crlId} no longer parses: ${parsed.reason}`);
    // The version read with the id list may be older than the document just loaded; caching
    // under the older version only costs one extra parse on the next request.
    const entry: Cached = { version, crl: parsed.value, signedBy: new WeakMap() };
    this.cache.set(crlId, entry);
    return entry;
  }
}

/** Whether `issuer` signed the cached CRL and may sign CRLs; one signature check per issuer object. */
function signedBy(cached: Cached, issuer: ParsedCertificate): boolean {
  let ok = cached.signedBy.get(issuer);
  if (ok === undefined) {
    ok = verifyCrlIssuer(cached.crl, [issuer]).ok;
    cached.signedBy.set(issuer, ok);
  }
  return ok;
}
