// Certification path building and validation: the RFC 5280 §6.1 subset that AWS IAM Roles Anywhere
// documents (service-spec §5), with one typed reason per failure (style-anchors §9.2).
import { verifyCertificateSignature } from './certificate.js';
import type { ParsedCertificate } from './certificate.js';
import { checkKey, checkSignatureAlgorithm } from './certificate-policy.js';
import { formatName, nameEquals } from './name.js';
import { nameConstraintViolation } from './name-constraints.js';

export type PathFailure =
  | 'malformed' | 'not-v3' | 'empty-subject' | 'leaf-is-ca' | 'leaf-missing-digital-signature' | 'name-constraints'
  | 'weak-signature-algorithm' | 'weak-key' | 'unsupported-key' | 'expired' | 'not-yet-valid'
  | 'untrusted-issuer' | 'bad-signature' | 'issuer-not-ca' | 'issuer-missing-key-cert-sign'
  | 'path-length-exceeded' | 'chain-too-long' | 'unknown-critical-extension';

export type CertificateRole = 'leaf' | 'intermediate' | 'anchor';

export interface PathValidationInput {
  leaf: ParsedCertificate;
  /** As presented: any order; may repeat the leaf or include a root. Duplicates are skipped. */
  intermediates: ParsedCertificate[];
  /** Trust anchor CA certificates; a path may end at any of them (root or intermediate CA). */
  anchors: ParsedCertificate[];
  now: Date;
  /** Default 5, the X-Amz-X509-Chain limit (service-spec §4.1). */
  maxIntermediates?: number;
  /**
   * Skip the AWS end-entity rules (v3, subject, CA:FALSE, digitalSignature) and validate only the
   * path: for a diagnostic tool that reports those rules on their own lines. The leaf's common
   * checks (validity, algorithms, critical extensions) still apply. CreateSession never sets it.
   */
  skipLeafProfile?: boolean;
}

export type PathValidationResult =
  | { ok: true; path: ParsedCertificate[]; anchor: ParsedCertificate }
  | { ok: false; reason: PathFailure; certificate?: CertificateRole; detail: string };

type Failure = { ok: false; reason: PathFailure; certificate?: CertificateRole; detail: string };

function fail(reason: PathFailure, certificate: CertificateRole | undefined, detail: string): Failure {
  return certificate ? { ok: false, reason, certificate, detail } : { ok: false, reason, detail };
}

function describe(c: ParsedCertificate): string {
  return `"${formatName(c.subject)}" (serial ${c.serialHex})`;
}

/** RFC 5280 §6.1.3 (a)(2): the validity window, inclusive at both ends. */
function checkValidity(c: ParsedCertificate, role: CertificateRole, now: Date): Failure | undefined {
  const t = now.getTime();
  if (t < c.notBefore.getTime()) return fail('not-yet-valid', role, `${role} ${describe(c)} is not valid before ${c.notBefore.toISOString()}`);
  if (t > c.notAfter.getTime()) return fail('expired', role, `${role} ${describe(c)} expired at ${c.notAfter.toISOString()}`);
  return undefined;
}

/** Algorithm policy, critical extensions and validity: applied to every certificate in the path. */
function checkCommon(c: ParsedCertificate, role: CertificateRole, now: Date): Failure | undefined {
  const alg = checkSignatureAlgorithm(c) ?? checkKey(c);
  if (alg) return fail(alg.reason, role, `${role} ${describe(c)}: ${alg.detail}`);
  // RFC 5280 §6.1.4 (o): unrecognised critical extensions make the path invalid.
  if (c.unknownCriticalExtensions.length > 0) {
    return fail('unknown-critical-extension', role, `${role} ${describe(c)} has unsupported critical extension(s) ${c.unknownCriticalExtensions.join(', ')}`);
  }
  return checkValidity(c, role, now);
}

/** AWS "Signature validation" end-entity rules (service-spec §5), checked before any path building. */
function checkLeafProfile(leaf: ParsedCertificate, now: Date): Failure | undefined {
  if (leaf.version !== 3) return fail('not-v3', 'leaf', `leaf certificate is X.509 v${leaf.version}; v3 is required`);
  // Empty subjects are "NOT yet supported" (the subject is the key of the Subject resource).
  if (leaf.subject.rdns.length === 0) return fail('empty-subject', 'leaf', 'leaf certificate has an empty subject');
  // "If the CA field is present in the basic constraints extension, its value MUST be false."
  if (leaf.basicConstraints?.ca) return fail('leaf-is-ca', 'leaf', `leaf ${describe(leaf)} has basicConstraints CA:TRUE`);
  // "The key usage MUST include Digital Signature": an absent keyUsage does not include it.
  if (!leaf.keyUsage?.digitalSignature) {
    const why = leaf.keyUsage ? 'keyUsage lacks digitalSignature' : 'keyUsage extension is absent';
    return fail('leaf-missing-digital-signature', 'leaf', `leaf ${describe(leaf)}: ${why}`);
  }
  return checkCommon(leaf, 'leaf', now);
}

