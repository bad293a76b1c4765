// OCSP requests (RFC 6960 §4.1) and the AuthorityInfoAccess extension that names the responder
// (RFC 5280 §4.2.2.1). Hand-written DER like the rest of the package: no dependencies.
import { createHash, randomBytes } from 'node:crypto';
import {
  DerCursor, DerError, Tag, contextTag, decodeBitString, decodeOid, integerBytes, nodeValue, readTopLevel,
} from './der/der-reader.js';
import type { DerNode } from './der/der-reader.js';
import { derExplicit, derNull, derOctetString, derOid, derSequence, derUnsignedInteger } from './der/der-writer.js';
import type { ParsedCertificate } from './certificate.js';
import { forEachExtension } from './extensions.js';
import { encodeGeneralName, parseGeneralName } from './general-name.js';
import { HashOid } from './oids.js';
import type { HashName } from './oids.js';

/** OIDs of RFC 6960 and RFC 5280 §4.2.2.1 used by the OCSP modules. */
export const OcspOid = {
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  adOcsp: '1.3.6.1.5.5.7.48.1',
  basicResponse: '1.3.6.1.5.5.7.48.1.1',
  nonce: '1.3.6.1.5.5.7.48.1.2',
  sha1: '1.3.14.3.2.26',
} as const;

/** RFC 6960 §4.1.1 CertID, decoded. Hashes are over the ISSUER's name DER and public key bits. */
export interface OcspCertId {
  hash: HashName;
  issuerNameHash: Buffer;
  issuerKeyHash: Buffer;
  /** Serial magnitude as lowercase hex (same form as ParsedCertificate.serialHex). */
  serialHex: string;
}

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** The subjectPublicKey BIT STRING value of a certificate (what issuerKeyHash and byKey hash, RFC 6960 §4.1.1, §4.2.1). */
export function subjectPublicKeyBits(cert: ParsedCertificate): Buffer {
  const spki = DerCursor.inside(readTopLevel(cert.spki));
  spki.next(Tag.SEQUENCE, 'algorithm');
  return decodeBitString(spki.next(Tag.BIT_STRING, 'subjectPublicKey')).data;
}

/**
 * CertID of `serialHex` under `issuer`. SHA-1 by default: RFC 6960 §4.1.1 is written around it and
 * RFC 5019 §2.1.1 requires responders to accept it, so it is the interoperable choice; it is an
 * identifier here, not a signature hash, so SHA-1's collision weakness does not matter.
 */
export function ocspCertId(issuer: ParsedCertificate, serialHex: string, hash: HashName = 'sha1'): OcspCertId {
  return {
    hash,
    issuerNameHash: createHash(hash).update(issuer.subject.der).digest(),
    issuerKeyHash: createHash(hash).update(subjectPublicKeyBits(issuer)).digest(),
    serialHex: serialHex.toLowerCase(),
  };
}

const HASH_OIDS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(HashOid).map(([oid, name]) => [name, oid]));

export function encodeCertId(id: OcspCertId): Buffer {
  const oid = HASH_OIDS[id.hash];
  if (!oid) throw new Error(`no OID for hash ${id.hash}`);
  // AlgorithmIdentifier with explicit NULL parameters, as OpenSSL and most responders emit.
  return derSequence([
    derSequence([derOid(oid), derNull()]),
    derOctetString(id.issuerNameHash),
    derOctetString(id.issuerKeyHash),
    derUnsignedInteger(Buffer.from(id.serialHex.length % 2 ? `0${id.serialHex}` : id.serialHex, 'hex')),
  ]);
}

/** Decodes a CertID SEQUENCE; throws DerError. Unknown hash algorithms are refused. */
export function decodeCertId(n: DerNode): OcspCertId {
  const c = DerCursor.inside(n);
  const alg = DerCursor.inside(c.next(Tag.SEQUENCE, 'hashAlgorithm'));
  const hash = HashOid[decodeOid(alg.next(Tag.OID, 'hash algorithm'))];
  alg.rest();
  if (!hash) throw new DerError('unsupported CertID hash algorithm');
  const issuerNameHash = Buffer.from(nodeValue(c.next(Tag.OCTET_STRING, 'issuerNameHash')));
  const issuerKeyHash = Buffer.from(nodeValue(c.next(Tag.OCTET_STRING, 'issuerKeyHash')));
  const raw = integerBytes(c.next(Tag.INTEGER, 'serialNumber'));
  c.finish('CertID');
  let hex = BigInt(`0x${raw.toString('hex')}`).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return { hash, issuerNameHash, issuerKeyHash, serialHex: hex };
}

export function certIdEquals(a: OcspCertId, b: OcspCertId): boolean {
  return a.hash === b.hash && a.serialHex === b.serialHex && a.issuerNameHash.equals(b.issuerNameHash) && a.issuerKeyHash.equals(b.issuerKeyHash);
}

export interface OcspRequest {
  der: Buffer;
  certId: OcspCertId;
  /** The nonce extension's extnValue (an OCTET STRING TLV, RFC 8954 §2.1), when one was added. */
  nonce?: Buffer;
}

