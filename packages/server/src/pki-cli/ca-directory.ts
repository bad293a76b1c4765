// The on-disk CA directory written by `mooring pki init-ca` and used by issue/revoke/crl:
//   ca-cert.pem, ca-key.pem (0600), [intermediate-cert.pem, intermediate-key.pem (0600), ca-bundle.pem],
//   index.json (every certificate issued, revocations, last CRL number), serial (next serial, hex).
// A CA whose key is on a PKCS#11 token has ca-key-pkcs11.json (the key URI, never a PIN) instead of
// ca-key.pem (likewise intermediate-key-pkcs11.json).
import { createPrivateKey, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificatePem } from '@mooring/pki';
import type { ParsedCertificate } from '@mooring/pki';
import { fileCaSigner, tokenCaSigner } from './ca-signer.js';
import type { CaSigner, TokenAccess } from './ca-signer.js';
import { PkiCommandError, replaceFile, writeNewFile } from './pki-io.js';

/** RFC 5280 §5.3.1 CRLReason names (value = the ENUMERATED code). 7 is unused by the RFC. */
export const REVOCATION_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASONS;

export type IssuerRole = 'root' | 'intermediate';

export interface IndexEntry {
  /** Lowercase hex magnitude, even length: the same form as the CreateSession session name. */
  serial: string;
  subject: string;
  kind: 'ca' | 'leaf';
  /** Which CA of this directory signed it ('root' for the root itself). */
  issuedBy: IssuerRole;
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  fingerprint256: string;
  revokedAt?: string;
  reason?: RevocationReason;
}

export interface CaIndex {
  version: 1;
  /** The last cRLNumber used (RFC 5280 §5.2.3: monotonically increasing per issuer); 0 = none yet. */
  crlNumbers: Record<IssuerRole, number>;
  certificates: IndexEntry[];
}

export const CA_FILES = {
  rootCert: 'ca-cert.pem',
  rootKey: 'ca-key.pem',
  rootKeyRef: 'ca-key-pkcs11.json',
  intermediateKeyRef: 'intermediate-key-pkcs11.json',
  intermediateCert: 'intermediate-cert.pem',
  intermediateKey: 'intermediate-key.pem',
  index: 'index.json',
  serial: 'serial',
  bundle: 'ca-bundle.pem',
  rootCrl: 'ca-crl.pem',
  intermediateCrl: 'intermediate-crl.pem',
} as const;

/** A CA certificate with the signer of its private key (a file key, or a key on a token). */
export interface LoadedCa {
  role: IssuerRole;
  cert: ParsedCertificate;
  pem: string;
  signer: CaSigner;
}

/** The content of ca-key-pkcs11.json: where the key is, never how to unlock it. */
export interface TokenKeyRef {
  /** RFC 7512 URI without pin-value. */
  uri: string;
  /** The PKCS#11 module given at init-ca (--pkcs11-lib), if any. */
  module?: string;
}

/** Removes pin-value from a PKCS#11 URI so it can be written to disk (RFC 7512 §2.4 query attribute). */
export function uriWithoutPin(uri: string): string {
  const q = uri.indexOf('?');
  if (q < 0) return uri;
  const kept = uri.slice(q + 1).split('&').filter((a) => a !== '' && !a.startsWith('pin-value='));
  return kept.length ? `${uri.slice(0, q)}?${kept.join('&')}` : uri.slice(0, q);
}

/** Canonical serial form: lowercase hex without separators or leading zero octets, even length. */
export function normalizeSerial(input: string): string {
  const hex = input.trim().replace(/^0x/i, '').replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) throw new PkiCommandError(`"${input}" is not a hexadecimal serial number`);
  let v = BigInt(`0x${hex}`).toString(16);
  if (v.length % 2) v = `0${v}`;
  return v;
}

export class CaDirectory {
  constructor(readonly dir: string) {}

  path(name: keyof typeof CA_FILES): string {
    return join(this.dir, CA_FILES[name]);
  }

  get hasIntermediate(): boolean {
    return existsSync(this.path('intermediateCert'));
  }

  /** Fails with a clear message when DIR is not a CA directory. */
  assertInitialised(): void {
    const keyFile = existsSync(this.path('rootKeyRef')) ? 'rootKeyRef' : 'rootKey';
    for (const f of ['rootCert', keyFile, 'index', 'serial'] as const) {
      if (!existsSync(this.path(f))) throw new PkiCommandError(`${this.dir} is not a mooring CA directory (missing ${CA_FILES[f]}); run "mooring pki init-ca --dir ${this.dir}" first`);
    }
  }

