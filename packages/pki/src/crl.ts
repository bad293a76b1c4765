// X.509 CRLs (RFC 5280 §5): parsing, issuer verification and revocation lookup for ImportCrl/UpdateCrl
// and the CreateSession revocation check (service-spec §7). Revocation is keyed by (issuer, serial), and a
// CRL counts only once its signature verifies against a CA of the trust anchor (style-anchors §9.3).
import {
  DerCursor, DerError, Tag, contextTag, decodeBitString, decodeBoolean, decodeSmallInteger, decodeTime, integerBytes, nodeBytes, readTopLevel,
} from './der/der-reader.js';
import type { DerNode } from './der/der-reader.js';
import { parseSignatureAlgorithm } from './algorithms.js';
import { parseCertificate } from './certificate.js';
import type { ParsedCertificate } from './certificate.js';
import { parseRevoked } from './crl-revoked.js';
import type { RevokedEntry } from './crl-revoked.js';
import { forEachExtension, parseAuthorityKeyId } from './extensions.js';
import { formatName, nameEquals, parseNameNode } from './name.js';
import type { Name } from './name.js';
import { CrlExtensionOid } from './oids.js';
import { pemBlocks } from './pem.js';
import { verifySignedData } from './signature.js';

export type { RevokedEntry } from './crl-revoked.js';

export interface ParsedCrl {
  der: Buffer;
  /** Exact TBSCertList bytes (the signature input). */
  tbs: Buffer;
  version: 1 | 2;
  signatureAlgorithm: ParsedCertificate['signatureAlgorithm'];
  signature: Buffer;
  issuer: Name;
  thisUpdate: Date;
  nextUpdate?: Date;
  authorityKeyId?: Buffer;
  crlNumber?: bigint;
  /** Key: lowercase even-length hex of the serial magnitude, the same form as ParsedCertificate.serialHex. */
  revoked: Map<string, RevokedEntry>;
  /** Critical CRL or entry extensions we do not process (plus delta and indirect CRLs, which we do not support). */
  unknownCriticalExtensions: string[];
}

export type CrlParseFailure = 'malformed' | 'not-a-crl' | 'too-large';
export type CrlParseResult = { ok: true; value: ParsedCrl } | { ok: false; reason: CrlParseFailure; detail: string };

export type CrlVerifyFailure =
  | 'issuer-not-in-anchor' | 'bad-signature' | 'issuer-cannot-sign-crl' | 'next-update-before-this-update' | 'unknown-critical-extension';
export type CrlVerifyResult = { ok: true; issuer: ParsedCertificate } | { ok: false; reason: CrlVerifyFailure; detail: string };

/** service-spec §7 / Appendix A: crlData is 1..300000 bytes. */
export const MAX_CRL_BYTES = 300_000;

const SEQUENCE_BYTE = 0x30;

/** IMPLICIT BOOLEAN under a context tag (the IssuingDistributionPoint flags). */
function implicitBoolean(n: DerNode): boolean {
  return decodeBoolean({ ...n, tag: Tag.BOOLEAN });
}

/**
 * RFC 5280 §5.2.5 IssuingDistributionPoint. Scope flags (only user / only CA certificates, some reasons) do not
 * change what a listed entry means, so they are accepted. Indirect CRLs (entries of other issuers) and
 * attribute-certificate CRLs (serials of another namespace) would change it: returned as unsupported.
 */
function idpIsSupported(value: Buffer): boolean {
  const c = DerCursor.inside(readTopLevel(value));
  let supported = true;
  while (!c.done) {
    const n = c.next();
    if (n.tag === contextTag(4, false) || n.tag === contextTag(5, false)) supported &&= !implicitBoolean(n);
  }
  return supported;
}

