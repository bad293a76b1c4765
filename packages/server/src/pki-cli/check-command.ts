// `mooring pki check CERT [--ca BUNDLE] [--chain FILE]`: rule-by-rule verdict on a leaf or CA
// certificate, plus (with --ca) the path validation CreateSession performs, with its typed reason.
import { readFileSync } from 'node:fs';
import { formatName, parseCertificate, parseCertificatePem, validatePath } from '@mooring/pki';
import type { ParsedCertificate } from '@mooring/pki';
import { checkCaRules, checkLeafRules, detectKind } from './check-rules.js';
import type { CertificateKind, RuleResult } from './check-rules.js';
import { PkiCommandError } from './pki-io.js';
import { sessionFailure } from '../core/session/session-failure.js';

export interface CheckOptions {
  certPath: string;
  caPath?: string;
  chainPath?: string;
  /** Force the profile; default: detected from basicConstraints/keyUsage. */
  as?: CertificateKind;
  now: Date;
}

export interface CheckReport {
  kind: CertificateKind;
  certificate: ParsedCertificate;
  rules: RuleResult[];
  ok: boolean;
}

// service-spec §5 / Appendix A: a CERTIFICATE_BUNDLE source is 1..16000 characters with at most 2 certificates.
const MAX_BUNDLE_CHARS = 16_000;
const MAX_BUNDLE_CERTS = 2;

/** Reads PEM (one or more CERTIFICATE blocks) or a single DER certificate. */
export function readCertificates(path: string): { certs: ParsedCertificate[]; text: string } {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch {
    throw new PkiCommandError(`cannot read ${path}`);
  }
  const text = raw.toString('latin1');
  if (text.includes('-----BEGIN')) {
    const r = parseCertificatePem(text);
    if (!r.ok) throw new PkiCommandError(`${path}: ${r.detail}`);
    return { certs: r.value, text };
  }
  const r = parseCertificate(raw);
  if (!r.ok) throw new PkiCommandError(`${path}: not a PEM or DER certificate (${r.detail})`);
  return { certs: [r.value], text };
}

function bundleRules(path: string, certs: ParsedCertificate[], text: string, now: Date): RuleResult[] {
  const rule = `trust anchor bundle ${path}: 1..${MAX_BUNDLE_CERTS} CA certificates, at most ${MAX_BUNDLE_CHARS} characters`;
  const out: RuleResult[] = [];
  if (certs.length > MAX_BUNDLE_CERTS || text.length > MAX_BUNDLE_CHARS) {
    out.push({ status: 'fail', rule, reason: 'bundle-too-large', detail: `${certs.length} certificate(s), ${text.length} characters; CreateTrustAnchor refuses it` });
  } else {
    out.push({ status: 'pass', rule, detail: `${certs.length} certificate(s), ${text.length} characters` });
  }
  for (const anchor of certs) {
    const failures = checkCaRules(anchor, now).filter((r) => r.status === 'fail');
    const name = formatName(anchor.subject) || '(empty subject)';
    if (failures.length === 0) out.push({ status: 'pass', rule: `trust anchor "${name}" meets the CA rules`, detail: `serial ${anchor.serialHex}` });
    else out.push({ status: 'fail', rule: `trust anchor "${name}" meets the CA rules`, reason: failures[0]!.reason!, detail: failures.map((f) => `${f.rule}: ${f.detail}`).join('; '), hint: `run "mooring pki check ${path}" for details` });
  }
  return out;
}

function pathRule(leaf: ParsedCertificate, chain: ParsedCertificate[], anchors: ParsedCertificate[], now: Date): RuleResult {
  const rule = 'certification path to the trust anchor (RFC 5280 §6.1, as CreateSession validates it)';
  // The end-entity rules have their own lines above; this line is about the path.
  const r = validatePath({ leaf, intermediates: chain, anchors, now, skipLeafProfile: true });
  if (r.ok) {
    const via = r.path.slice(1, -1).map((c) => `"${formatName(c.subject)}"`);
    return { status: 'pass', rule, detail: `chains to "${formatName(r.anchor.subject)}"${via.length ? ` via ${via.join(', ')}` : ''}` };
  }
  const hint = r.reason === 'untrusted-issuer' && chain.length === 0
    ? 'if an intermediate CA issued it, pass it with --chain (the helper sends it with --intermediates)'
    : undefined;
  return { status: 'fail', rule, reason: r.reason, detail: `${r.certificate ? `${r.certificate}: ` : ''}${r.detail}; CreateSession answers "${sessionFailure(r.reason, '').message}"`, ...(hint ? { hint } : {}) };
}

export function checkCertificate(opts: CheckOptions): CheckReport {
  const { certs } = readCertificates(opts.certPath);
  const [certificate, ...extra] = certs as [ParsedCertificate, ...ParsedCertificate[]];
  const kind = opts.as ?? detectKind(certificate);
  const rules = kind === 'leaf' ? checkLeafRules(certificate, opts.now) : checkCaRules(certificate, opts.now);
  const chain = [...extra, ...(opts.chainPath ? readCertificates(opts.chainPath).certs : [])];
  if (opts.caPath) {
    const bundle = readCertificates(opts.caPath);
    rules.push(...bundleRules(opts.caPath, bundle.certs, bundle.text, opts.now));
    if (kind === 'leaf') rules.push(pathRule(certificate, chain, bundle.certs, opts.now));
    else rules.push({ status: 'info', rule: 'certification path', detail: 'path validation applies to leaf certificates; check the leaf with --ca instead' });
  }
  return { kind, certificate, rules, ok: rules.every((r) => r.status !== 'fail') };
}

const MARK: Record<RuleResult['status'], string> = { pass: '✓', fail: '✗', warn: '!', info: 'i' };

export function formatReport(path: string, r: CheckReport): string {
  const c = r.certificate;
  const lines = [
    `${path}: ${r.kind === 'leaf' ? 'end-entity (leaf) certificate' : 'CA certificate (trust anchor)'}`,
    `  subject  ${formatName(c.subject) || '(empty)'}`,
    `  issuer   ${formatName(c.issuer) || '(empty)'}`,
    `  serial   ${c.serialHex}${r.kind === 'leaf' ? ' (the CreateSession role session name)' : ''}`,
    `  sha256   ${c.fingerprint256}`,
    '',
  ];
  for (const rule of r.rules) {
    lines.push(`${MARK[rule.status]} ${rule.rule}: ${rule.detail}${rule.reason && rule.status === 'fail' ? ` [${rule.reason}]` : ''}`);
    if (rule.hint && rule.status === 'fail') lines.push(`    fix: ${rule.hint}`);
  }
  const failed = r.rules.filter((x) => x.status === 'fail').length;
  lines.push('');
  lines.push(r.ok
    ? `PASS: meets the IAM Roles Anywhere requirements for a ${r.kind === 'leaf' ? 'signing certificate' : 'trust anchor certificate'}`
    : `FAIL: ${failed} rule(s) not met`);
  return `${lines.join('\n')}\n`;
}
