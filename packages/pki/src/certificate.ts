// X.509 certificate parsing (RFC 5280 §4.1) by a direct DER walk. Hot path of CreateSession:
// no key import and no X509Certificate here; the public key is imported lazily on first use.
import { createHash, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  DerCursor, DerError, Tag, contextTag, decodeBitString, decodeSmallInteger, decodeTime, integerBytes, nodeBytes, readTopLevel,
} from './der/der-reader.js';
import type { DerNode } from './der/der-reader.js';
import { parsePublicKeyInfo, parseSignatureAlgorithm } from './algorithms.js';
import type { KeyType, SignatureAlgorithm } from './algorithms.js';
import { parseExtensions } from './extensions.js';
import type { BasicConstraints, KeyUsage } from './extensions.js';
import type { NameConstraints } from './name-constraints.js';
import type { GeneralName } from './general-name.js';
import { parseNameNode } from './name.js';
import type { Name } from './name.js';
import { pemBlocks } from './pem.js';
import { verifySignedData } from './signature.js';

export interface ParsedCertificate {
  der: Buffer;
  /** Exact TBSCertificate bytes (the signature input). */
  tbs: Buffer;
  version: 1 | 2 | 3;
  /** Magnitude bytes of the serial, no sign byte. */
  serial: Buffer;
  /**
   * Lowercase hex of the magnitude, even length (session name, service-spec §4.5), with a leading
   * '-' for a (non-conforming, RFC 5280 §4.1.2.2) negative serial.
   */
  serialHex: string;
  /** Decimal serial (the Credential= value of the Authorization header, service-spec §4.3). */
  serialDecimal: string;
  signatureAlgorithm: SignatureAlgorithm;
  signature: Buffer;
  issuer: Name;
  subject: Name;
  notBefore: Date;
  notAfter: Date;
  /** SubjectPublicKeyInfo DER. */
  spki: Buffer;
  /** Imported on first access and cached; throws if the key material is unusable. */
  readonly publicKey: KeyObject;
  keyType: KeyType;
  keyBits?: number;
  ecCurve?: 'P-256' | 'P-384' | 'P-521' | string;
  basicConstraints?: BasicConstraints;
  keyUsage?: KeyUsage;
  extKeyUsage?: string[];
  subjectAltNames: GeneralName[];
  subjectKeyId?: Buffer;
  authorityKeyId?: Buffer;
  crlDistributionPoints: string[];
  /** RFC 5280 §4.2.1.10 (a CA's constraints on the names below it). */
  nameConstraints?: NameConstraints;
  unknownCriticalExtensions: string[];
  /** Lowercase hex SHA-256 of der. */
  fingerprint256: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: 'malformed'; detail: string };

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** Serial INTEGER content octets -> magnitude, hex and decimal (negative serials keep a '-' in decimal). */
function decodeSerial(raw: Buffer): { serial: Buffer; serialHex: string; serialDecimal: string } {
  const negative = (raw[0]! & 0x80) !== 0;
  let value = BigInt(`0x${raw.toString('hex')}`);
  if (negative) value = (1n << BigInt(raw.length * 8)) - value; // |two's complement|
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  // A negative serial keeps its sign in the hex form too: it keys revocation, the subject's
  // credentials and the default session name, and -N must not be the same certificate as +N.
  return { serial: Buffer.from(hex, 'hex'), serialHex: `${negative ? '-' : ''}${hex}`, serialDecimal: `${negative ? '-' : ''}${value.toString(10)}` };
}