  /** Creates index.json and serial. The first serial is random (63 bits) so a re-created CA does not reuse serials. */
  initialiseState(): void {
    const first = randomBytes(8);
    first[0] = (first[0]! & 0x3f) | 0x10; // positive, 16 hex digits
    writeNewFile(this.path('serial'), `${first.toString('hex')}\n`);
    const index: CaIndex = { version: 1, crlNumbers: { root: 0, intermediate: 0 }, certificates: [] };
    writeNewFile(this.path('index'), `${JSON.stringify(index, null, 2)}\n`);
  }

  readIndex(): CaIndex {
    const raw = JSON.parse(readFileSync(this.path('index'), 'utf8')) as Partial<CaIndex>;
    if (raw.version !== 1 || !Array.isArray(raw.certificates) || typeof raw.crlNumbers !== 'object') {
      throw new PkiCommandError(`${this.path('index')} is not a mooring CA index (version 1)`);
    }
    return raw as CaIndex;
  }

  writeIndex(index: CaIndex): void {
    replaceFile(this.path('index'), `${JSON.stringify(index, null, 2)}\n`);
  }

  /** Returns the next serial and advances the counter (like openssl ca's `serial` file). */
  allocateSerial(): bigint {
    const text = readFileSync(this.path('serial'), 'utf8').trim();
    if (!/^[0-9a-fA-F]+$/.test(text)) throw new PkiCommandError(`${this.path('serial')} does not hold a hexadecimal serial`);
    const serial = BigInt(`0x${text}`);
    // RFC 5280 §4.1.2.2: positive, at most 20 octets.
    if (serial <= 0n || serial >= 1n << 159n) throw new PkiCommandError(`${this.path('serial')} holds an out-of-range serial`);
    let next = (serial + 1n).toString(16);
    if (next.length % 2) next = `0${next}`;
    replaceFile(this.path('serial'), `${next}\n`);
    return serial;
  }

  record(entry: IndexEntry): void {
    const index = this.readIndex();
    index.certificates.push(entry);
    this.writeIndex(index);
  }

  /** The token key reference of a CA, when its key is on a PKCS#11 token. */
  tokenKeyRef(role: IssuerRole): TokenKeyRef | undefined {
    const path = this.path(role === 'root' ? 'rootKeyRef' : 'intermediateKeyRef');
    if (!existsSync(path)) return undefined;
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<TokenKeyRef>;
    if (typeof raw.uri !== 'string' || !raw.uri.startsWith('pkcs11:')) throw new PkiCommandError(`${path} does not hold a pkcs11: key URI`);
    return { uri: raw.uri, ...(typeof raw.module === 'string' ? { module: raw.module } : {}) };
  }

  /**
   * Loads a CA certificate and opens its key: the PKCS#8 file, or the token key (which must match
   * the certificate: the helper's code signs a probe and verifies it with the certificate's key).
   */
  async loadCa(role: IssuerRole, access: TokenAccess = { env: process.env }): Promise<LoadedCa> {
    const certPath = this.path(role === 'root' ? 'rootCert' : 'intermediateCert');
    const pem = readFileSync(certPath, 'utf8');
    const parsed = parseCertificatePem(pem);
    if (!parsed.ok || parsed.value.length !== 1) throw new PkiCommandError(`${certPath}: expected exactly one certificate${parsed.ok ? '' : ` (${parsed.detail})`}`);
    const cert = parsed.value[0] as ParsedCertificate;
    const ref = this.tokenKeyRef(role);
    if (ref) {
      const module = access.pkcs11Lib ?? ref.module;
      return { role, cert, pem, signer: await tokenCaSigner(ref.uri, { ...access, ...(module !== undefined ? { pkcs11Lib: module } : {}) }, certPath) };
    }
    const keyPath = this.path(role === 'root' ? 'rootKey' : 'intermediateKey');
    let key: KeyObject;
    try {
      key = createPrivateKey(readFileSync(keyPath));
    } catch {
      // Never echo key material: only the path.
      throw new PkiCommandError(`${keyPath}: not a readable unencrypted private key`);
    }
    return { role, cert, pem, signer: fileCaSigner(key, keyPath) };
  }

  /** The CA that signs leaves and CRLs: the intermediate when there is one, else the root. */
  loadIssuingCa(access?: TokenAccess): Promise<LoadedCa> {
    return this.loadCa(this.hasIntermediate ? 'intermediate' : 'root', access);
  }
}

export function indexEntry(cert: ParsedCertificate, kind: IndexEntry['kind'], issuedBy: IssuerRole, formatted: string, now: Date): IndexEntry {
  return {
    serial: cert.serialHex,
    subject: formatted,
    kind,
    issuedBy,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    issuedAt: now.toISOString(),
    fingerprint256: cert.fingerprint256,
  };
}
