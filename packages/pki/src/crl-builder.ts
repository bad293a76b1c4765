// CRL building (RFC 5280 §5) for tests, the demo and PKI tooling: always a v2 CRL with an
// authorityKeyIdentifier and a cRLNumber, the two extensions §5.2 says conforming issuers MUST include.
import { sign as cryptoSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { keyIdentifier, signatureAlgorithmFor } from './builder.js';
import type { ExternalSigner } from './builder.js';
import type { ParsedCertificate } from './certificate.js';
import {
  derBitString, derBoolean, derExplicit, derImplicitPrimitive, derInteger, derOctetString, derOid, derSequence, derTime, derUnsignedInteger, tlv,
} from './der/der-writer.js';
import { CrlExtensionOid } from './oids.js';

export interface CrlEntrySpec {
  /** bigint, unsigned magnitude bytes, or hex (colons and a 0x prefix allowed). */
  serial: bigint | Buffer | string;
  revocationDate: Date;
  /** RFC 5280 §5.3.1 CRLReason (0..10 except 7). 0 (unspecified) is omitted, as §5.3.1 recommends. */
  reason?: number;
}

export interface CrlTemplate {
  issuer: { cert: ParsedCertificate; key: KeyObject };
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked: CrlEntrySpec[];
  /** Default: thisUpdate in whole seconds since the epoch, so successive CRLs get increasing numbers (§5.2.3). */
  crlNumber?: bigint;
  /** Default sha256 (ignored for Ed25519 keys). */
  hash?: 'sha256' | 'sha384' | 'sha512';
  /** Appended after AKI and cRLNumber (negative tests: delta, indirect or unknown critical extensions). */
  extraExtensions?: Array<{ oid: string; critical: boolean; valueDer: Buffer }>;
}

const ENUMERATED = 0x0a;

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  // critical is BOOLEAN DEFAULT FALSE: DER omits the default (X.690 §11.5).
  return derSequence(critical ? [derOid(oid), derBoolean(true), derOctetString(value)] : [derOid(oid), derOctetString(value)]);
}

function serialInteger(serial: CrlEntrySpec['serial']): Buffer {
  if (typeof serial === 'bigint') return derInteger(serial);
  if (Buffer.isBuffer(serial)) return derUnsignedInteger(serial);
  const hex = serial.replace(/^0x/i, '').replaceAll(':', '');
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw new Error(`invalid hex serial: ${serial}`);
  return derUnsignedInteger(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
}

function entry(e: CrlEntrySpec): Buffer {
  const fields = [serialInteger(e.serial), derTime(e.revocationDate)];
  if (e.reason !== undefined) {
    if (!Number.isInteger(e.reason) || e.reason < 0 || e.reason > 10 || e.reason === 7) throw new Error(`invalid CRL reason code ${e.reason}`);
    if (e.reason !== 0) fields.push(derSequence([extension(CrlExtensionOid.reasonCode, false, tlv(ENUMERATED, Buffer.from([e.reason])))]));
  }
  return derSequence(fields);
}

/** A CRL template whose issuer signs through an ExternalSigner (its key is not a KeyObject). */
export type ExternallySignedCrlTemplate = Omit<CrlTemplate, 'issuer'> & { issuer: { cert: ParsedCertificate } };

function tbsCertList(opts: ExternallySignedCrlTemplate, alg: Buffer): Buffer {
  const { cert } = opts.issuer;
  // §5.2.1: AKI keyIdentifier = the issuer's SKI (computed by method (1) when the certificate has none).
  const aki = cert.subjectKeyId ?? keyIdentifier(cert.spki);
  const crlNumber = opts.crlNumber ?? BigInt(Math.floor(opts.thisUpdate.getTime() / 1000));
  if (crlNumber < 0n) throw new Error('crlNumber must be non-negative');
  const extensions = [
    extension(CrlExtensionOid.authorityKeyIdentifier, false, derSequence([derImplicitPrimitive(0, aki)])),
    extension(CrlExtensionOid.cRLNumber, false, derInteger(crlNumber)),
    ...(opts.extraExtensions ?? []).map((e) => extension(e.oid, e.critical, e.valueDer)),
  ];
  // §5.1.2.4/§5.1.2.5: UTCTime through 2049, GeneralizedTime after (derTime does both).
  const fields: Buffer[] = [derInteger(1), alg, cert.subject.der, derTime(opts.thisUpdate)];
  if (opts.nextUpdate) fields.push(derTime(opts.nextUpdate));
  // §5.1.2.6: when there are no revoked certificates the list MUST be absent, not empty.
  if (opts.revoked.length > 0) fields.push(derSequence(opts.revoked.map(entry)));
  fields.push(derExplicit(0, [derSequence(extensions)]));
  return derSequence(fields);
}

/** Builds and signs a v2 CRL issued by `issuer`; returns its DER (wrap with toPem('X509 CRL', …) for PEM). */
export function buildCrl(opts: CrlTemplate): Buffer {
  const { alg, digest } = signatureAlgorithmFor(opts.issuer.key, opts.hash ?? 'sha256');
  const tbs = tbsCertList(opts, alg);
  return derSequence([tbs, alg, derBitString(cryptoSign(digest, tbs, opts.issuer.key))]);
}

/** Like buildCrl, but the TBSCertList is signed by `signer` (e.g. a CA key on a PKCS#11 token). */
export async function buildCrlWithSigner(opts: ExternallySignedCrlTemplate, signer: ExternalSigner): Promise<Buffer> {
  const hash = opts.hash ?? 'sha256';
  const { alg, digest } = signatureAlgorithmFor(signer.publicKey, hash);
  if (digest === null) throw new Error('external signers support RSA and ECDSA keys only');
  const tbs = tbsCertList(opts, alg);
  return derSequence([tbs, alg, derBitString(await signer.sign(tbs, hash))]);
}
