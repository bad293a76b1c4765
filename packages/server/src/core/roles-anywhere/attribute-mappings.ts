import type { AttributeMapping, CertificateField } from './profile.js';

/** AWS returns mappings sorted by certificate field (x509Issuer, x509SAN, x509Subject; §3.2). */
const ORDER: readonly CertificateField[] = ['x509Issuer', 'x509SAN', 'x509Subject'];

/**
 * `Name` and `Name/` mean the same as `Name/*` and are displayed as `Name/*` (service-spec §6.3).
 * Only SAN specifiers have that form; subject/issuer specifiers are kept as given.
 */
export function normaliseSpecifier(field: CertificateField, specifier: string): string {
  if (field === 'x509SAN' && (specifier === 'Name' || specifier === 'Name/')) return 'Name/*';
  return specifier;
}

function normalisedUnique(field: CertificateField, specifiers: readonly string[]): string[] {
  return [...new Set(specifiers.map((s) => normaliseSpecifier(field, s)))];
}

function sorted(mappings: AttributeMapping[]): AttributeMapping[] {
  return mappings.sort((a, b) => ORDER.indexOf(a.certificateField) - ORDER.indexOf(b.certificateField));
}

/** The field's rule list is replaced by `specifiers` (service-spec §3.3: observed replace). */
export function putMappingRules(current: readonly AttributeMapping[], field: CertificateField, specifiers: readonly string[]): AttributeMapping[] {
  const others = current.filter((m) => m.certificateField !== field);
  const rules = normalisedUnique(field, specifiers).map((specifier) => ({ specifier }));
  return sorted([...others, { certificateField: field, mappingRules: rules }]);
}

/** Removes the named specifiers from the field, or the whole field when none are named. */
export function deleteMappingRules(current: readonly AttributeMapping[], field: CertificateField, specifiers: readonly string[] | undefined): AttributeMapping[] {
  if (specifiers === undefined || specifiers.length === 0) return current.filter((m) => m.certificateField !== field);
  const drop = new Set(normalisedUnique(field, specifiers));
  return current.map((m) =>
    m.certificateField === field ? { certificateField: field, mappingRules: m.mappingRules.filter((r) => !drop.has(r.specifier)) } : m,
  );
}
