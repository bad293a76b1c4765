// The certificate rules of IAM Roles Anywhere (service-spec §5), one verdict per rule, so `mooring pki
// check` can explain what the AWS walkthrough leaves to reading `openssl x509 -text`. The algorithm
// and key verdicts come from @mooring/pki, the same code CreateSession runs, so check and service agree.
import { checkKey, checkSignatureAlgorithm, formatName } from '@mooring/pki';
import type { KeyUsage, ParsedCertificate } from '@mooring/pki';
import { defaultAttributeMappings } from '../core/roles-anywhere/profile.js';
import { mapSessionTags, mappingFailureDetail, hasMappingFailures } from '../core/session/session-tags.js';

export type RuleStatus = 'pass' | 'fail' | 'warn' | 'info';

export interface RuleResult {
  status: RuleStatus;
  /** Short statement of the requirement. */
  rule: string;
  /** What this certificate has. */
  detail: string;
  /** Typed reason on failure (the PathFailure names CreateSession audits). */
  reason?: string;
  /** How to fix it (OpenSSL extension syntax, since that is what the AWS walkthrough uses). */
  hint?: string;
}

export type CertificateKind = 'leaf' | 'ca';

const DAY_MS = 86_400_000;

function keyUsageNames(ku: KeyUsage): string[] {
  const names = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign'] as const;
  return names.filter((n) => ku[n]);
}

function describeKeyUsage(ku: KeyUsage | undefined): string {
  if (!ku) return 'keyUsage extension is absent';
  const names = keyUsageNames(ku);
  return `keyUsage${ku.critical ? ' (critical)' : ''}: ${names.length ? names.join(', ') : '(no bits set)'}`;
}

export function describeKey(c: ParsedCertificate): string {
  if (c.keyType === 'rsa') return `RSA ${c.keyBits ?? '?'} bits`;
  if (c.keyType === 'ec') return `EC ${c.ecCurve ?? '(unnamed curve)'}`;
  return c.keyType;
}

export function describeSignature(c: ParsedCertificate): string {
  const a = c.signatureAlgorithm;
  const scheme = { 'rsa-pkcs1': 'RSA PKCS#1 v1.5', 'rsa-pss': 'RSASSA-PSS', ecdsa: 'ECDSA', ed25519: 'Ed25519', unknown: `OID ${a.oid}` }[a.scheme];
  return a.hash ? `${scheme} with ${a.hash.toUpperCase().replace('SHA', 'SHA-')}` : scheme;
}

/** Leaf unless the certificate is a CA able to sign certificates (CA:TRUE and keyCertSign or no keyUsage). */
export function detectKind(c: ParsedCertificate): CertificateKind {
  return c.basicConstraints?.ca && (!c.keyUsage || c.keyUsage.keyCertSign) ? 'ca' : 'leaf';
}

function versionRule(c: ParsedCertificate): RuleResult {
  const rule = 'X.509 version 3';
  return c.version === 3
    ? { status: 'pass', rule, detail: 'version 3' }
    : {
        status: 'fail', rule, reason: 'not-v3', detail: `version ${c.version}: it cannot carry basicConstraints or keyUsage`,
        hint: 'OpenSSL writes v1 when no extensions are given: sign with -extfile v3.ext -extensions <section>',
      };
}

function subjectRule(c: ParsedCertificate): RuleResult {
  const rule = 'non-empty subject';
  return c.subject.rdns.length > 0
    ? { status: 'pass', rule, detail: formatName(c.subject) }
    : { status: 'fail', rule, reason: 'empty-subject', detail: 'the subject is empty (the service keys the Subject resource by it)', hint: 'set a subject, e.g. -subj "/CN=myContainer"' };
}

function signatureRule(c: ParsedCertificate): RuleResult {
  const rule = 'signature hash SHA-256 or stronger';
  const f = checkSignatureAlgorithm(c);
  return f
    ? { status: 'fail', rule, reason: f.reason, detail: `${describeSignature(c)}: ${f.detail}`, hint: 'MD5 and SHA-1 are rejected: sign with -sha256' }
    : { status: 'pass', rule, detail: describeSignature(c) };
}

function keyRule(c: ParsedCertificate): RuleResult {
  const rule = 'key type and size (RSA >= 2048, EC P-256/P-384/P-521)';
  const f = checkKey(c);
  return f
    ? { status: 'fail', rule, reason: f.reason, detail: f.detail, hint: 'generate a new key, e.g. openssl genrsa 2048, or --key p256' }
    : { status: 'pass', rule, detail: describeKey(c) };
}

function validityRule(c: ParsedCertificate, now: Date): RuleResult {
  const rule = 'inside its validity window';
  const window = `${c.notBefore.toISOString()} .. ${c.notAfter.toISOString()}`;
  if (now < c.notBefore) return { status: 'fail', rule, reason: 'not-yet-valid', detail: `not valid before ${c.notBefore.toISOString()} (window ${window})` };
  if (now > c.notAfter) return { status: 'fail', rule, reason: 'expired', detail: `expired at ${c.notAfter.toISOString()} (window ${window})`, hint: 'issue a new certificate' };
  const days = Math.floor((c.notAfter.getTime() - now.getTime()) / DAY_MS);
  return { status: 'pass', rule, detail: `${window}, ${days} day(s) left` };
}

function criticalExtensionsRule(c: ParsedCertificate): RuleResult {
  const rule = 'no unsupported critical extensions';
  return c.unknownCriticalExtensions.length === 0
    ? { status: 'pass', rule, detail: 'none' }
    : { status: 'fail', rule, reason: 'unknown-critical-extension', detail: `critical extension(s) ${c.unknownCriticalExtensions.join(', ')} are not understood (RFC 5280 §6.1.4 (o))` };
}

