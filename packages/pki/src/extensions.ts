// Certificate extensions (RFC 5280 §4.2) that path validation and attribute mapping need.
import { parseNameConstraints, type NameConstraints } from './name-constraints.js';
import {
  DerCursor, DerError, Tag, contextTag, decodeBitString, decodeBoolean, decodeOid, decodeSmallInteger, nodeValue, readTopLevel,
} from './der/der-reader.js';
import type { DerNode } from './der/der-reader.js';
import { parseGeneralNames } from './general-name.js';
import type { GeneralName } from './general-name.js';
import { ExtensionOid } from './oids.js';

export interface BasicConstraints {
  ca: boolean;
  pathLen?: number;
  critical: boolean;
}

export interface KeyUsage {
  digitalSignature: boolean;
  nonRepudiation: boolean;
  keyEncipherment: boolean;
  dataEncipherment: boolean;
  keyAgreement: boolean;
  keyCertSign: boolean;
  cRLSign: boolean;
  critical: boolean;
}

export interface ParsedExtensions {
  basicConstraints?: BasicConstraints;
  keyUsage?: KeyUsage;
  extKeyUsage?: string[];
  subjectAltNames: GeneralName[];
  subjectKeyId?: Buffer;
  authorityKeyId?: Buffer;
  crlDistributionPoints: string[];
  /** RFC 5280 §4.2.1.10, applied to every certificate below this CA by path validation. */
  nameConstraints?: NameConstraints;
  unknownCriticalExtensions: string[];
}

/** RFC 5280 §4.2.1.3 KeyUsage bit positions (bit 0 is the most significant bit of the first octet). */
export const KEY_USAGE_BITS = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign',
] as const;

function bit(data: Buffer, i: number): boolean {
  const byte = data[i >> 3];
  return byte !== undefined && (byte & (0x80 >> (i & 7))) !== 0;
}

function parseKeyUsage(v: DerNode, critical: boolean): KeyUsage {
  const { data } = decodeBitString(v);
  const ku = { critical } as KeyUsage;
  KEY_USAGE_BITS.forEach((name, i) => {
    ku[name] = bit(data, i);
  });
  return ku;
}

function parseBasicConstraints(v: DerNode, critical: boolean): BasicConstraints {
  // RFC 5280 §4.2.1.9: SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }.
  const c = DerCursor.inside(v);
  const caNode = c.optional(Tag.BOOLEAN);
  const ca = caNode ? decodeBoolean(caNode) : false;
  const pl = c.optional(Tag.INTEGER);
  c.finish('BasicConstraints');
  const out: BasicConstraints = { ca, critical };
  if (pl) out.pathLen = decodeSmallInteger(pl);
  return out;
}

export function parseAuthorityKeyId(v: DerNode): Buffer | undefined {
  // RFC 5280 §4.2.1.1: SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, [1] issuer, [2] serial }.
  const c = DerCursor.inside(v);
  const kid = c.optional(contextTag(0, false));
  c.rest();
  return kid ? nodeValue(kid) : undefined;
}

function parseCrlDistributionPoints(v: DerNode): string[] {
  // RFC 5280 §4.2.1.13: SEQUENCE OF DistributionPoint { distributionPoint [0] DistributionPointName OPTIONAL, ... },
  // DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1] }.
  const uris: string[] = [];
  const points = DerCursor.inside(v);
  while (!points.done) {
    const dp = DerCursor.inside(points.next(Tag.SEQUENCE, 'DistributionPoint'));
    const name = dp.optional(contextTag(0, true));
    dp.rest();
    if (!name) continue;
    const choice = DerCursor.inside(name).next(undefined, 'DistributionPointName');
    if (choice.tag !== contextTag(0, true)) continue;
    for (const g of parseGeneralNames(DerCursor.inside(choice))) if (g.type === 'uri') uris.push(g.value);
  }
  return uris;
}

/** Calls `each` for every Extension of an Extensions SEQUENCE; refuses empty lists and repeated OIDs (RFC 5280 §4.2, §5.2). */
export function forEachExtension(seq: DerNode, each: (oid: string, critical: boolean, value: Buffer) => void): void {
  const c = DerCursor.inside(seq);
  if (c.done) throw new DerError('empty extensions');
  const seen = new Set<string>();
  while (!c.done) {
    const ext = DerCursor.inside(c.next(Tag.SEQUENCE, 'Extension'));
    const oid = decodeOid(ext.next(Tag.OID, 'extnID'));
    const critNode = ext.optional(Tag.BOOLEAN);
    const critical = critNode ? decodeBoolean(critNode) : false;
    const value = nodeValue(ext.next(Tag.OCTET_STRING, 'extnValue'));
    ext.finish('Extension');
    if (seen.has(oid)) throw new DerError(`duplicate extension ${oid}`);
    seen.add(oid);
    each(oid, critical, value);
  }
}


/** Parses the [3] Extensions SEQUENCE. Throws DerError when malformed. */
export function parseExtensions(seq: DerNode | undefined): ParsedExtensions {
  const out: ParsedExtensions = { subjectAltNames: [], crlDistributionPoints: [], unknownCriticalExtensions: [] };
  if (!seq) return out;
  const seen = new Set<string>();
  const c = DerCursor.inside(seq);
  // RFC 5280 §4.1: Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension.
  if (c.done) throw new DerError('empty extensions');
  while (!c.done) {
    const ext = DerCursor.inside(c.next(Tag.SEQUENCE, 'Extension'));
    const oid = decodeOid(ext.next(Tag.OID, 'extnID'));
    const critNode = ext.optional(Tag.BOOLEAN);
    const critical = critNode ? decodeBoolean(critNode) : false;
    const value = nodeValue(ext.next(Tag.OCTET_STRING, 'extnValue'));
    ext.finish('Extension');
    // RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular extension."
    if (seen.has(oid)) throw new DerError(`duplicate extension ${oid}`);
    seen.add(oid);
    switch (oid) {
      case ExtensionOid.basicConstraints:
        out.basicConstraints = parseBasicConstraints(readTopLevel(value), critical);
        break;
      case ExtensionOid.keyUsage:
        out.keyUsage = parseKeyUsage(readTopLevel(value), critical);
        break;
      case ExtensionOid.extKeyUsage: {
        const k = DerCursor.inside(readTopLevel(value));
        const oids: string[] = [];
        while (!k.done) oids.push(decodeOid(k.next(Tag.OID, 'KeyPurposeId')));
        out.extKeyUsage = oids;
        break;
      }
      case ExtensionOid.subjectAltName:
        out.subjectAltNames = parseGeneralNames(DerCursor.inside(readTopLevel(value)));
        break;
      case ExtensionOid.subjectKeyIdentifier: {
        const n = readTopLevel(value);
        if (n.tag !== Tag.OCTET_STRING) throw new DerError('bad SubjectKeyIdentifier');
        out.subjectKeyId = nodeValue(n);
        break;
      }
      case ExtensionOid.authorityKeyIdentifier: {
        const kid = parseAuthorityKeyId(readTopLevel(value));
        if (kid) out.authorityKeyId = kid;
        break;
      }
      case ExtensionOid.crlDistributionPoints:
        out.crlDistributionPoints = parseCrlDistributionPoints(readTopLevel(value));
        break;
      case ExtensionOid.nameConstraints:
        out.nameConstraints = parseNameConstraints(readTopLevel(value));
        break;
      default:
        // RFC 5280 §4.2: a system MUST reject a certificate with a critical extension it does not recognise.
        // Policy constraints land here too: we do not process them, so failing closed is correct.
        if (critical) out.unknownCriticalExtensions.push(oid);
    }
  }
  return out;
}