/**
 * One unsigned OCSPRequest for `serialHex` issued by `issuer` (RFC 6960 §4.1.1). With `nonce`
 * (default on) a random 32-octet id-pkix-ocsp-nonce request extension is added (§4.4.1,
 * RFC 8954 §2.1: 1..32 octets) so a replayed response can be told apart when the responder echoes it.
 */
export function buildOcspRequest(issuer: ParsedCertificate, serialHex: string, opts: { nonce?: boolean | Buffer; hash?: HashName } = {}): OcspRequest {
  const certId = ocspCertId(issuer, serialHex, opts.hash ?? 'sha1');
  const request = derSequence([encodeCertId(certId)]);
  const tbsFields: Buffer[] = [derSequence([request])];
  let nonce: Buffer | undefined;
  if (opts.nonce !== false) {
    nonce = derOctetString(Buffer.isBuffer(opts.nonce) ? opts.nonce : randomBytes(32));
    tbsFields.push(derExplicit(2, [derSequence([derSequence([derOid(OcspOid.nonce), derOctetString(nonce)])])]));
  }
  const der = derSequence([derSequence(tbsFields)]);
  return nonce ? { der, certId, nonce } : { der, certId };
}

/** What a responder needs from a request: the CertIDs asked about and the nonce to echo. */
export interface ParsedOcspRequest {
  certIds: OcspCertId[];
  nonce?: Buffer;
}

/** Parses an OCSPRequest (RFC 6960 §4.1.1); signed requests are accepted but their signature is ignored. Throws DerError. */
export function parseOcspRequest(data: Uint8Array): ParsedOcspRequest {
  const top = DerCursor.inside(readTopLevel(toBuffer(data)));
  const tbs = DerCursor.inside(top.next(Tag.SEQUENCE, 'tbsRequest'));
  top.optional(contextTag(0, true));
  top.finish('OCSPRequest');
  tbs.optional(contextTag(0, true));
  tbs.optional(contextTag(1, true));
  const list = DerCursor.inside(tbs.next(Tag.SEQUENCE, 'requestList'));
  const certIds: OcspCertId[] = [];
  while (!list.done) {
    const req = DerCursor.inside(list.next(Tag.SEQUENCE, 'Request'));
    certIds.push(decodeCertId(req.next(Tag.SEQUENCE, 'reqCert')));
    req.optional(contextTag(0, true));
    req.finish('Request');
  }
  const out: ParsedOcspRequest = { certIds };
  const ext = tbs.optional(contextTag(2, true));
  tbs.finish('TBSRequest');
  if (ext) {
    forEachExtension(DerCursor.inside(ext).next(Tag.SEQUENCE, 'requestExtensions'), (oid, _critical, value) => {
      if (oid === OcspOid.nonce) out.nonce = Buffer.from(value);
    });
  }
  return out;
}

/** The extnValue of an Extensions element of a certificate, or undefined (walks the DER; the parsed certificate keeps only some). */
function certificateExtension(cert: ParsedCertificate, wanted: string): Buffer | undefined {
  const tbs = DerCursor.inside(readTopLevel(cert.tbs));
  let found: Buffer | undefined;
  while (!tbs.done) {
    const n = tbs.next();
    if (n.tag !== contextTag(3, true)) continue;
    forEachExtension(DerCursor.inside(n).next(Tag.SEQUENCE, 'extensions'), (oid, _c, value) => {
      if (oid === wanted) found = value;
    });
  }
  return found;
}

/**
 * The OCSP responder URIs of a certificate's AuthorityInfoAccess extension (RFC 5280 §4.2.2.1:
 * AccessDescription { accessMethod id-ad-ocsp, accessLocation uniformResourceIdentifier }).
 * Other access methods (caIssuers) and non-URI locations are ignored. Never throws: a malformed
 * extension yields no URL (the certificate already passed path validation; absence is "no responder").
 */
export function ocspResponderUrls(cert: ParsedCertificate): string[] {
  try {
    const value = certificateExtension(cert, OcspOid.authorityInfoAccess);
    if (!value) return [];
    const urls: string[] = [];
    const seq = DerCursor.inside(readTopLevel(value));
    while (!seq.done) {
      const ad = DerCursor.inside(seq.next(Tag.SEQUENCE, 'AccessDescription'));
      const method = decodeOid(ad.next(Tag.OID, 'accessMethod'));
      const location = parseGeneralName(ad.next(undefined, 'accessLocation'));
      if (method === OcspOid.adOcsp && location.type === 'uri') urls.push(location.value);
    }
    return urls;
  } catch {
    return [];
  }
}

/** An AuthorityInfoAccess extension naming OCSP responders, for `buildCertificate({ extraExtensions })`. */
export function authorityInfoAccessExtension(ocspUrls: readonly string[]): { oid: string; critical: boolean; valueDer: Buffer } {
  // RFC 5280 §4.2.2.1: "This extension MUST be marked as non-critical."
  const valueDer = derSequence(ocspUrls.map((uri) => derSequence([derOid(OcspOid.adOcsp), encodeGeneralName({ uri })])));
  return { oid: OcspOid.authorityInfoAccess, critical: false, valueDer };
}