function parseCrlDer(der: Buffer): ParsedCrl {
  // RFC 5280 §5.1: CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }.
  const top = readTopLevel(der);
  if (top.tag !== Tag.SEQUENCE) throw new DerError('CertificateList must be a SEQUENCE');
  const list = DerCursor.inside(top);
  const tbsNode = list.next(Tag.SEQUENCE, 'tbsCertList');
  const outerAlgNode = list.next(Tag.SEQUENCE, 'signatureAlgorithm');
  const sigBits = decodeBitString(list.next(Tag.BIT_STRING, 'signatureValue'));
  list.finish('CertificateList');
  if (sigBits.unusedBits !== 0) throw new DerError('signature must be whole octets');

  const tbs = DerCursor.inside(tbsNode);
  let version: 1 | 2 = 1;
  const vNode = tbs.optional(Tag.INTEGER);
  if (vNode) {
    // §5.1.2.1: "if present, MUST specify version 2" (INTEGER 1).
    const v = decodeSmallInteger(vNode, 255);
    if (v !== 1) throw new DerError(`unsupported CRL version ${v + 1}`);
    version = 2;
  }
  const innerAlgNode = tbs.next(Tag.SEQUENCE, 'signature');
  // §5.1.1.2: signatureAlgorithm MUST equal the TBSCertList signature field.
  if (!nodeBytes(innerAlgNode).equals(nodeBytes(outerAlgNode))) throw new DerError('signature algorithm mismatch');
  const issuer = parseNameNode(tbs.next(Tag.SEQUENCE, 'issuer'));
  // §5.1.2.3: the issuer field MUST contain a non-empty name.
  if (issuer.rdns.length === 0) throw new DerError('CRL issuer is empty');
  const thisUpdate = decodeTime(tbs.next(undefined, 'thisUpdate'));
  const peek = tbs.peekTag();
  const nextUpdate = peek === Tag.UTCTime || peek === Tag.GeneralizedTime ? decodeTime(tbs.next()) : undefined;
  const revoked = new Map<string, RevokedEntry>();
  const unknown = new Set<string>();
  const revokedNode = tbs.optional(Tag.SEQUENCE);
  if (revokedNode) parseRevoked(revokedNode, version, revoked, unknown);
  const extNode = tbs.optional(contextTag(0, true));
  tbs.finish('TBSCertList');

  const crl: ParsedCrl = {
    der,
    tbs: nodeBytes(tbsNode),
    version,
    signatureAlgorithm: parseSignatureAlgorithm(outerAlgNode),
    signature: sigBits.data,
    issuer,
    thisUpdate,
    revoked,
    unknownCriticalExtensions: [],
  };
  if (nextUpdate) crl.nextUpdate = nextUpdate;
  if (extNode) {
    // §5.1.2.7: crlExtensions only in v2.
    if (version !== 2) throw new DerError('CRL extensions require a v2 CRL');
    const ec = DerCursor.inside(extNode);
    const seq = ec.next(Tag.SEQUENCE, 'crlExtensions');
    ec.finish('crlExtensions');
    forEachExtension(seq, (oid, critical, value) => {
      switch (oid) {
        case CrlExtensionOid.authorityKeyIdentifier: {
          const kid = parseAuthorityKeyId(readTopLevel(value));
          if (kid) crl.authorityKeyId = kid;
          break;
        }
        case CrlExtensionOid.cRLNumber: {
          // §5.2.3: a non-negative INTEGER of at most 20 octets (tolerate a little more, as for serials).
          const raw = integerBytes(readTopLevel(value));
          if (raw[0]! & 0x80 || raw.length > 64) throw new DerError('bad cRLNumber');
          crl.crlNumber = BigInt(`0x${raw.toString('hex')}`);
          break;
        }
        case CrlExtensionOid.deltaCRLIndicator:
          // §5.2.4: a delta CRL is not a complete list; we only take complete CRLs.
          unknown.add(oid);
          break;
        case CrlExtensionOid.issuingDistributionPoint:
          if (!idpIsSupported(value)) unknown.add(oid);
          break;
        default:
          // §5.2: "If a CRL contains a critical extension that the application cannot process, then the
          // application MUST NOT use that CRL to determine the status of certificates."
          if (critical) unknown.add(oid);
      }
    });
  }
  crl.unknownCriticalExtensions = [...unknown];
  return crl;
}

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function failure(reason: CrlParseFailure, detail: string): CrlParseResult {
  return { ok: false, reason, detail };
}

/**
 * Parses a CRL given as PEM ('X509 CRL' block, RFC 7468 §5; surrounding text ignored) or DER: the docs ask for
 * PEM, DER is observed to work (service-spec §7). A certificate gives 'not-a-crl'. Never throws.
 */
