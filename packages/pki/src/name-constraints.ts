import { DerCursor, DerError, Tag, type DerNode } from './der/der-reader.js';
import { derImplicitPrimitive, derSequence, tlv } from './der/der-writer.js';
import { encodeGeneralName, encodeIpAddress, parseGeneralName, type GeneralName } from './general-name.js';
import { formatName, nameEquals, type Name, type NameSpec } from './name.js';
import { ExtensionOid } from './oids.js';

/**
 * RFC 5280 §4.2.1.10 NameConstraints of a CA certificate: the names every certificate below it
 * must (permitted) and must not (excluded) fall within, per name form.
 */
export interface NameConstraints {
  permitted: GeneralName[];
  excluded: GeneralName[];
}

/** The certificate fields a constraint applies to (a subset of ParsedCertificate). */
export interface ConstrainedCertificate {
  subject: Name;
  subjectAltNames: GeneralName[];
}

const EMAIL_ADDRESS_OID = '1.2.840.113549.1.9.1';

/**
 * NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
 *   excludedSubtrees [1] GeneralSubtrees OPTIONAL }
 * GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] DEFAULT 0, maximum [1] OPTIONAL }
 * "Within this profile, the minimum and maximum fields are not used with any name forms, thus the
 * minimum MUST be zero, and maximum MUST be absent" (§4.2.1.10): anything else is refused as
 * malformed rather than half-applied.
 */
export function parseNameConstraints(n: DerNode): NameConstraints {
  if (n.tag !== Tag.SEQUENCE) throw new DerError('NameConstraints must be a SEQUENCE');
  const c = DerCursor.inside(n);
  const permitted = subtrees(c.optional(0xa0));
  const excluded = subtrees(c.optional(0xa1));
  c.finish('NameConstraints');
  // "Conforming CAs MUST NOT issue certificates where name constraints is an empty sequence."
  if (permitted.length === 0 && excluded.length === 0) throw new DerError('empty NameConstraints');
  return { permitted, excluded };
}

function subtrees(node: DerNode | undefined): GeneralName[] {
  if (!node) return [];
  const c = DerCursor.inside(node);
  const out: GeneralName[] = [];
  while (!c.done) {
    const sub = DerCursor.inside(c.next(Tag.SEQUENCE, 'GeneralSubtree'));
    const base = parseGeneralName(sub.next(undefined, 'base'));
    if (!sub.done) throw new DerError('GeneralSubtree minimum/maximum are not used in RFC 5280');
    if (base.type === 'ip' && !/^([0-9a-f]{16}|[0-9a-f]{64})$/.test(base.value)) throw new DerError('iPAddress constraint must be address and mask');
    out.push(base);
  }
  if (out.length === 0) throw new DerError('empty GeneralSubtrees');
  return out;
}

/**
 * Why `cert` violates `nc`, or undefined (RFC 5280 §6.1.3 (b)(c)). Every name of a form the
 * constraints restrict must lie in a permitted subtree of that form, and in no excluded one. The
 * names are the subject DN (directoryName), emailAddress attributes of the subject (rfc822Name)
 * and the subjectAltName entries. A name of a form this implementation cannot compare ('other')
 * under constraints of that form fails closed.
 */
export function nameConstraintViolation(nc: NameConstraints, cert: ConstrainedCertificate): string | undefined {
  const names: GeneralName[] = [...cert.subjectAltNames];
  if (cert.subject.rdns.length > 0) names.push({ type: 'dirName', value: formatName(cert.subject), name: cert.subject });
  for (const rdn of cert.subject.rdns) for (const a of rdn) if (a.oid === EMAIL_ADDRESS_OID) names.push({ type: 'email', value: a.value });
  for (const name of names) {
    if (name.type === 'other' && [...nc.permitted, ...nc.excluded].some((c) => c.type === 'other'))
      return `${label(name)} is of a name form whose constraints this validator cannot evaluate`;
    const permitted = nc.permitted.filter((p) => p.type === name.type);
    if (permitted.length > 0 && !permitted.some((p) => within(name, p))) return `${label(name)} is outside the permitted subtrees`;
    const excluded = nc.excluded.find((e) => e.type === name.type && within(name, e));
    if (excluded) return `${label(name)} is within the excluded subtree ${label(excluded)}`;
  }
  return undefined;
}

function label(n: GeneralName): string {
  return `${n.type} "${n.value}"`;
}

