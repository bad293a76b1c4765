import { checkTrustAnchorCertificate, parseCertificatePem } from '@mooring/pki';
import type { ParsedCertificate } from '@mooring/pki';
import { checkConstraints, PATTERNS, type Constraint } from '../errors/constraints.js';
import { notFound, validationError } from '../errors/service-error.js';
import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { RolesAnywhereLimits } from './limits.js';
import type { Page } from './page.js';
import { resolvePage } from './paging.js';
import { resourceArn } from './resource-ids.js';
import type { TrustAnchorStore } from './stores.js';
import { parseTags } from './tags-input.js';
import { defaultNotificationSettings, type SourceType, type TrustAnchor } from './trust-anchor.js';

const SOURCE_TYPES: readonly SourceType[] = ['AWS_ACM_PCA', 'CERTIFICATE_BUNDLE', 'SELF_SIGNED_REPOSITORY'];

const CREATE: readonly Constraint[] = [
  { member: 'name', required: true, min: 1, max: 255, pattern: PATTERNS.resourceName.re, patternText: PATTERNS.resourceName.text },
  { member: 'source', required: true, type: 'object' },
  { member: 'enabled', type: 'boolean' },
  { member: 'tags', type: 'list', max: 200 },
  { member: 'notificationSettings', type: 'list', max: 50 },
];

const UPDATE: readonly Constraint[] = [
  { member: 'trustAnchorId', required: true, min: 36, max: 36, pattern: PATTERNS.uuid.re, patternText: PATTERNS.uuid.text },
  { member: 'name', min: 1, max: 255, pattern: PATTERNS.resourceName.re, patternText: PATTERNS.resourceName.text },
  { member: 'source', type: 'object' },
];

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
    const invalid = checkConstraints(input, CREATE);
    if (invalid) throw invalid;
    const source = this.parseSource(input.source);
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
      notificationSettings: defaultNotificationSettings(),
      tags: parseTags(input.tags),
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
    return resolvePage(this.deps.limits, nextToken, pageSize, (p) => this.deps.store.listTrustAnchors(p));
  }

  async update(input: Record<string, unknown>): Promise<TrustAnchor> {
    const invalid = checkConstraints(input, UPDATE);
    if (invalid) throw invalid;
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

  async delete(id: string): Promise<TrustAnchor> {
    this.checkId(id);
    const gone = await this.deps.store.deleteTrustAnchor(id);
    if (!gone) throw notFound('Resource not found');
    return gone;
  }

  private async save(ta: TrustAnchor): Promise<TrustAnchor> {
    const saved = await this.deps.store.saveTrustAnchor(ta);
    if (!saved) throw notFound('Resource not found');
    return saved;
  }

  private checkId(id: string): void {
    const invalid = checkConstraints({ trustAnchorId: id }, [UPDATE[0]!]);
    if (invalid) throw invalid;
  }

  private parseSource(raw: unknown): TrustAnchor['source'] {
    const src = raw as Record<string, unknown>;
    const sourceData = (src.sourceData ?? {}) as Record<string, unknown>;
    const invalid = checkConstraints(
      { 'source.sourceType': src.sourceType, 'source.sourceData': src.sourceData },
      [
        { member: 'source.sourceType', enum: SOURCE_TYPES },
        { member: 'source.sourceData', type: 'object', required: true },
      ],
    );
    if (invalid) throw invalid;
    const type = (src.sourceType ?? 'CERTIFICATE_BUNDLE') as SourceType;
    const members = Object.keys(sourceData).filter((k) => sourceData[k] !== undefined && sourceData[k] !== null);
    // sourceData is a union: exactly one member (botocore model).
    if (members.length !== 1) throw validationError('Exactly one member of sourceData must be set');
    if (type !== 'CERTIFICATE_BUNDLE') {
      // We cannot reach AWS Private CA, and SELF_SIGNED_REPOSITORY is undocumented (service-spec §3.1).
      throw validationError(`Unsupported sourceType ${type}: this deployment accepts CERTIFICATE_BUNDLE trust anchors`);
    }
    const pem = sourceData.x509CertificateData;
    const bad = checkConstraints(
      { 'source.sourceData.x509CertificateData': pem },
      [{ member: 'source.sourceData.x509CertificateData', required: true, min: 1, max: 16000 }],
    );
    if (bad) throw bad;
    this.parseBundle(pem as string);
    return { sourceType: type, sourceData: { x509CertificateData: pem as string } };
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
