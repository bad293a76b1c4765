// `mooring pki issue`: an end-entity certificate with exactly the profile IAM Roles Anywhere accepts
// (service-spec §5): v3, SHA-256, basicConstraints critical CA:FALSE, keyUsage critical
// digitalSignature, plus extKeyUsage clientAuth (not required by the service, expected by many
// relying parties), SKI and AKI (RFC 5280 §4.2.1.1/§4.2.1.2) so path building is unambiguous.
import type { KeyObject } from 'node:crypto';
import { buildCertificateWithSigner, formatName, generateKeyPair, parseCertificate, toPem } from '@mooring/pki';
import type { UnsignedCertificateTemplate, GeneralNameSpec, NameSpec, ParsedCertificate } from '@mooring/pki';
import { defaultAttributeMappings } from '../core/roles-anywhere/profile.js';
import { hasMappingFailures, mapSessionTags, mappingFailureDetail } from '../core/session/session-tags.js';
import { CaDirectory, indexEntry } from './ca-directory.js';
import type { LoadedCa } from './ca-directory.js';
import type { TokenAccess } from './ca-signer.js';
import { validityFrom } from './cli-options.js';
import type { CliKeySpec } from './cli-options.js';
import { checkSubjectKey, nameToSpec, parseCsr } from './csr.js';
import { PkiCommandError, ensureAbsent, writeNewFile } from './pki-io.js';

export const DEFAULT_LEAF_DAYS = 365;

export interface IssueOptions {
  dir: string;
  /** From --cn/--o/--ou; when absent the CSR's subject is used. */
  subject?: NameSpec;
  subjectAltNames: GeneralNameSpec[];
  /** Validity in days; when absent, 365 or up to the issuing CA's notAfter, whichever is sooner. */
  days?: number;
  /** Key to generate when there is no CSR. */
  key: CliKeySpec;
  /** CSR bytes (PEM or DER); the key stays with the requester. */
  csr?: Buffer;
  /** Output path prefix: PREFIX-cert.pem, PREFIX-key.pem, PREFIX-fullchain.pem. */
  outPrefix: string;
  now: Date;
  /** Module and PIN for a CA key on a PKCS#11 token. */
  access?: TokenAccess;
}

export interface IssueResult {
  cert: ParsedCertificate;
  certPath: string;
  keyPath?: string;
  fullchainPath: string;
  issuer: 'root' | 'intermediate';
  /** Non-fatal observations (printed on stderr). */
  warnings: string[];
}

export async function issueCertificate(opts: IssueOptions): Promise<IssueResult> {
  const ca = new CaDirectory(opts.dir);
  ca.assertInitialised();
  const issuer = await ca.loadIssuingCa(opts.access);
  try {
    return await issueWith(ca, issuer, opts);
  } finally {
    await issuer.signer.close();
  }
}

async function issueWith(ca: CaDirectory, issuer: LoadedCa, opts: IssueOptions): Promise<IssueResult> {
  const warnings: string[] = [];
  const certPath = `${opts.outPrefix}-cert.pem`;
  const keyPath = opts.csr ? undefined : `${opts.outPrefix}-key.pem`;
  const fullchainPath = `${opts.outPrefix}-fullchain.pem`;
  // Before any work (key generation can take seconds for RSA 4096): never overwrite an earlier issue.
  ensureAbsent([certPath, fullchainPath, ...(keyPath ? [keyPath] : [])]);

  let publicKey: KeyObject;
  let privateKey: KeyObject | undefined;
  let subject = opts.subject;
  if (opts.csr) {
    const csr = parseCsr(opts.csr);
    const weak = checkSubjectKey(csr.publicKey);
    if (weak) throw new PkiCommandError(`the CSR key would be refused by CreateSession: ${weak}`);
    publicKey = csr.publicKey;
    if (subject) {
      if (csr.subject.rdns.length > 0) warnings.push(`the CSR subject "${formatName(csr.subject)}" is replaced by the subject from --cn/--o/--ou`);
    } else {
      // service-spec §5: an empty subject is not supported (it keys the Subject resource).
      if (csr.subject.rdns.length === 0) throw new PkiCommandError('the CSR has an empty subject; pass --cn');
      subject = nameToSpec(csr.subject);
    }
    // The CA decides the extensions: copying requested ones could mint CA:TRUE or drop digitalSignature.
    if (csr.requestsExtensions) warnings.push('extensions requested in the CSR are ignored; SANs come only from --dns/--uri');
  } else {
    if (!subject) throw new PkiCommandError('--cn is required when no --csr is given');
    const pair = generateKeyPair(opts.key);
    publicKey = pair.publicKey;
    privateKey = pair.privateKey;
  }

  const { notBefore, notAfter } = validityFrom(opts.now, opts.days ?? DEFAULT_LEAF_DAYS);
  // A leaf outliving its issuer stops validating when the issuer expires (RFC 5280 §6.1.3 (a)(2)).
  if (notAfter > issuer.cert.notAfter) {
    if (opts.days !== undefined) {
      throw new PkiCommandError(`--days ${opts.days} ends after the issuing CA expires (${issuer.cert.notAfter.toISOString()}); choose fewer days`);
    }
    notAfter.setTime(issuer.cert.notAfter.getTime());
    warnings.push(`validity shortened to end with the issuing CA (${issuer.cert.notAfter.toISOString()})`);
  }
  if (notAfter <= opts.now) throw new PkiCommandError(`the issuing CA expired at ${issuer.cert.notAfter.toISOString()}`);

  const template: UnsignedCertificateTemplate = {
    subject: subject!,
    issuerDer: issuer.cert.subject.der,
    serial: ca.allocateSerial(),
    notBefore,
    notAfter,
    publicKey,
    hash: 'sha256',
    version: 3,
    basicConstraints: { ca: false, critical: true },
    keyUsage: ['digitalSignature'],
    keyUsageCritical: true,
    extKeyUsage: ['clientAuth'],
    subjectKeyId: true,
  };
  if (opts.subjectAltNames.length > 0) template.subjectAltNames = opts.subjectAltNames;
  if (issuer.cert.subjectKeyId) template.authorityKeyId = issuer.cert.subjectKeyId;
  const der = await buildCertificateWithSigner(template, issuer.signer);
  const parsed = parseCertificate(der);
  if (!parsed.ok) throw new Error(`issued certificate does not parse: ${parsed.detail}`);
  const cert = parsed.value;

  // service-spec §6.4: values outside the STS tag alphabet make CreateSession fail under the default mapping.
  const tags = mapSessionTags(cert, defaultAttributeMappings());
  if (hasMappingFailures(tags)) warnings.push(`CreateSession will refuse this certificate under the default attribute mapping: ${mappingFailureDetail(tags)}`);

  const certPem = toPem('CERTIFICATE', der);
  if (privateKey && keyPath) writeNewFile(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { secret: true });
  writeNewFile(certPath, certPem);
  // fullchain = leaf + intermediate (never the root: the root is the trust anchor, sent separately).
  writeNewFile(fullchainPath, issuer.role === 'intermediate' ? certPem + issuer.pem : certPem);
  ca.record(indexEntry(cert, 'leaf', issuer.role, formatName(cert.subject), opts.now));

  return { cert, certPath, ...(keyPath ? { keyPath } : {}), fullchainPath, issuer: issuer.role, warnings };
}
