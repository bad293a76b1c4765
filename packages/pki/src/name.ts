// X.501 Name (RFC 5280 §4.1.2.4): parsing, RFC 4514 formatting, RFC 5280 §7.1 comparison, encoding.
import { DerCursor, DerError, Tag, decodeOid, decodeString, nodeBytes, readTopLevel } from './der/der-reader.js';
import type { DerNode } from './der/der-reader.js';
import { derIa5String, derOid, derPrintableString, derSequence, derSet, derUtf8String } from './der/der-writer.js';

export interface NameAttribute {
  oid: string;
  shortName?: string;
  /** Decoded string value; for a non-string ASN.1 value, '#' + hex of its DER (RFC 4514 §2.4). */
  value: string;
  /** The AttributeValue TLV exactly as encoded (present on parsed names). */
  valueDer?: Buffer;
}

export interface Name {
  der: Buffer;
  /** RDNs in certificate order; each RDN is a set of one or more attributes. */
  rdns: NameAttribute[][];
}

/**
 * Short names: RFC 4514 §3 (CN, L, ST, O, OU, C, STREET, DC, UID) plus the common X.520 / PKCS#9
 * names OpenSSL prints. service-spec §6.1 recommends this set for x509Subject/<RDN> tags.
 */
const SHORT_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['CN', '2.5.4.3'],
  ['SN', '2.5.4.4'],
  ['SERIALNUMBER', '2.5.4.5'],
  ['C', '2.5.4.6'],
  ['L', '2.5.4.7'],
  ['ST', '2.5.4.8'],
  ['STREET', '2.5.4.9'],
  ['O', '2.5.4.10'],
  ['OU', '2.5.4.11'],
  ['title', '2.5.4.12'],
  ['businessCategory', '2.5.4.15'],
  ['postalCode', '2.5.4.17'],
  ['GN', '2.5.4.42'],
  ['initials', '2.5.4.43'],
  ['generationQualifier', '2.5.4.44'],
  ['dnQualifier', '2.5.4.46'],
  ['pseudonym', '2.5.4.65'],
  ['DC', '0.9.2342.19200300.100.1.25'],
  ['UID', '0.9.2342.19200300.100.1.1'],
  ['emailAddress', '1.2.840.113549.1.9.1'],
];

const OID_TO_SHORT = new Map(SHORT_NAMES.map(([s, o]) => [o, s]));
const SHORT_TO_OID = new Map(SHORT_NAMES.map(([s, o]) => [s.toLowerCase(), o]));

/** Short name for an attribute OID, or undefined when it has none. */
export function attributeShortName(oid: string): string | undefined {
  return OID_TO_SHORT.get(oid);
}

/** OID for a short name (case-insensitive) or a dotted OID; throws on anything else. */
export function attributeOid(nameOrOid: string): string {
  if (/^\d+(\.\d+)+$/.test(nameOrOid)) return nameOrOid;
  const oid = SHORT_TO_OID.get(nameOrOid.toLowerCase());
  if (!oid) throw new Error(`unknown attribute short name: ${nameOrOid}`);
  return oid;
}

/** Parses a Name node (SEQUENCE OF RelativeDistinguishedName). Throws DerError when malformed. */
export function parseNameNode(n: DerNode): Name {
  if (n.tag !== Tag.SEQUENCE) throw new DerError('Name must be a SEQUENCE');
  const rdns: NameAttribute[][] = [];
  const outer = DerCursor.inside(n);
  while (!outer.done) {
    const set = DerCursor.inside(outer.next(Tag.SET, 'RelativeDistinguishedName'));
    const rdn: NameAttribute[] = [];
    while (!set.done) {
      const atv = DerCursor.inside(set.next(Tag.SEQUENCE, 'AttributeTypeAndValue'));
      const oid = decodeOid(atv.next(Tag.OID, 'attribute type'));
      const valueNode = atv.next(undefined, 'attribute value');
      atv.finish('AttributeTypeAndValue');
      const valueDer = nodeBytes(valueNode);
      const str = decodeString(valueNode);
      const attr: NameAttribute = { oid, value: str ?? `#${valueDer.toString('hex')}`, valueDer };
      const short = OID_TO_SHORT.get(oid);
      if (short !== undefined) attr.shortName = short;
      rdn.push(attr);
    }
    // X.501: an RDN is SET SIZE (1..MAX).
    if (rdn.length === 0) throw new DerError('empty RelativeDistinguishedName');
    rdns.push(rdn);
  }
  return { der: nodeBytes(n), rdns };
}