/** Issuer rules: RFC 5280 §6.1.4 (k) CA:TRUE, (n) keyCertSign, (l)/(m) pathLenConstraint. */
function checkIssuer(c: ParsedCertificate, role: CertificateRole, intermediatesBelow: number, now: Date): Failure | undefined {
  if (!c.basicConstraints?.ca) return fail('issuer-not-ca', role, `${role} ${describe(c)} is not a CA (basicConstraints CA:TRUE missing)`);
  if (c.keyUsage && !c.keyUsage.keyCertSign) {
    return fail('issuer-missing-key-cert-sign', role, `${role} ${describe(c)} keyUsage lacks keyCertSign`);
  }
  const pathLen = c.basicConstraints.pathLen;
  if (pathLen !== undefined && intermediatesBelow > pathLen) {
    return fail('path-length-exceeded', role, `${role} ${describe(c)} allows ${pathLen} intermediate(s) below it, path has ${intermediatesBelow}`);
  }
  return checkCommon(c, role, now);
}

/** Name chaining (RFC 5280 §6.1.3 (a)(4)) plus AKI/SKI agreement when both are present (§4.2.1.1). */
function couldIssue(candidate: ParsedCertificate, child: ParsedCertificate): boolean {
  if (!nameEquals(candidate.subject, child.issuer)) return false;
  if (child.authorityKeyId && candidate.subjectKeyId && !child.authorityKeyId.equals(candidate.subjectKeyId)) return false;
  return true;
}

function isSelfIssued(c: ParsedCertificate): boolean {
  return nameEquals(c.subject, c.issuer);
}

/** Upper bound on candidate examinations: keeps hostile chains (many same-named CAs) linear-ish. */
const SEARCH_BUDGET = 256;

/**
 * Builds a path leaf -> intermediates -> anchor and validates it. Leaf profile failures are reported
 * first (the most useful reason); otherwise the failure found deepest in the search, else 'untrusted-issuer'.
 */
