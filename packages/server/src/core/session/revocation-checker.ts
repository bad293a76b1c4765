import { formatName, isRevoked, nameEquals, parseCrl } from '@mooring/pki';
import type { ParsedCertificate, ParsedCrl } from '@mooring/pki';
import type { CrlStore } from '../roles-anywhere/stores.js';

/**
 * What a CRL past its nextUpdate does (RFC 5280 §5.1.2.5 leaves it to the relying party; AWS
 * documents nothing, service-spec §7, §14.7):
 * - 'enforce' (default): still applied. A stale CRL is the newest revocation data we have;
 *   ignoring it would un-revoke certificates because an operator was late with an upload.
 * - 'ignore': skipped while stale.
 * - 'deny': fail closed: every certificate issued by the stale CRL's issuer is refused.
 */
export type StaleCrlPolicy = 'enforce' | 'ignore' | 'deny';

export type RevocationResult =
  | { ok: true; staleCrlIds: string[] }
  | { ok: false; reason: 'revoked' | 'crl-stale'; detail: string; staleCrlIds: string[] };

interface Cached {
  version: number;
  crl: ParsedCrl;
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

  constructor(private readonly deps: { store: CrlStore; stalePolicy?: StaleCrlPolicy }) {}

  /** `certs`: the validated path without its trust anchor (leaf first). */
  async check(trustAnchorId: string, certs: readonly ParsedCertificate[], now: Date): Promise<RevocationResult> {
    const versions = await this.deps.store.enabledCrlVersions(trustAnchorId);
    const policy = this.deps.stalePolicy ?? 'enforce';
    const staleCrlIds: string[] = [];
    for (const v of versions) {
      const crl = await this.load(v.crlId, v.version);
      if (!crl) continue;
      const stale = crl.nextUpdate !== undefined && crl.nextUpdate.getTime() < now.getTime();
      if (stale) {
        staleCrlIds.push(v.crlId);
        if (policy === 'ignore') continue;
        if (policy === 'deny') {
          const hit = certs.find((c) => nameEquals(c.issuer, crl.issuer));
          if (hit) return { ok: false, reason: 'crl-stale', detail: `CRL ${v.crlId} of "${formatName(crl.issuer)}" is past its nextUpdate`, staleCrlIds };
          continue;
        }
      }
      for (const cert of certs) {
        if (isRevoked(crl, cert))
          return { ok: false, reason: 'revoked', detail: `serial ${cert.serialHex} of "${formatName(cert.issuer)}" is listed in CRL ${v.crlId}`, staleCrlIds };
      }
    }
    return { ok: true, staleCrlIds };
  }

  private async load(crlId: string, version: number): Promise<ParsedCrl | undefined> {
    const hit = this.cache.get(crlId);
    if (hit && hit.version === version) return hit.crl;
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
    this.cache.set(crlId, { version, crl: parsed.value });
    return parsed.value;
  }
}
