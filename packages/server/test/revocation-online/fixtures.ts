// Shared PKI and fakes for the online revocation tests: a root, an intermediate, leaves with CDP
// and AIA OCSP URLs, a trust anchor record, and a scripted in-memory fetcher.
import {
  authorityInfoAccessExtension, buildCrl, buildOcspResponse, createCertificateAuthority, derExplicit, derImplicitPrimitive, derSequence,
  issueLeafCertificate, ocspCertId, parseOcspRequest,
} from '@mooring/pki';
import type { IssuedCertificate, OcspCertStatus } from '@mooring/pki';
import type { FetchResult, RevocationFetcher } from '../../src/core/revocation-online/revocation-fetcher.js';
import type { Random } from '../../src/core/ports/random.js';
import type { CrlStore } from '../../src/core/roles-anywhere/stores.js';
import type { ResourceTag } from '../../src/core/roles-anywhere/tag.js';
import type { TrustAnchor } from '../../src/core/roles-anywhere/trust-anchor.js';

export const DAY = 86_400_000;
export const MIN = 60_000;

export function pki(base: string, now: Date, opts: { crlUrl?: string; ocspUrl?: string } = {}) {
  const validity = { notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 300 * DAY) };
  const root = createCertificateAuthority({ subject: [['CN', 'Online Root']], ...validity });
  const crlUrl = opts.crlUrl ?? `${base}/crl`;
  const ocspUrl = opts.ocspUrl ?? `${base}/ocsp`;
  const leaf = (cn: string, ca: IssuedCertificate = root, serial?: bigint) => issueLeafCertificate(ca, {
    subject: [['CN', cn]], ...validity, ...(serial !== undefined ? { serial } : {}),
    extraExtensions: [
      // CRLDistributionPoints as buildCertificate writes it, via extraExtensions (issueLeafCertificate has no CDP option).
      cdpExtension(crlUrl),
      authorityInfoAccessExtension([ocspUrl]),
    ],
  });
  return { root, leaf, validity, crlUrl, ocspUrl };
}

export function cdpExtension(uri: string) {
  // RFC 5280 §4.2.1.13: DistributionPoint { distributionPoint [0] { fullName [0] GeneralNames { [6] URI } } }.
  const dp = derSequence([derExplicit(0, [derExplicit(0, [derImplicitPrimitive(6, Buffer.from(uri, 'latin1'))])])]);
  return { oid: '2.5.29.31', critical: false, valueDer: derSequence([dp]) };
}

export function crlOf(ca: IssuedCertificate, revokedSerials: string[], thisUpdate: Date, nextUpdate: Date): Buffer {
  return buildCrl({ issuer: { cert: ca.cert, key: ca.key }, thisUpdate, nextUpdate, revoked: revokedSerials.map((serial) => ({ serial, revocationDate: thisUpdate })) });
}

/** An OCSP answer for the request `body`, signed by `signer` (the CA, or a forger). */
export function ocspAnswer(body: Buffer, ca: IssuedCertificate, status: (serialHex: string) => OcspCertStatus, now: Date, signer: IssuedCertificate = ca): Buffer {
  const req = parseOcspRequest(body);
  return buildOcspResponse({
    signer: { cert: signer.cert, key: signer.key },
    producedAt: now,
    responses: req.certIds.map((id) => ({
      certId: ocspCertId(ca.cert, id.serialHex),
      status: status(id.serialHex),
      thisUpdate: new Date(now.getTime() - MIN),
      nextUpdate: new Date(now.getTime() + 60 * MIN),
      ...(status(id.serialHex) === 'revoked' ? { revocationTime: new Date(now.getTime() - DAY) } : {}),
    })),
    ...(req.nonce ? { nonce: req.nonce } : {}),
  });
}

/** A fetcher driven by handlers, counting calls per URL. */
export class ScriptedFetcher implements RevocationFetcher {
  calls: string[] = [];
  crl: (url: string) => Promise<FetchResult> | FetchResult = () => ({ ok: false, reason: 'network', detail: 'ECONNREFUSED' });
  ocsp: (url: string, body: Buffer) => Promise<FetchResult> | FetchResult = () => ({ ok: false, reason: 'network', detail: 'ECONNREFUSED' });
  async fetchCrl(url: string): Promise<FetchResult> {
    this.calls.push(`GET ${url}`);
    return this.crl(url);
  }
  async postOcsp(url: string, body: Buffer): Promise<FetchResult> {
    this.calls.push(`POST ${url}`);
    return this.ocsp(url, body);
  }
}

export const fixedRandom: Random = { bytes: (n) => Buffer.alloc(n, 7), uuid: () => '00000000-0000-4000-8000-000000000000' };

export function trustAnchor(bundlePem: string, tags: ResourceTag[], updatedAt = new Date(0)): TrustAnchor {
  return {
    trustAnchorId: 'ta1', trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/ta1', name: 'ta', enabled: true,
    source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: bundlePem } }, notificationSettings: [], tags, createdAt: updatedAt, updatedAt,
  };
}

/** No imported CRLs. */
export const emptyCrlStore = { enabledCrlVersions: async () => [], getCrl: async () => undefined } as unknown as CrlStore;