function parseUnchecked(der: Buffer): ParsedCertificate {
  // RFC 5280 §4.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }.
  const certNode = readTopLevel(der);
  if (certNode.tag !== Tag.SEQUENCE) throw new DerError('Certificate must be a SEQUENCE');
  const cert = DerCursor.inside(certNode);
  const tbsNode = cert.next(Tag.SEQUENCE, 'tbsCertificate');
  const outerAlgNode = cert.next(Tag.SEQUENCE, 'signatureAlgorithm');
  const sigBits = decodeBitString(cert.next(Tag.BIT_STRING, 'signatureValue'));
  cert.finish('Certificate');
  if (sigBits.unusedBits !== 0) throw new DerError('signature must be whole octets');

  const tbs = DerCursor.inside(tbsNode);
  let version: 1 | 2 | 3 = 1;
  const vNode = tbs.optional(contextTag(0, true));
  if (vNode) {
    const vc = DerCursor.inside(vNode);
    const v = decodeSmallInteger(vc.next(Tag.INTEGER, 'version'), 255);
    vc.finish('version');
    // DER: DEFAULT v1 must be omitted, so an explicit 0 is not DER; only v2/v3 may appear.
    if (v !== 1 && v !== 2) throw new DerError(`unsupported certificate version ${v + 1}`);
    version = (v + 1) as 2 | 3;
  }
  const serialRaw = integerBytes(tbs.next(Tag.INTEGER, 'serialNumber'));
  // RFC 5280 §4.1.2.2: conforming serials are at most 20 octets; tolerate a little more, refuse absurd ones.
  if (serialRaw.length > 64) throw new DerError('serial number too long');
  const innerAlgNode = tbs.next(Tag.SEQUENCE, 'signature');
  // RFC 5280 §4.1.1.2: signatureAlgorithm MUST equal the TBS signature field.
  if (!nodeBytes(innerAlgNode).equals(nodeBytes(outerAlgNode))) throw new DerError('signature algorithm mismatch');
  const issuer = parseNameNode(tbs.next(Tag.SEQUENCE, 'issuer'));
  const validity = DerCursor.inside(tbs.next(Tag.SEQUENCE, 'validity'));
  const notBefore = decodeTime(validity.next(undefined, 'notBefore'));
  const notAfter = decodeTime(validity.next(undefined, 'notAfter'));
  validity.finish('Validity');
  const subject = parseNameNode(tbs.next(Tag.SEQUENCE, 'subject'));
  const spkiNode = tbs.next(Tag.SEQUENCE, 'subjectPublicKeyInfo');
  const keyInfo = parsePublicKeyInfo(spkiNode);
  if (tbs.optional(contextTag(1, false)) || tbs.optional(contextTag(1, true))) {
    if (version === 1) throw new DerError('issuerUniqueID requires v2 or v3');
  }
  if (tbs.optional(contextTag(2, false)) || tbs.optional(contextTag(2, true))) {
    if (version === 1) throw new DerError('subjectUniqueID requires v2 or v3');
  }
  const extNode = tbs.optional(contextTag(3, true));
  tbs.finish('TBSCertificate');
  let extSeq: DerNode | undefined;
  if (extNode) {
    // RFC 5280 §4.1.2.9: extensions only in v3.
    if (version !== 3) throw new DerError('extensions require v3');
    const ec = DerCursor.inside(extNode);
    extSeq = ec.next(Tag.SEQUENCE, 'extensions');
    ec.finish('extensions');
  }
  const ext = parseExtensions(extSeq);
  const spki = nodeBytes(spkiNode);
  // The key is loaded here, not on first use: a SubjectPublicKeyInfo that is well-formed DER but
  // not a usable key (an EC point off its curve, RFC 5480 §2.2; a key type OpenSSL cannot load)
  // makes the certificate malformed at parse time. Loaded lazily, it threw wherever it was first
  // used, e.g. in CreateSession's signature check, which answered 500 to a flipped bit.
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch (e) {
    throw new DerError(`subjectPublicKeyInfo is not a usable public key (${e instanceof Error ? e.message : String(e)})`);
  }

  const parsed: ParsedCertificate = {
    der,
    tbs: nodeBytes(tbsNode),
    version,
    ...decodeSerial(serialRaw),
    signatureAlgorithm: parseSignatureAlgorithm(outerAlgNode),
    signature: sigBits.data,
    issuer,
    subject,
    notBefore,
    notAfter,
    spki,
    publicKey,
    keyType: keyInfo.keyType,
    subjectAltNames: ext.subjectAltNames,
    crlDistributionPoints: ext.crlDistributionPoints,
    unknownCriticalExtensions: ext.unknownCriticalExtensions,
    fingerprint256: createHash('sha256').update(der).digest('hex'),
  };
  if (keyInfo.keyBits !== undefined) parsed.keyBits = keyInfo.keyBits;
  if (keyInfo.ecCurve !== undefined) parsed.ecCurve = keyInfo.ecCurve;
  if (ext.basicConstraints) parsed.basicConstraints = ext.basicConstraints;
  if (ext.keyUsage) parsed.keyUsage = ext.keyUsage;
  if (ext.extKeyUsage) parsed.extKeyUsage = ext.extKeyUsage;
  if (ext.subjectKeyId) parsed.subjectKeyId = ext.subjectKeyId;
  if (ext.authorityKeyId) parsed.authorityKeyId = ext.authorityKeyId;
  if (ext.nameConstraints) parsed.nameConstraints = ext.nameConstraints;
  return parsed;
}

/** Parses one DER certificate. Never throws: any structural problem is `{ ok: false, reason: 'malformed' }`. */
export function parseCertificate(der: Uint8Array): ParseResult<ParsedCertificate> {
  try {
    // Copy so later mutation of the caller's buffer cannot change a parsed (and possibly validated) certificate.
    return { ok: true, value: parseUnchecked(Buffer.from(toBuffer(der))) };
  } catch (e) {
    const detail = e instanceof DerError ? e.message : `unparseable certificate (${e instanceof Error ? e.name : 'error'})`;
    return { ok: false, reason: 'malformed', detail };
  }
}

/** Parses every CERTIFICATE block of a PEM text (other blocks are ignored). Fails if none or any is malformed. */
export function parseCertificatePem(pem: string): ParseResult<ParsedCertificate[]> {
  const certs: ParsedCertificate[] = [];
  const blocks = pemBlocks(pem).filter((b) => b.label === 'CERTIFICATE');
  if (blocks.length === 0) return { ok: false, reason: 'malformed', detail: 'no CERTIFICATE block found' };
  for (const [i, b] of blocks.entries()) {
    const r = parseCertificate(b.der);
    if (!r.ok) return { ok: false, reason: 'malformed', detail: `certificate ${i + 1}: ${r.detail}` };
    certs.push(r.value);
  }
  return { ok: true, value: certs };
}

/**
 * Verifies `cert`'s signature over its TBSCertificate with the issuer's public key (RFC 5280 §6.1.3 (a)(1)).
 * Only checks the cryptography; policy on weak algorithms lives in path validation. Never throws.
 */
export function verifyCertificateSignature(cert: ParsedCertificate, issuerKey: KeyObject): boolean {
  return verifySignedData(cert.signatureAlgorithm, cert.tbs, cert.signature, issuerKey);
}