export function parseCrl(data: Uint8Array, opts?: { maxBytes?: number }): CrlParseResult {
  try {
    const input = toBuffer(data);
    const maxBytes = opts?.maxBytes ?? MAX_CRL_BYTES;
    // Checked before any decoding, so an oversized upload costs nothing (service-spec §7: 1..300000 bytes).
    if (input.length > maxBytes) return failure('too-large', `CRL is ${input.length} bytes; at most ${maxBytes} allowed`);
    if (input.length === 0) return failure('malformed', 'CRL is empty');
    let der: Buffer;
    if (input[0] === SEQUENCE_BYTE) {
      der = Buffer.from(input); // copy: later changes to the caller's buffer must not alter a verified CRL
    } else {
      const blocks = pemBlocks(input.toString('latin1'));
      const crls = blocks.filter((b) => b.label === 'X509 CRL');
      if (crls.length === 0) {
        if (blocks.length > 0) return failure('not-a-crl', `expected an X509 CRL PEM block, found ${blocks.map((b) => b.label).join(', ')}`);
        return failure('malformed', 'neither DER nor PEM with an X509 CRL block');
      }
      // One CRL resource holds one CRL: refuse to guess which of several blocks is meant.
      if (crls.length > 1) return failure('malformed', `${crls.length} X509 CRL blocks; exactly one expected`);
      der = crls[0]!.der;
    }
    try {
      return { ok: true, value: parseCrlDer(der) };
    } catch (e) {
      if (parseCertificate(der).ok) return failure('not-a-crl', 'this is an X.509 certificate, not a CRL');
      return failure('malformed', e instanceof DerError ? e.message : `unparseable CRL (${e instanceof Error ? e.name : 'error'})`);
    }
  } catch (e) {
    return failure('malformed', `unparseable CRL (${e instanceof Error ? e.name : 'error'})`);
  }
}

function verifyFailure(reason: CrlVerifyFailure, detail: string): CrlVerifyResult {
  return { ok: false, reason, detail };
}

function describe(c: ParsedCertificate): string {
  return `"${formatName(c.subject)}" (serial ${c.serialHex})`;
}

/** True when `key` verifies the CRL; an unusable candidate key is simply not the signer. */
function signedBy(crl: ParsedCrl, candidate: ParsedCertificate): boolean {
  try {
    return verifySignedData(crl.signatureAlgorithm, crl.tbs, crl.signature, candidate.publicKey);
  } catch {
    return false;
  }
}

/**
 * Finds the CA among `candidates` (the trust anchor's certificates) that issued and signed `crl`:
 * subject equals the CRL issuer and AKI/SKI agree when both are present (RFC 5280 §6.3.3 (f)), its key verifies
 * the signature (§6.3.3 (g)), it is a CA and, when keyUsage is present, asserts cRLSign (§4.2.1.3).
 * Not checked: the signature algorithm's strength (a CRL can only deny access) and the CA's validity period.
 */
export function verifyCrlIssuer(crl: ParsedCrl, candidates: ParsedCertificate[]): CrlVerifyResult {
  const issuerName = formatName(crl.issuer);
  if (crl.nextUpdate && crl.nextUpdate.getTime() < crl.thisUpdate.getTime()) {
    return verifyFailure('next-update-before-this-update',
      `nextUpdate ${crl.nextUpdate.toISOString()} precedes thisUpdate ${crl.thisUpdate.toISOString()}`);
  }
  if (crl.unknownCriticalExtensions.length > 0) {
    return verifyFailure('unknown-critical-extension',
      `CRL has unsupported critical extension(s) ${crl.unknownCriticalExtensions.join(', ')} (delta and indirect CRLs are not supported)`);
  }
  const named = candidates.filter((c) => nameEquals(c.subject, crl.issuer)
    && !(crl.authorityKeyId && c.subjectKeyId && !crl.authorityKeyId.equals(c.subjectKeyId)));
  if (named.length === 0) return verifyFailure('issuer-not-in-anchor', `no certificate of the trust anchor is the CRL issuer "${issuerName}"`);
  const signers = named.filter((c) => signedBy(crl, c));
  if (signers.length === 0) {
    return verifyFailure('bad-signature', `CRL signature does not verify with the key of ${named.map(describe).join(', ')}`);
  }
  const able = signers.find((c) => c.basicConstraints?.ca === true && (!c.keyUsage || c.keyUsage.cRLSign));
  if (!able) {
    const c = signers[0]!;
    const why = c.basicConstraints?.ca !== true ? 'is not a CA (basicConstraints CA:TRUE missing)' : 'keyUsage lacks cRLSign';
    return verifyFailure('issuer-cannot-sign-crl', `CRL issuer ${describe(c)} ${why}`);
  }
  return { ok: true, issuer: able };
}

/**
 * True iff `crl` lists `cert`: same issuer name AND the serial is in the CRL (style-anchors §9.3: never by serial
 * alone, so one CA's CRL cannot revoke another CA's certificate). One Map lookup in the common (not listed) case.
 * The caller applies it only to CRLs that verifyCrlIssuer accepted.
 */
export function isRevoked(crl: ParsedCrl, cert: ParsedCertificate): boolean {
  return crl.revoked.has(cert.serialHex) && nameEquals(cert.issuer, crl.issuer);
}
