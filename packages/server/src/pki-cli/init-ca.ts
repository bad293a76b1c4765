// `mooring pki init-ca`: a root CA and optionally an intermediate (pathlen 0) whose certificates meet
// the trust-anchor rules (service-spec §5: v3, basicConstraints CA:TRUE, keyUsage keyCertSign, SHA-256).
import { mkdirSync } from 'node:fs';
import { createCertificateAuthority, formatName } from '@mooring/pki';
import type { IssuedCertificate, NameSpec } from '@mooring/pki';
import { CaDirectory, indexEntry } from './ca-directory.js';
import type { IndexEntry } from './ca-directory.js';
import { validityFrom } from './cli-options.js';
import type { CliKeySpec } from './cli-options.js';
import { ensureAbsent, writeNewFile } from './pki-io.js';

export interface InitCaOptions {
  dir: string;
  cn: string;
  o?: string;
  key: CliKeySpec;
  days: number;
  intermediate?: { cn: string; days: number };
  now: Date;
}

export interface InitCaResult {
  root: IssuedCertificate;
  intermediate?: IssuedCertificate;
  /** The file to give CreateTrustAnchor as its CERTIFICATE_BUNDLE. */
  trustAnchorPath: string;
  /** The CA that `issue` and `crl` sign with. */
  issuingCertPath: string;
  files: Array<{ path: string; what: string }>;
}

function subjectOf(cn: string, o: string | undefined): NameSpec {
  return o ? [['O', o], ['CN', cn]] : [['CN', cn]];
}

export function initCa(opts: InitCaOptions): InitCaResult {
  const ca = new CaDirectory(opts.dir);
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const files: InitCaResult['files'] = [
    { path: ca.path('rootCert'), what: 'root CA certificate' },
    { path: ca.path('rootKey'), what: 'root CA private key (mode 0600)' },
  ];
  if (opts.intermediate) {
    files.push(
      { path: ca.path('intermediateCert'), what: 'intermediate CA certificate (pathlen 0)' },
      { path: ca.path('intermediateKey'), what: 'intermediate CA private key (mode 0600)' },
      { path: ca.path('bundle'), what: 'trust anchor bundle: root + intermediate' },
    );
  }
  files.push({ path: ca.path('index'), what: 'issued certificates and revocations' }, { path: ca.path('serial'), what: 'next serial number (hex)' });
  // Check everything before writing anything: a half-initialised directory is worse than a refusal.
  ensureAbsent(files.map((f) => f.path));

  const rootValidity = validityFrom(opts.now, opts.days);
  const root = createCertificateAuthority({ subject: subjectOf(opts.cn, opts.o), key: opts.key, ...rootValidity });
  const entries: IndexEntry[] = [indexEntry(root.cert, 'ca', 'root', formatName(root.cert.subject), opts.now)];
  let intermediate: IssuedCertificate | undefined;
  if (opts.intermediate) {
    const v = validityFrom(opts.now, opts.intermediate.days);
    // An intermediate outliving its root would fail path validation after the root expires (RFC 5280 §6.1.3 (a)(2)).
    if (v.notAfter > root.cert.notAfter) v.notAfter = root.cert.notAfter;
    // pathlen 0: it may issue only end-entity certificates (RFC 5280 §4.2.1.9).
    intermediate = createCertificateAuthority({
      subject: subjectOf(opts.intermediate.cn, opts.o), key: opts.key, ...v, pathLen: 0, issuer: { cert: root.cert, key: root.key },
    });
    entries.push(indexEntry(intermediate.cert, 'ca', 'root', formatName(intermediate.cert.subject), opts.now));
  }

  writeNewFile(ca.path('rootKey'), root.keyPem, { secret: true });
  writeNewFile(ca.path('rootCert'), root.pem);
  if (intermediate) {
    writeNewFile(ca.path('intermediateKey'), intermediate.keyPem, { secret: true });
    writeNewFile(ca.path('intermediateCert'), intermediate.pem);
    writeNewFile(ca.path('bundle'), root.pem + intermediate.pem);
  }
  ca.initialiseState();
  const index = ca.readIndex();
  index.certificates.push(...entries);
  ca.writeIndex(index);

  return {
    root,
    ...(intermediate ? { intermediate } : {}),
    // With an intermediate the bundle holds both (service-spec §5 allows 2 certificates): a CRL signed by the
    // intermediate is then verifiable at ImportCrl, and a path may end at either certificate.
    trustAnchorPath: intermediate ? ca.path('bundle') : ca.path('rootCert'),
    issuingCertPath: intermediate ? ca.path('intermediateCert') : ca.path('rootCert'),
    files,
  };
}
