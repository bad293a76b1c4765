import { checkTrustAnchorCertificate, parseCertificatePem } from '@mooring/pki';
import type { ParsedCertificate } from '@mooring/pki';
import { notFound, validationError } from '../errors/service-error.js';
import { assertValidInput } from '../errors/validate-input.js';
import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { RolesAnywhereLimits } from './limits.js';
import type { Page } from './page.js';
import { resolvePage } from './paging.js';
import { resourceArn } from './resource-ids.js';
import type { TrustAnchorStore } from './stores.js';
import { applyNotificationSettings, resetNotificationSettings } from './notification-settings.js';
import { parseTags } from './tags-input.js';
import { defaultNotificationSettings, type SourceType, type TrustAnchor } from './trust-anchor.js';

const SOURCE_TYPES: readonly SourceType[] = ['AWS_ACM_PCA', 'CERTIFICATE_BUNDLE', 'SELF_SIGNED_REPOSITORY'];

export interface TrustAnchorServiceDeps {
  store: TrustAnchorStore;
  clock: Clock;
  random: Random;
  config: ServiceConfig;
  limits: RolesAnywhereLimits;
}

/** Trust-anchor operations of the control plane (service-spec §3.1). */
export class TrustAnchorService {
  constructor(private readonly deps: TrustAnchorServiceDeps) {}

