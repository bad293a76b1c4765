import type { GeneralName, Name, ParsedCertificate } from '@mooring/pki';
import type { AttributeMapping, CertificateField } from '../roles-anywhere/profile.js';

export interface SessionTag {
  key: string;
  value: string;
}

export interface TagMappingResult {
  tags: SessionTag[];
  /** Tag suffixes whose values violate STS tag rules, per certificate field (service-spec §6.4). */
  failed: { issuer: string[]; subject: string[]; san: string[] };
}

// STS session tag rules (service-spec §13.4): value [\p{L}\p{Z}\p{N}_.:/=+\-@]*, ≤256 chars.
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_VALUE = 256;

/**
 * RDN values by short name, multi-valued attributes joined with '/' in certificate order
 * (service-spec §6.2). Attributes without a known short name are not "recognizable" and are
 * skipped (§6.1).
 */
function rdnValues(name: Name): Map<string, string> {
  const out = new Map<string, string>();
  for (const rdn of name.rdns) {
    for (const attr of rdn) {
      if (!attr.shortName) continue;
      const prev = out.get(attr.shortName);
      out.set(attr.shortName, prev === undefined ? attr.value : `${prev}/${attr.value}`);
    }
  }
  return out;
}

function specifiers(mappings: readonly AttributeMapping[], field: CertificateField): string[] {
  return mappings.find((m) => m.certificateField === field)?.mappingRules.map((r) => r.specifier) ?? [];
}

function selectRdns(values: Map<string, string>, specs: readonly string[]): Array<[string, string]> {
  if (specs.includes('*')) return [...values.entries()];
  return [...values.entries()].filter(([k]) => specs.includes(k));
}

function firstOf(sans: readonly GeneralName[], type: GeneralName['type']): GeneralName | undefined {
  return sans.find((s) => s.type === type);
}

/**
 * Certificate → session tags under the profile's attribute mappings (service-spec §6.1–§6.3):
 * `x509Subject/<RDN>`, `x509Issuer/<RDN>`, and from the FIRST SAN of each type
 * `x509SAN/DNS`, `x509SAN/URI`, `x509SAN/Name/<RDN>`.
 */
export function mapSessionTags(cert: ParsedCertificate, mappings: readonly AttributeMapping[]): TagMappingResult {
  const tags: SessionTag[] = [];
  const failed: TagMappingResult['failed'] = { issuer: [], subject: [], san: [] };
  const add = (bucket: keyof TagMappingResult['failed'], prefix: string, suffix: string, value: string) => {
    if (value.length > MAX_VALUE || !TAG_VALUE.test(value)) failed[bucket].push(suffix);
    else tags.push({ key: `${prefix}/${suffix}`, value });
  };
  for (const [k, v] of selectRdns(rdnValues(cert.subject), specifiers(mappings, 'x509Subject'))) add('subject', 'x509Subject', k, v);
  for (const [k, v] of selectRdns(rdnValues(cert.issuer), specifiers(mappings, 'x509Issuer'))) add('issuer', 'x509Issuer', k, v);

  const san = specifiers(mappings, 'x509SAN');
  const dns = firstOf(cert.subjectAltNames, 'dns');
  if (dns && san.includes('DNS')) add('san', 'x509SAN', 'DNS', dns.value);
  const uri = firstOf(cert.subjectAltNames, 'uri');
  if (uri && san.includes('URI')) add('san', 'x509SAN', 'URI', uri.value);
  const dir = firstOf(cert.subjectAltNames, 'dirName');
  if (dir?.name) {
    // 'Name', 'Name/' and 'Name/*' all mean every recognizable RDN (service-spec §6.3).
    const all = san.some((s) => s === 'Name' || s === 'Name/' || s === 'Name/*');
    const picked = all ? ['*'] : san.filter((s) => s.startsWith('Name/')).map((s) => s.slice(5));
    for (const [k, v] of selectRdns(rdnValues(dir.name), picked)) add('san', 'x509SAN', `Name/${k}`, v);
  }
  return { tags, failed };
}

export function hasMappingFailures(r: TagMappingResult): boolean {
  return r.failed.issuer.length + r.failed.subject.length + r.failed.san.length > 0;
}

/** The observed AWS wording (service-spec §4.4 step 11). */
export function mappingFailureDetail(r: TagMappingResult): string {
  const list = (xs: string[]) => `[ ${xs.join(', ')} ]`;
  return `Some attributes failed to be mapped into session tags. Issuer: ${list(r.failed.issuer)}; Subject: ${list(r.failed.subject)}; SAN: ${list(r.failed.san)}`;
}