/** End-entity rules: AWS "Signature validation" (service-spec §5). */
export function checkLeafRules(c: ParsedCertificate, now: Date): RuleResult[] {
  const rules: RuleResult[] = [versionRule(c), subjectRule(c)];
  const bc = c.basicConstraints;
  // "If the CA field is present in the basic constraints extension, its value MUST be false."
  const bcRule = 'basicConstraints CA:FALSE (or absent)';
  if (bc?.ca) {
    rules.push({ status: 'fail', rule: bcRule, reason: 'leaf-is-ca', detail: 'basicConstraints CA:TRUE: a CA certificate cannot sign CreateSession', hint: 'basicConstraints = critical, CA:FALSE' });
  } else {
    rules.push({ status: 'pass', rule: bcRule, detail: bc ? `CA:FALSE${bc.critical ? ' (critical)' : ''}` : 'absent (allowed)' });
  }
  // "The key usage MUST include Digital Signature." AWS: "Untrusted certificate. Insufficient certificate".
  const kuRule = 'keyUsage includes digitalSignature';
  if (c.keyUsage?.digitalSignature) rules.push({ status: 'pass', rule: kuRule, detail: describeKeyUsage(c.keyUsage) });
  else {
    rules.push({
      status: 'fail', rule: kuRule, reason: 'leaf-missing-digital-signature',
      detail: `${describeKeyUsage(c.keyUsage)}; CreateSession answers "Untrusted certificate. Insufficient certificate"`,
      hint: 'keyUsage = critical, digitalSignature',
    });
  }
  rules.push(signatureRule(c), keyRule(c), validityRule(c, now), criticalExtensionsRule(c));
  // Not a service rule (service-spec §5: EKU is not required); shown because many guides add it.
  rules.push({
    status: 'info', rule: 'extendedKeyUsage (not required by the service)',
    detail: c.extKeyUsage ? c.extKeyUsage.map((o) => (o === '1.3.6.1.5.5.7.3.2' ? 'clientAuth' : o === '1.3.6.1.5.5.7.3.1' ? 'serverAuth' : o)).join(', ') : 'absent',
  });
  rules.push(sessionTagsRule(c));
  return rules;
}

/** service-spec §6.1/§6.4: the principal tags CreateSession derives, and whether their values are legal STS tag values. */
function sessionTagsRule(c: ParsedCertificate): RuleResult {
  const r = mapSessionTags(c, defaultAttributeMappings());
  const rule = 'subject/issuer/SAN values are valid session tag values (default attribute mapping)';
  const tags = r.tags.map((t) => `${t.key}=${t.value}`).join('; ') || '(none)';
  if (hasMappingFailures(r)) {
    return {
      status: 'fail', rule, reason: 'tag-mapping', detail: `${mappingFailureDetail(r)}; mapped: ${tags}`,
      hint: 'STS tag values allow only letters, digits, spaces and _ . : / = + - @; or drop the field with PutAttributeMapping',
    };
  }
  return { status: 'pass', rule, detail: tags };
}

/** Trust anchor rules (service-spec §5): the signature/key rules, plus CA:TRUE and keyCertSign. */
export function checkCaRules(c: ParsedCertificate, now: Date): RuleResult[] {
  const rules: RuleResult[] = [versionRule(c), subjectRule(c)];
  const bc = c.basicConstraints;
  const bcRule = 'basicConstraints CA:TRUE';
  if (!bc?.ca) {
    rules.push({
      status: 'fail', rule: bcRule, reason: 'issuer-not-ca',
      detail: `${bc ? 'CA:FALSE' : 'basicConstraints is absent'}; CreateTrustAnchor answers "Incorrect basic constraints for CA certificate"`,
      hint: 'basicConstraints = critical, CA:TRUE',
    });
  } else {
    rules.push({ status: 'pass', rule: bcRule, detail: `CA:TRUE${bc.pathLen !== undefined ? `, pathlen ${bc.pathLen}` : ''}${bc.critical ? ' (critical)' : ''}` });
    // RFC 5280 §4.2.1.9 requires critical in CA certificates; AWS (and the walkthrough's v3_ca) do not.
    if (!bc.critical) rules.push({ status: 'warn', rule: 'basicConstraints marked critical (RFC 5280 §4.2.1.9)', detail: 'not critical; IAM Roles Anywhere accepts it, strict RFC 5280 validators may not' });
  }
  const kuRule = 'keyUsage includes keyCertSign (cRLSign optional)';
  if (c.keyUsage?.keyCertSign) rules.push({ status: 'pass', rule: kuRule, detail: describeKeyUsage(c.keyUsage) });
  else rules.push({ status: 'fail', rule: kuRule, reason: 'issuer-missing-key-cert-sign', detail: describeKeyUsage(c.keyUsage), hint: 'keyUsage = critical, keyCertSign, cRLSign' });
  // Not an AWS rule, but without cRLSign this CA's CRLs are refused by ImportCrl and ignored as
  // CRL distribution points (RFC 5280 §4.2.1.3, §6.3.3): revocation would be impossible.
  if (c.keyUsage && !c.keyUsage.cRLSign)
    rules.push({ status: 'warn', rule: 'keyUsage includes cRLSign (to revoke by CRL)', detail: 'cRLSign is missing: ImportCrl refuses this CA\'s CRLs', hint: 'keyUsage = critical, keyCertSign, cRLSign' });
  rules.push(signatureRule(c), keyRule(c), validityRule(c, now), criticalExtensionsRule(c));
  return rules;
}
