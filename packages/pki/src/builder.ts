// Certificate building (RFC 5280 §4.1) for dev CAs, tests and the demo. Dates are always explicit
// so generated PKI is reproducible apart from keys and default serials.
import { createHash, generateKeyPairSync, randomBytes, sign as cryptoSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { DerCursor, Tag, decodeBitString, readTopLevel } from './der/der-reader.js';
import {
  derBitString, derBoolean, derExplicit, derImplicitPrimitive, derInteger, derNull, derOctetString, derOid, derSequence, derTime, derUnsignedInteger,
} from './der/der-writer.js';
import { encodeGeneralName, encodeGeneralNames } from './general-name.js';
import type { GeneralNameSpec } from './general-name.js';
import { KEY_USAGE_BITS } from './extensions.js';
import { buildName } from './name.js';
import type { NameSpec } from './name.js';
import { ExtKeyUsageOid, ExtensionOid } from './oids.js';

export type KeySpec = 'rsa2048' | 'rsa3072' | 'rsa4096' | 'rsa1024' | 'p256' | 'p384' | 'p521';

export function generateKeyPair(spec: KeySpec): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (spec) {
    case 'rsa1024':
    case 'rsa2048':
    case 'rsa3072':
    case 'rsa4096':
      return generateKeyPairSync('rsa', { modulusLength: Number(spec.slice(3)), publicExponent: 0x10001 });
    case 'p256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'p521':
      return generateKeyPairSync('ec', { namedCurve: 'P-521' });
  }
}

export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

export interface CertificateTemplate {
  /** Certificate order, e.g. [['C','US'],['O','Example'],['CN','myContainer']]; short name or dotted OID. */
  subject: NameSpec;
  /** Default: the subject (self-signed). */
  issuer?: NameSpec;
  /** Exact issuer Name DER (e.g. the issuing CA's `subject.der`); overrides `issuer`. */
  issuerDer?: Buffer;
  /** Default: 16 random bytes, positive. A Buffer is the unsigned magnitude. */
  serial?: bigint | Buffer;
  notBefore: Date;
  notAfter: Date;
  publicKey: KeyObject;
  /** The issuer's private key. */
  signingKey: KeyObject;
  /** Default sha256 (ignored for Ed25519 signing keys). */
  hash?: 'sha1' | 'sha256' | 'sha384' | 'sha512';
  /** Default 3; 1 produces a certificate without extensions (negative tests). */
  version?: 1 | 3;
  basicConstraints?: { ca: boolean; pathLen?: number; critical?: boolean };
  keyUsage?: KeyUsageName[];
  /** Default true. */
  keyUsageCritical?: boolean;
  extKeyUsage?: Array<'clientAuth' | 'serverAuth' | string>;
  subjectAltNames?: GeneralNameSpec[];
  /** Default true: add an RFC 5280 §4.2.1.2 method (1) key identifier. */
  subjectKeyId?: boolean;
  /** AKI keyIdentifier; default: the certificate's own SKI when self-issued, otherwise none. */
  authorityKeyId?: Buffer;
  crlDistributionPoints?: string[];
  extraExtensions?: Array<{ oid: string; critical: boolean; valueDer: Buffer }>;
}