/** Parses a DER-encoded Name. Throws DerError when malformed. */
export function parseName(der: Uint8Array): Name {
  const buf = Buffer.isBuffer(der) ? der : Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  return parseNameNode(readTopLevel(buf));
}

const STRING_TAGS = new Set<number>([
  Tag.UTF8String, Tag.PrintableString, Tag.IA5String, Tag.T61String, Tag.NumericString,
  Tag.VisibleString, Tag.BMPString, Tag.UniversalString,
]);

/** RFC 4514 §2.4 escaping of an AttributeValue string. */
export function escapeRdnValue(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '"' || c === '+' || c === ',' || c === ';' || c === '<' || c === '>' || c === '\\') out += `\\${c}`;
    else if (c === '\0') out += '\\00';
    else if ((c === '#' || c === ' ') && i === 0) out += `\\${c}`;
    else if (c === ' ' && i === v.length - 1) out += '\\ ';
    else out += c;
  }
  return out;
}

function formatAttribute(a: NameAttribute): string {
  const isString = a.valueDer === undefined || STRING_TAGS.has(a.valueDer[0]!);
  // RFC 4514 §2.3/§2.4: types without a short name use the dotted OID and the hex-encoded BER value.
  if (a.shortName === undefined || !isString) {
    const der = a.valueDer ?? derUtf8String(a.value);
    return `${a.shortName ?? a.oid}=#${der.toString('hex')}`;
  }
  return `${a.shortName}=${escapeRdnValue(a.value)}`;
}

/** RFC 4514 string: RDNs in reverse certificate order, ',' between RDNs, '+' inside one. */
export function formatName(n: Name): string {
  const parts: string[] = [];
  for (let i = n.rdns.length - 1; i >= 0; i--) parts.push(n.rdns[i]!.map(formatAttribute).join('+'));
  return parts.join(',');
}

/** RFC 5280 §7.1 (simplified): case-insensitive, whitespace-folded. */
function normalizeValue(v: string): string {
  return v.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * RFC 5280 §7.1 name matching, simplified: same number of RDNs in the same order; within an RDN the
 * attributes match as a set, comparing OIDs exactly and values case-insensitively with internal
 * whitespace folded. Byte-identical DER short-circuits (the common case: issuer copied from subject).
 */
export function nameEquals(a: Name, b: Name): boolean {
  if (a.der.length > 0 && a.der.equals(b.der)) return true;
  if (a.rdns.length !== b.rdns.length) return false;
  for (let i = 0; i < a.rdns.length; i++) {
    const ra = a.rdns[i]!;
    const rb = b.rdns[i]!;
    if (ra.length !== rb.length) return false;
    const used = new Array<boolean>(rb.length).fill(false);
    for (const x of ra) {
      const nx = normalizeValue(x.value);
      const j = rb.findIndex((y, k) => !used[k] && y.oid === x.oid && normalizeValue(y.value) === nx);
      if (j < 0) return false;
      used[j] = true;
    }
  }
  return true;
}

/** A name for building: one [type, value] pair per RDN, or an array of pairs for a multi-valued RDN. */
export type NameSpec = Array<[string, string] | Array<[string, string]>>;

// RFC 5280 §4.1.2.4 / App. A: countryName, serialNumber and dnQualifier are PrintableString;
// emailAddress and domainComponent are IA5String; everything else UTF8String (RFC 5280 MUST for new certs).
const PRINTABLE_OIDS = new Set(['2.5.4.6', '2.5.4.5', '2.5.4.46']);
const IA5_OIDS = new Set(['1.2.840.113549.1.9.1', '0.9.2342.19200300.100.1.25']);

function encodeAttribute([type, value]: [string, string]): Buffer {
  const oid = attributeOid(type);
  const v = PRINTABLE_OIDS.has(oid) ? derPrintableString(value) : IA5_OIDS.has(oid) ? derIa5String(value) : derUtf8String(value);
  return derSequence([derOid(oid), v]);
}

/** Encodes a NameSpec (certificate order) and returns it parsed. */
export function buildName(spec: NameSpec): Name {
  const rdns = spec.map((entry) => {
    const pairs = (typeof entry[0] === 'string' ? [entry] : entry) as Array<[string, string]>;
    if (pairs.length === 0) throw new Error('empty RDN in name spec');
    return derSet(pairs.map(encodeAttribute));
  });
  return parseName(derSequence(rdns));
}