  async create(input: Record<string, unknown>): Promise<TrustAnchor> {
    assertValidInput('CreateTrustAnchor', input);
    const source = this.parseSource(input.source);
    const tags = parseTags(input.tags, this.deps.limits.maxTagsPerResource);
    if ((await this.deps.store.countTrustAnchors()) >= this.deps.limits.maxTrustAnchors)
      throw validationError(`Trust anchor quota exceeded: at most ${this.deps.limits.maxTrustAnchors} trust anchors`, 'quota');
    const now = this.deps.clock.now();
    const id = this.deps.random.uuid();
    const ta: TrustAnchor = {
      trustAnchorId: id,
      trustAnchorArn: resourceArn(this.deps.config, 'trust-anchor', id),
      name: input.name as string,
      // Undocumented default; we follow ImportCrl's observed `false` (service-spec §3.1, §14.1).
      enabled: input.enabled === true,
      source,
      notificationSettings: applyNotificationSettings(defaultNotificationSettings(), input.notificationSettings, this.deps.config.accountId),
      tags,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.store.insertTrustAnchor(ta);
    return ta;
  }

  async get(id: string): Promise<TrustAnchor> {
    this.checkId(id);
    const ta = await this.deps.store.getTrustAnchor(id);
    if (!ta) throw notFound('Resource not found');
    return ta;
  }

  async list(nextToken: unknown, pageSize: unknown): Promise<Page<TrustAnchor>> {
    assertValidInput('ListTrustAnchors', { nextToken, pageSize });
    return resolvePage(this.deps.limits, nextToken, pageSize, (p) => this.deps.store.listTrustAnchors(p));
  }

  async update(input: Record<string, unknown>): Promise<TrustAnchor> {
    assertValidInput('UpdateTrustAnchor', input);
    const current = await this.get(input.trustAnchorId as string);
    const next: TrustAnchor = { ...current, updatedAt: this.deps.clock.now() };
    if (input.name !== undefined) next.name = input.name as string;
    if (input.source !== undefined) next.source = this.parseSource(input.source);
    return this.save(next);
  }

  async setEnabled(id: string, enabled: boolean): Promise<TrustAnchor> {
    const current = await this.get(id);
    return this.save({ ...current, enabled, updatedAt: this.deps.clock.now() });
  }

  /** Deletes the anchor and, in the same transaction, its CRLs (our cascade, service-spec §14.13). */
  async delete(id: string): Promise<TrustAnchor> {
    this.checkId(id);
    const gone = await this.deps.store.deleteTrustAnchor(id);
    if (!gone) throw notFound('Resource not found');
    return gone;
  }

  /** PutNotificationSettings: upsert by (event, channel); configuredBy = account id (§3.6). */
  async putNotificationSettings(input: Record<string, unknown>): Promise<TrustAnchor> {
    assertValidInput('PutNotificationSettings', input);
    const current = await this.get(input.trustAnchorId as string);
    const notificationSettings = applyNotificationSettings(current.notificationSettings, input.notificationSettings, this.deps.config.accountId);
    return this.save({ ...current, notificationSettings, updatedAt: this.deps.clock.now() });
  }

  /** ResetNotificationSettings: the named keys go back to the service defaults (§3.6). */
  async resetNotificationSettings(input: Record<string, unknown>): Promise<TrustAnchor> {
    assertValidInput('ResetNotificationSettings', input);
    const current = await this.get(input.trustAnchorId as string);
    const notificationSettings = resetNotificationSettings(current.notificationSettings, input.notificationSettingKeys);
    return this.save({ ...current, notificationSettings, updatedAt: this.deps.clock.now() });
  }

  /**
   * Replaces the resource tags. `updatedAt` is left alone: tags are not part of the detail shape,
   * and a tag change must not invalidate the CreateSession anchor cache keyed on it.
   */
  async saveTags(ta: TrustAnchor, tags: TrustAnchor['tags']): Promise<void> {
    await this.save({ ...ta, tags });
  }

  private async save(ta: TrustAnchor): Promise<TrustAnchor> {
    const saved = await this.deps.store.saveTrustAnchor(ta);
    if (!saved) throw notFound('Resource not found');
    return saved;
  }

  private checkId(id: string): void {
    assertValidInput('GetTrustAnchor', { trustAnchorId: id });
  }

  /** `source` has passed the model check (sourceData is a union: exactly one member). */
  private parseSource(raw: unknown): TrustAnchor['source'] {
    const src = raw as { sourceType?: SourceType; sourceData?: { x509CertificateData?: string } };
    const type = src.sourceType ?? 'CERTIFICATE_BUNDLE';
    if (type !== 'CERTIFICATE_BUNDLE' || !SOURCE_TYPES.includes(type)) {
      // We cannot reach AWS Private CA, and SELF_SIGNED_REPOSITORY is undocumented (service-spec §3.1).
      throw validationError(`Unsupported sourceType ${type}: this deployment accepts CERTIFICATE_BUNDLE trust anchors`);
    }
    const pem = src.sourceData?.x509CertificateData;
    if (pem === undefined) throw validationError('A CERTIFICATE_BUNDLE trust anchor needs sourceData.x509CertificateData');
    this.parseBundle(pem);
    return { sourceType: type, sourceData: { x509CertificateData: pem } };
  }

  /** Bundle rules: PEM CA certificates, at most 2 (service-spec §3.1, §11), each a valid CA (§5). */
  parseBundle(pem: string): ParsedCertificate[] {
    const parsed = parseCertificatePem(pem);
    if (!parsed.ok || parsed.value.length === 0) throw validationError('Invalid certificate bundle: no parsable PEM certificate', 'bad-bundle');
    const certs = parsed.value;
    if (certs.length > this.deps.limits.maxCertificatesPerTrustAnchor)
      throw validationError(`A trust anchor may hold at most ${this.deps.limits.maxCertificatesPerTrustAnchor} CA certificates`, 'quota');
    for (const c of certs) {
      const ok = checkTrustAnchorCertificate(c);
      if (!ok.ok) {
        // The observed AWS message for both missing CA:TRUE and missing keyCertSign (service-spec §3.1).
        if (ok.reason === 'issuer-not-ca' || ok.reason === 'issuer-missing-key-cert-sign' || ok.reason === 'not-v3')
          throw validationError('Incorrect basic constraints for CA certificate', ok.reason);
        throw validationError(`Unsupported CA certificate: ${ok.detail}`, ok.reason);
      }
    }
    return certs;
  }
}