const RSA_SIG_OIDS = { sha1: '1.2.840.113549.1.1.5', sha256: '1.2.840.113549.1.1.11', sha384: '1.2.840.113549.1.1.12', sha512: '1.2.840.113549.1.1.13' };
const ECDSA_SIG_OIDS = { sha1: '1.2.840.10045.4.1', sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3', sha512: '1.2.840.10045.4.3.4' };

/** AlgorithmIdentifier for the signing key: RFC 4055 §5 (RSA: NULL params), RFC 5758 §3.2 (ECDSA: absent), RFC 8410 §3. */
export function signatureAlgorithmFor(key: KeyObject, hash: NonNullable<CertificateTemplate['hash']>): { alg: Buffer; digest: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { alg: derSequence([derOid(RSA_SIG_OIDS[hash]), derNull()]), digest: hash };
    case 'ec':
      return { alg: derSequence([derOid(ECDSA_SIG_OIDS[hash])]), digest: hash };
    case 'ed25519':
      return { alg: derSequence([derOid('1.3.101.112')]), digest: null };
    default:
      throw new Error(`unsupported signing key type ${key.asymmetricKeyType ?? 'unknown'}`);
  }
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value. */
export function keyIdentifier(spkiDer: Buffer): Buffer {
  const spki = DerCursor.inside(readTopLevel(spkiDer));
  spki.next(Tag.SEQUENCE);
  const { data } = decodeBitString(spki.next(Tag.BIT_STRING));
  return createHash('sha1').update(data).digest();
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  // critical is BOOLEAN DEFAULT FALSE: DER omits the default (X.690 §11.5).
  return derSequence(critical ? [derOid(oid), derBoolean(true), derOctetString(value)] : [derOid(oid), derOctetString(value)]);
}

/** RFC 5280 §4.2.1.3: named bits with trailing zero bits removed (X.690 §11.2.2). */
function encodeKeyUsage(names: readonly KeyUsageName[]): Buffer {
  let bits = 0;
  for (const n of names) bits |= 0x80 >> KEY_USAGE_BITS.indexOf(n);
  if (bits === 0) return derBitString(Buffer.alloc(0));
  let unused = 0;
  while (((bits >> unused) & 1) === 0) unused++;
  return derBitString(Buffer.from([bits]), unused);
}

function defaultSerial(): Buffer {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x40; // positive and exactly 16 octets (RFC 5280 §4.1.2.2)
  return b;
}

function buildExtensions(t: UnsignedCertificateTemplate, spki: Buffer, selfIssued: boolean): Buffer[] {
  const exts: Buffer[] = [];
  if (t.basicConstraints) {
    const bc = t.basicConstraints;
    const fields: Buffer[] = [];
    if (bc.ca) fields.push(derBoolean(true));
    if (bc.pathLen !== undefined) fields.push(derInteger(bc.pathLen));
    exts.push(extension(ExtensionOid.basicConstraints, bc.critical ?? true, derSequence(fields)));
  }
  if (t.keyUsage) exts.push(extension(ExtensionOid.keyUsage, t.keyUsageCritical ?? true, encodeKeyUsage(t.keyUsage)));
  if (t.extKeyUsage) {
    const oids = t.extKeyUsage.map((u) => (u in ExtKeyUsageOid ? ExtKeyUsageOid[u as keyof typeof ExtKeyUsageOid] : u));
    exts.push(extension(ExtensionOid.extKeyUsage, false, derSequence(oids.map(derOid))));
  }
  if (t.subjectAltNames && t.subjectAltNames.length > 0) {
    // RFC 5280 §4.2.1.6: critical when the subject is empty.
    exts.push(extension(ExtensionOid.subjectAltName, t.subject.length === 0, encodeGeneralNames(t.subjectAltNames)));
  }
  const ski = t.subjectKeyId === false ? undefined : keyIdentifier(spki);
  if (ski) exts.push(extension(ExtensionOid.subjectKeyIdentifier, false, derOctetString(ski)));
  const aki = t.authorityKeyId ?? (selfIssued ? ski : undefined);
  if (aki) exts.push(extension(ExtensionOid.authorityKeyIdentifier, false, derSequence([derImplicitPrimitive(0, aki)])));
  if (t.crlDistributionPoints && t.crlDistributionPoints.length > 0) {
    // DistributionPoint { distributionPoint [0] { fullName [0] GeneralNames } } (RFC 5280 §4.2.1.13).
    const points = t.crlDistributionPoints.map((uri) => derSequence([derExplicit(0, [derExplicit(0, [encodeGeneralName({ uri })])])]));
    exts.push(extension(ExtensionOid.crlDistributionPoints, false, derSequence(points)));
  }
  for (const e of t.extraExtensions ?? []) exts.push(extension(e.oid, e.critical, e.valueDer));
  return exts;
}

/** A template without its signing key, for certificates signed elsewhere (an HSM, a PKCS#11 token). */
export type UnsignedCertificateTemplate = Omit<CertificateTemplate, 'signingKey'>;

/**
 * A signer whose private key is not a KeyObject (e.g. it never leaves a PKCS#11 token). `sign`
 * returns the signature exactly as it goes into the BIT STRING: RSA PKCS#1 v1.5 bytes, or for ECDSA
 * the DER Ecdsa-Sig-Value (RFC 3279 §2.2.3, RFC 5758 §3.2), not the raw r||s of PKCS#11.
 */
export interface ExternalSigner {
  /** The signer's public key: selects the signature AlgorithmIdentifier. */
  publicKey: KeyObject;
  sign(tbs: Buffer, hash: NonNullable<CertificateTemplate['hash']>): Promise<Buffer>;
}

function tbsCertificate(t: UnsignedCertificateTemplate, alg: Buffer): Buffer {
  const version = t.version ?? 3;
  const spki = t.publicKey.export({ type: 'spki', format: 'der' });
  const subject = buildName(t.subject).der;
  const selfIssued = t.issuerDer === undefined && t.issuer === undefined;
  const issuer = t.issuerDer ?? (t.issuer ? buildName(t.issuer).der : subject);
  const serial = t.serial === undefined ? defaultSerial() : t.serial;
  const fields: Buffer[] = [];
  if (version === 3) fields.push(derExplicit(0, [derInteger(2)]));
  fields.push(
    typeof serial === 'bigint' ? derInteger(serial) : derUnsignedInteger(serial),
    alg,
    issuer,
    derSequence([derTime(t.notBefore), derTime(t.notAfter)]),
    subject,
    spki,
  );
  if (version === 3) {
    const exts = buildExtensions(t, spki, selfIssued);
    if (exts.length > 0) fields.push(derExplicit(3, [derSequence(exts)]));
  }
  return derSequence(fields);
}

/** Builds and signs a certificate; returns its DER. */
export function buildCertificate(t: CertificateTemplate): Buffer {
  const { alg, digest } = signatureAlgorithmFor(t.signingKey, t.hash ?? 'sha256');
  const tbs = tbsCertificate(t, alg);
  const signature = cryptoSign(digest, tbs, t.signingKey);
  return derSequence([tbs, alg, derBitString(signature)]);
}

/** Like buildCertificate, but the TBSCertificate is signed by `signer` (RSA or ECDSA only). */
export async function buildCertificateWithSigner(t: UnsignedCertificateTemplate, signer: ExternalSigner): Promise<Buffer> {
  const hash = t.hash ?? 'sha256';
  const { alg, digest } = signatureAlgorithmFor(signer.publicKey, hash);
  if (digest === null) throw new Error('external signers support RSA and ECDSA keys only');
  const tbs = tbsCertificate(t, alg);
  return derSequence([tbs, alg, derBitString(await signer.sign(tbs, hash))]);
}
