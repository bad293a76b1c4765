// GeneralName (RFC 5280 §4.2.1.6): parsing for subjectAltName / CRL distribution points, and encoding.
import { DerCursor, DerError, nodeBytes, nodeValue } from './der/der-reader.js';
import type { DerNode } from './der/der-reader.js';
import { derExplicit, derImplicitPrimitive, derSequence } from './der/der-writer.js';
import { buildName, formatName, parseNameNode } from './name.js';
import type { Name, NameSpec } from './name.js';

export interface GeneralName {
  type: 'dns' | 'uri' | 'email' | 'ip' | 'dirName' | 'other';
  /** dns/uri/email: the IA5String; ip: dotted IPv4 or RFC 5952 IPv6; dirName: RFC 4514 string; other: hex of the TLV. */
  value: string;
  name?: Name;
}

/** RFC 5952 §4 canonical text form of a 16-byte IPv6 address. */
function formatIpv6(b: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i));
  // Longest run (length >= 2) of zero groups, first one on ties, becomes '::'.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function formatIp(b: Buffer): string {
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length === 16) return formatIpv6(b);
  // 8/32 octets are address+mask forms used only in name constraints; show them raw.
  return b.toString('hex');
}

/** Parses one GeneralName choice element. Throws DerError when malformed. */
export function parseGeneralName(n: DerNode): GeneralName {
  const cls = n.tag & 0xc0;
  if (cls !== 0x80) throw new DerError('GeneralName must be context-tagged');
  const num = n.tag & 0x1f;
  const constructed = (n.tag & 0x20) !== 0;
  switch (num) {
    case 1:
    case 2:
    case 6: {
      if (constructed) throw new DerError('GeneralName string must be primitive');
      const type = num === 1 ? 'email' : num === 2 ? 'dns' : 'uri';
      return { type, value: n.buf.toString('latin1', n.valueStart, n.end) };
    }
    case 7: {
      if (constructed) throw new DerError('iPAddress must be primitive');
      return { type: 'ip', value: formatIp(nodeValue(n)) };
    }
    case 4: {
      // directoryName is [4] EXPLICIT Name (a CHOICE, so the tag is explicit: X.680 §31.2.7).
      const inner = DerCursor.inside(n);
      const name = parseNameNode(inner.next(undefined, 'directoryName'));
      inner.finish('directoryName');
      return { type: 'dirName', value: formatName(name), name };
    }
    default:
      return { type: 'other', value: nodeBytes(n).toString('hex') };
  }
}

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName, given the cursor over its elements. */
export function parseGeneralNames(c: DerCursor): GeneralName[] {
  const out: GeneralName[] = [];
  while (!c.done) out.push(parseGeneralName(c.next()));
  return out;
}

export type GeneralNameSpec = { dns: string } | { uri: string } | { ip: string } | { email: string } | { dirName: NameSpec };

/** An IPv4 (4 octets) or IPv6 (16 octets) address from its text form; throws when invalid. */
export function encodeIpAddress(ip: string): Buffer {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) return Buffer.from(v4.slice(1).map((x) => Number(x)));
  if (!ip.includes(':')) throw new Error(`invalid IP address: ${ip}`);
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = ip.includes('::') ? 8 - h.length - t.length : 0;
  const groups = [...h, ...new Array<string>(fill).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) throw new Error(`invalid IP address: ${ip}`);
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** Encodes one GeneralName (IMPLICIT context tags, RFC 5280 App. A.2). */
export function encodeGeneralName(g: GeneralNameSpec): Buffer {
  if ('dns' in g) return derImplicitPrimitive(2, Buffer.from(g.dns, 'latin1'));
  if ('uri' in g) return derImplicitPrimitive(6, Buffer.from(g.uri, 'latin1'));
  if ('email' in g) return derImplicitPrimitive(1, Buffer.from(g.email, 'latin1'));
  if ('ip' in g) return derImplicitPrimitive(7, encodeIpAddress(g.ip));
  return derExplicit(4, [buildName(g.dirName).der]);
}

export function encodeGeneralNames(names: readonly GeneralNameSpec[]): Buffer {
  return derSequence(names.map(encodeGeneralName));
}