export function validatePath(input: PathValidationInput): PathValidationResult {
  const { leaf, anchors, now } = input;
  const max = input.maxIntermediates ?? 5;

  const leafFailure = input.skipLeafProfile ? checkCommon(leaf, 'leaf', now) : checkLeafProfile(leaf, now);
  if (leafFailure) return leafFailure;

  const anchorFps = new Set(anchors.map((a) => a.fingerprint256));
  const seen = new Set<string>([leaf.fingerprint256, ...anchorFps]);
  const pool: ParsedCertificate[] = [];
  for (const c of input.intermediates) {
    if (seen.has(c.fingerprint256)) continue;
    seen.add(c.fingerprint256);
    pool.push(c);
  }
  // service-spec §4.1/§5: the chain "MUST NOT exceed the maximum depth of 5 certificates".
  if (pool.length > max) return fail('chain-too-long', 'intermediate', `${pool.length} intermediate certificates presented; at most ${max} allowed`);

  let best: { failure: Failure; depth: number } | undefined;
  const record = (failure: Failure, depth: number): void => {
    if (!best || depth > best.depth) best = { failure, depth };
  };
  const sigCache = new Map<string, boolean>();
  const verified = (child: ParsedCertificate, issuer: ParsedCertificate): boolean => {
    const key = `${child.fingerprint256}:${issuer.fingerprint256}`;
    let ok = sigCache.get(key);
    if (ok === undefined) {
      let issuerKey;
      try {
        issuerKey = issuer.publicKey;
      } catch {
        issuerKey = undefined;
      }
      ok = issuerKey !== undefined && verifyCertificateSignature(child, issuerKey);
      sigCache.set(key, ok);
    }
    return ok;
  };
  let budget = SEARCH_BUDGET;

  // Depth-first: `path` is leaf..current; `below` counts non-self-issued intermediates already in it.
  const search = (path: ParsedCertificate[], below: number): ParsedCertificate[] | undefined => {
    const current = path[path.length - 1]!;
    const depth = path.length;
    const currentRole: CertificateRole = depth === 1 ? 'leaf' : 'intermediate';
    // Anchors first: the shortest path to trust wins.
    const candidates = [...anchors, ...pool.filter((c) => !path.includes(c))].filter((c) => couldIssue(c, current));
    if (candidates.length === 0) {
      record(fail('untrusted-issuer', currentRole, `no trusted issuer "${formatName(current.issuer)}" found for ${currentRole} ${describe(current)}`), depth);
      return undefined;
    }
    for (const cand of candidates) {
      if (--budget < 0) return undefined;
      const isAnchor = anchorFps.has(cand.fingerprint256);
      const role: CertificateRole = isAnchor ? 'anchor' : 'intermediate';
      if (!isAnchor && depth > max) {
        record(fail('chain-too-long', 'intermediate', `path would need more than ${max} intermediates`), depth);
        continue;
      }
      // Key policy first: an unusable key cannot verify anything, and a weak one must not be trusted.
      const keyFailure = checkKey(cand);
      if (keyFailure) {
        record(fail(keyFailure.reason, role, `${role} ${describe(cand)}: ${keyFailure.detail}`), depth);
        continue;
      }
      // Signature before the CA checks: a candidate whose key did not sign `current` is not its issuer.
      if (!verified(current, cand)) {
        record(fail('bad-signature', currentRole, `signature of ${currentRole} ${describe(current)} does not verify with ${role} ${describe(cand)}`), depth);
        continue;
      }
      const issuerFailure = checkIssuer(cand, role, below, now);
      if (issuerFailure) {
        record(issuerFailure, depth);
        continue;
      }
      // RFC 5280 §6.1.3 (b)(c), §6.1.4 (g): a CA's name constraints bind every certificate below
      // it, except self-issued intermediates (only the leaf is checked among self-issued ones).
      // An anchor's own constraints apply too (RFC 5937 §3: the anchor certificate's constraints).
      if (cand.nameConstraints) {
        const nc = cand.nameConstraints;
        let violation: string | undefined;
        for (let i = 0; i < path.length && violation === undefined; i++) {
          const c = path[i]!;
          if (i > 0 && isSelfIssued(c)) continue;
          const why = nameConstraintViolation(nc, c);
          if (why) violation = `${i === 0 ? 'leaf' : 'intermediate'} ${describe(c)}: ${why} of ${role} ${describe(cand)}`;
        }
        if (violation) {
          record(fail('name-constraints', role, violation), depth);
          continue;
        }
      }
      if (isAnchor) return [...path, cand];
      const found = search([...path, cand], below + (isSelfIssued(cand) ? 0 : 1));
      if (found) return found;
    }
    return undefined;
  };

  const path = search([leaf], 0);
  if (path) return { ok: true, path, anchor: path[path.length - 1]! };
  if (budget < 0 && !best) return fail('untrusted-issuer', undefined, 'path search limit reached without finding a trusted path');
  return best?.failure ?? fail('untrusted-issuer', 'leaf', 'no path to a trust anchor');
}

export type TrustAnchorCheck =
  | { ok: true }
  | { ok: false; reason: 'not-v3' | 'issuer-not-ca' | 'issuer-missing-key-cert-sign' | 'weak-signature-algorithm' | 'weak-key' | 'unsupported-key' | 'unknown-critical-extension'; detail: string };

/**
 * CreateTrustAnchor / UpdateTrustAnchor certificate rules (service-spec §5): "Basic constraints MUST include
 * CA: true", "The key usage MUST include Certificate Sign", plus the same signature algorithm and key rules.
 * AWS answers "Incorrect basic constraints for CA certificate".
 */
export function checkTrustAnchorCertificate(cert: ParsedCertificate): TrustAnchorCheck {
  if (cert.version !== 3) return { ok: false, reason: 'not-v3', detail: `CA certificate is X.509 v${cert.version}; v3 is required` };
  if (!cert.basicConstraints?.ca) return { ok: false, reason: 'issuer-not-ca', detail: 'basicConstraints CA:TRUE is required' };
  if (!cert.keyUsage?.keyCertSign) {
    return { ok: false, reason: 'issuer-missing-key-cert-sign', detail: cert.keyUsage ? 'keyUsage lacks keyCertSign' : 'keyUsage with keyCertSign is required' };
  }
  const alg = checkSignatureAlgorithm(cert) ?? checkKey(cert);
  if (alg) return { ok: false, reason: alg.reason, detail: alg.detail };
  // Path validation refuses every path through a certificate with a critical extension it does
  // not process (RFC 5280 §4.2): refuse such an anchor now rather than accept an unusable one.
  if (cert.unknownCriticalExtensions.length > 0)
    return { ok: false, reason: 'unknown-critical-extension', detail: `unsupported critical extension(s) ${cert.unknownCriticalExtensions.join(', ')}` };
  return { ok: true };
}
