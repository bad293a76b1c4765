import { formatName, nameEquals, parseCertificatePem, parseCrl, verifyCrlIssuer } from '@mooring/pki';
import type { ParsedCrl } from '@mooring/pki';
import { notFound, validationError } from '../errors/service-error.js';
import { assertValidInput, blobBytes } from '../errors/validate-input.js';
import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { Crl } from './crl.js';
import type { RolesAnywhereLimits } from './limits.js';
import type { Page } from './page.js';
import { resolvePage } from './paging.js';
import { idFromArn, resourceArn } from './resource-ids.js';
import type { CrlStore, TrustAnchorStore } from './stores.js';
import { parseTags } from './tags-input.js';
import type { TrustAnchor } from './trust-anchor.js';

export interface CrlServiceDeps {
  store: CrlStore;
  trustAnchors: TrustAnchorStore;
  clock: Clock;
  random: Random;
  config: ServiceConfig;
  limits: RolesAnywhereLimits;
}

/**
 * CRL operations (service-spec §3.4, §7). A CRL is accepted only when it parses (PEM or DER) and
 * its signature verifies with a CA certificate of its trust anchor that may sign CRLs (RFC 5280
 * §6.3.3 (f),(g)): AWS documents neither check, but an unverified CRL would let anyone holding
 * ImportCrl rights deny service to any certificate, and a CRL from another CA can revoke nothing.
 */
export class CrlService {
  constructor(private readonly deps: CrlServiceDeps) {}

  async importCrl(input: Record<string, unknown>): Promise<Crl> {
    assertValidInput('ImportCrl', input);
    const taId = idFromArn(this.deps.config, 'trust-anchor', input.trustAnchorArn as string);
    const ta = taId ? await this.deps.trustAnchors.getTrustAnchor(taId) : undefined;
    if (!ta) throw notFound('Trust anchor not found');
    const tags = parseTags(input.tags, this.deps.limits.maxTagsPerResource);
    const data = blobBytes(input.crlData);
    const parsed = this.verify(data, ta);
    if ((await this.deps.store.countCrlsForTrustAnchor(ta.trustAnchorId)) >= this.deps.limits.maxCrlsPerTrustAnchor)
      throw validationError(`CRL quota exceeded: at most ${this.deps.limits.maxCrlsPerTrustAnchor} CRLs per trust anchor`, 'quota');
    const now = this.deps.clock.now();
    const id = this.deps.random.uuid();
    const crl: Crl = {
      crlId: id,
      crlArn: resourceArn(this.deps.config, 'crl', id),
      name: input.name as string,
      // Observed AWS default (service-spec §7): an imported CRL does nothing until enabled.
      enabled: input.enabled === true,
      crlData: data,
      trustAnchorArn: ta.trustAnchorArn,
      trustAnchorId: ta.trustAnchorId,
      ...facts(parsed),
      tags,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.store.insertCrl(crl);
    return crl;
  }

  async get(id: string): Promise<Crl> {
    assertValidInput('GetCrl', { crlId: id });
    const crl = await this.deps.store.getCrl(id);
    if (!crl) throw notFound('Resource not found');
    return crl;
  }

  async list(nextToken: unknown, pageSize: unknown): Promise<Page<Crl>> {
    assertValidInput('ListCrls', { nextToken, pageSize });
    return resolvePage(this.deps.limits, nextToken, pageSize, (p) => this.deps.store.listCrls(p));
  }

  /** UpdateCrl changes `name` and/or `crlData`; the trust anchor is immutable (service-spec §7). */
  async update(input: Record<string, unknown>): Promise<Crl> {
    assertValidInput('UpdateCrl', input);
    const current = await this.get(input.crlId as string);
    const next: Crl = { ...current, updatedAt: this.deps.clock.now() };
    if (input.name !== undefined) next.name = input.name as string;
    if (input.crlData !== undefined) {
      const ta = await this.deps.trustAnchors.getTrustAnchor(current.trustAnchorId);
      if (!ta) throw notFound('Trust anchor not found');
      const data = blobBytes(input.crlData);
      const f = facts(this.verify(data, ta));
      delete next.nextUpdate;
      Object.assign(next, { crlData: data }, f);
    }
    return this.save(next);
  }

  async setEnabled(id: string, enabled: boolean): Promise<Crl> {
    const current = await this.get(id);
    return this.save({ ...current, enabled, updatedAt: this.deps.clock.now() });
  }

  async delete(id: string): Promise<Crl> {
    assertValidInput('DeleteCrl', { crlId: id });
    const gone = await this.deps.store.deleteCrl(id);
    if (!gone) throw notFound('Resource not found');
    return gone;
  }

  async saveTags(crl: Crl, tags: Crl['tags']): Promise<void> {
    await this.save({ ...crl, tags });
  }

  private async save(crl: Crl): Promise<Crl> {
    const saved = await this.deps.store.saveCrl(crl);
    if (!saved) throw notFound('Resource not found');
    return saved;
  }

  private verify(data: Buffer, ta: TrustAnchor): ParsedCrl {
    const parsed = parseCrl(data);
    if (!parsed.ok) throw validationError(`Invalid CRL: ${parsed.detail}`, `crl-${parsed.reason}`);
    const cas = parseCertificatePem(ta.source.sourceData.x509CertificateData ?? '');
    const bundle = cas.ok ? cas.value : [];
    const verified = verifyCrlIssuer(parsed.value, bundle);
    // The CRL of an issuing CA below the bundle (leaves send it in X-Amz-X509-Chain) cannot be
    // verified here: it is kept, and CreateSession applies it only to certificates whose issuer
    // in the validated path signed it (RFC 5280 §6.3.3 (f)(g); revocation-checker.ts). A CRL that
    // names a bundle certificate as its issuer must verify now, as must every other check.
    const deferred = !verified.ok && verified.reason === 'issuer-not-in-anchor' && !bundle.some((c) => nameEquals(c.subject, parsed.value.issuer));
    if (!verified.ok && !deferred) throw validationError(`CRL not accepted for this trust anchor: ${verified.detail}`, `crl-${verified.reason}`);
    return parsed.value;
  }
}

function facts(crl: ParsedCrl): Pick<Crl, 'issuer' | 'thisUpdate' | 'nextUpdate' | 'revokedCount'> {
  return {
    issuer: formatName(crl.issuer),
    thisUpdate: crl.thisUpdate,
    ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate } : {}),
    revokedCount: crl.revoked.size,
  };
}