function within(name: GeneralName, base: GeneralName): boolean {
  switch (name.type) {
    case 'dns':
      return dnsWithin(name.value, base.value);
    case 'email':
      return emailWithin(name.value, base.value);
    case 'uri':
      return uriWithin(name.value, base.value);
    case 'ip':
      return ipWithin(name.value, base.value);
    case 'dirName':
      return base.name !== undefined && name.name !== undefined && dirNameWithin(name.name, base.name);
    default:
      return false; // 'other' forms: refused above whenever that form is constrained
  }
}

/** §4.2.1.10: "any DNS name that can be constructed by simply adding zero or more labels to the left-hand side". */
function dnsWithin(name: string, base: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const b = base.toLowerCase().replace(/\.$/, '');
  if (b === '') return true;
  if (b.startsWith('.')) return n.endsWith(b);
  return n === b || n.endsWith(`.${b}`);
}

/** §4.2.1.10: a mailbox, all mailboxes on a host, or (leading period) all mailboxes in a domain. */
function emailWithin(name: string, base: string): boolean {
  const at = name.lastIndexOf('@');
  if (at < 0) return false;
  const local = name.slice(0, at);
  const host = name.slice(at + 1).toLowerCase();
  if (base.includes('@')) {
    const bat = base.lastIndexOf('@');
    return local === base.slice(0, bat) && host === base.slice(bat + 1).toLowerCase();
  }
  const b = base.toLowerCase();
  return b.startsWith('.') ? host.endsWith(b) : host === b;
}

/** §4.2.1.10: the constraint applies to the host part of the URI; a URI without a host never matches. */
function uriWithin(name: string, base: string): boolean {
  let host: string;
  try {
    host = new URL(name).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (host === '') return false;
  const b = base.toLowerCase();
  return b.startsWith('.') ? host.endsWith(b) : host === b;
}

/** §4.2.1.10: address and mask, 8 octets for IPv4 and 32 for IPv6. */
function ipWithin(name: string, baseHex: string): boolean {
  let addr: Buffer;
  try {
    addr = encodeIpAddress(name);
  } catch {
    return false;
  }
  const base = Buffer.from(baseHex, 'hex');
  if (base.length !== addr.length * 2) return false;
  for (let i = 0; i < addr.length; i++) {
    const mask = base[addr.length + i]!;
    if ((addr[i]! & mask) !== (base[i]! & mask)) return false;
  }
  return true;
}

/** §7.1: the subject's RDN sequence begins with the constraint's RDNs. */
function dirNameWithin(name: Name, base: Name): boolean {
  if (base.rdns.length > name.rdns.length) return false;
  const empty = Buffer.alloc(0);
  return base.rdns.every((rdn, i) => nameEquals({ der: empty, rdns: [rdn] }, { der: empty, rdns: [name.rdns[i]!] }));
}

/** A subtree for {@link nameConstraintsExtension}: a GeneralName, or an IP range in CIDR form. */
export type SubtreeSpec = { dns: string } | { uri: string } | { email: string } | { dirName: NameSpec } | { ipRange: string };

/** A NameConstraints extension for building a CA certificate (critical, as §4.2.1.10 requires of CAs). */
export function nameConstraintsExtension(spec: { permitted?: SubtreeSpec[]; excluded?: SubtreeSpec[] }, critical = true): { oid: string; critical: boolean; valueDer: Buffer } {
  const trees = (list: SubtreeSpec[]) => list.map((s) => derSequence([subtreeBase(s)]));
  const parts: Buffer[] = [];
  if (spec.permitted?.length) parts.push(tlv(0xa0, trees(spec.permitted)));
  if (spec.excluded?.length) parts.push(tlv(0xa1, trees(spec.excluded)));
  return { oid: ExtensionOid.nameConstraints, critical, valueDer: derSequence(parts) };
}

function subtreeBase(s: SubtreeSpec): Buffer {
  if (!('ipRange' in s)) return encodeGeneralName(s);
  const [ip, bits] = s.ipRange.split('/') as [string, string | undefined];
  const addr = encodeIpAddress(ip);
  const n = Number(bits ?? addr.length * 8);
  if (!Number.isInteger(n) || n < 0 || n > addr.length * 8) throw new Error(`invalid IP range: ${s.ipRange}`);
  const mask = Buffer.alloc(addr.length);
  for (let i = 0; i < n; i++) mask[i >> 3]! |= 0x80 >> (i & 7);
  return derImplicitPrimitive(7, Buffer.concat([addr, mask]));
}
