// `mooring pki init-ca`: a root CA and optionally an intermediate (pathlen 0) whose certificates meet
// the trust-anchor rules (service-spec §5: v3, basicConstraints CA:TRUE, keyUsage keyCertSign, SHA-256).
import { mkdirSync } from 'node:fs';
import { buildCertificateWithSigner, formatName, generateKeyPair, parseCertificate, toPem } from '@mooring/pki';
import type { NameSpec, ParsedCertificate, UnsignedCertificateTemplate } from '@mooring/pki';
import { CaDirectory, indexEntry, uriWithoutPin } from './ca-directory.js';
import type { IndexEntry, TokenKeyRef } from './ca-directory.js';
import { fileCaSigner, tokenCaSigner } from './ca-signer.js';
import type { CaSigner, TokenAccess } from './ca-signer.js';
import { validityFrom } from './cli-options.js';
import type { CliKeySpec } from './cli-options.js';
import { checkSubjectKey } from './csr.js';
import { PkiCommandError, ensureAbsent, writeNewFile } from './pki-io.js';
import { ensureTokenKey } from './token-key.js';

export interface InitCaOptions {
  dir: string;
  cn: string;
  o?: string;
  key: CliKeySpec;
  days: number;
  intermediate?: { cn: string; days: number; keyUri?: string };
  /** The root key on a PKCS#11 token (RFC 7512): used if it exists, generated there otherwise. */
  keyUri?: string;
  /** Module and PIN for the token keys. */
  access?: TokenAccess;
  now: Date;
}

export interface CreatedCa {
  cert: ParsedCertificate;
  pem: string;
  /** Where the private key is: a file path, or the token URI (without PIN). */
  keyLocation: string;
  /** For a token key: whether it was generated now (false: an existing key object). */
  generatedOnToken?: boolean;
}

export interface InitCaResult {
  root: CreatedCa;
  intermediate?: CreatedCa;
  /** The file to give CreateTrustAnchor as its CERTIFICATE_BUNDLE. */
  trustAnchorPath: string;
  /** The CA that `issue` and `crl` sign with. */
  issuingCertPath: string;
  files: Array<{ path: string; what: string }>;
  warnings: string[];
}

function subjectOf(cn: string, o: string | undefined): NameSpec {
  return o ? [['O', o], ['CN', cn]] : [['CN', cn]];
}

interface CaKey {
  signer: CaSigner;
  /** PKCS#8 PEM for a file key; undefined for a token key (nothing to write). */
  keyPem?: string;
  generatedOnToken?: boolean;
}

async function caKey(spec: CliKeySpec, keyUri: string | undefined, access: TokenAccess, warnings: string[]): Promise<CaKey> {
  if (keyUri === undefined) {
    const pair = generateKeyPair(spec);
    return { signer: fileCaSigner(pair.privateKey, 'generated'), keyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
  }
  const r = await ensureTokenKey({ uri: keyUri, spec, env: access.env, ...(access.pkcs11Lib !== undefined ? { pkcs11Lib: access.pkcs11Lib } : {}), ...(access.pin !== undefined ? { pin: access.pin } : {}) });
  warnings.push(...r.warnings);
  const signer = await tokenCaSigner(keyUri, access);
  // An existing token key may be of any type: it must still meet service-spec §5 (RSA >= 2048, P-256/384/521).
  const weak = checkSubjectKey(signer.publicKey);
  if (weak) {
    await signer.close();
    throw new PkiCommandError(`the token key would be refused by CreateSession: ${weak}`);
  }
  return { signer, generatedOnToken: r.generated };
}

/** A CA certificate (service-spec §5 trust-anchor rules) for `subjectKey`, signed by `issuer` (itself for a root). */
async function caCertificate(
  subject: NameSpec, subjectKey: CaSigner, validity: { notBefore: Date; notAfter: Date },
  issuer: { cert: ParsedCertificate; signer: CaSigner } | undefined, pathLen: number | undefined,
): Promise<{ cert: ParsedCertificate; pem: string }> {
  const t: UnsignedCertificateTemplate = {
    subject,
    ...validity,
    publicKey: subjectKey.publicKey,
    basicConstraints: pathLen === undefined ? { ca: true, critical: true } : { ca: true, pathLen, critical: true },
    keyUsage: ['keyCertSign', 'cRLSign'],
  };
  if (issuer) {
    t.issuerDer = issuer.cert.subject.der;
    if (issuer.cert.subjectKeyId) t.authorityKeyId = issuer.cert.subjectKeyId;
  }
  const der = await buildCertificateWithSigner(t, issuer ? issuer.signer : subjectKey);
  const parsed = parseCertificate(der);
  if (!parsed.ok) throw new Error(`CA certificate does not parse: ${parsed.detail}`);
  return { cert: parsed.value, pem: toPem('CERTIFICATE', der) };
}

function keyRefJson(uri: string, access: TokenAccess): string {
  // Only where the key is: pin-value is removed, and a PIN is never recorded.
  const ref: TokenKeyRef = { uri: uriWithoutPin(uri), ...(access.pkcs11Lib !== undefined ? { module: access.pkcs11Lib } : {}) };
  return `${JSON.stringify(ref, null, 2)}\n`;
}

export async function initCa(opts: InitCaOptions): Promise<InitCaResult> {
  const ca = new CaDirectory(opts.dir);
  const access = opts.access ?? { env: process.env };
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const files: InitCaResult['files'] = [
    { path: ca.path('rootCert'), what: 'root CA certificate' },
    opts.keyUri !== undefined
      ? { path: ca.path('rootKeyRef'), what: 'root CA key URI (the key stays on the PKCS#11 token)' }
      : { path: ca.path('rootKey'), what: 'root CA private key (mode 0600)' },
  ];
  if (opts.intermediate) {
    files.push(
      { path: ca.path('intermediateCert'), what: 'intermediate CA certificate (pathlen 0)' },
      opts.intermediate.keyUri !== undefined
        ? { path: ca.path('intermediateKeyRef'), what: 'intermediate CA key URI (the key stays on the PKCS#11 token)' }
        : { path: ca.path('intermediateKey'), what: 'intermediate CA private key (mode 0600)' },
      { path: ca.path('bundle'), what: 'trust anchor bundle: root + intermediate' },
    );
  }
  files.push({ path: ca.path('index'), what: 'issued certificates and revocations' }, { path: ca.path('serial'), what: 'next serial number (hex)' });
  // Check everything before writing anything: a half-initialised directory is worse than a refusal.
  // Both key forms are checked, so a directory can never hold a key file and a key URI for one CA.
  ensureAbsent([...files.map((f) => f.path), ca.path('rootKey'), ca.path('rootKeyRef'), ca.path('intermediateKey'), ca.path('intermediateKeyRef')]);

  const warnings: string[] = [];
  const rootKey = await caKey(opts.key, opts.keyUri, access, warnings);
  let interKey: CaKey | undefined;
  try {
    const root = await caCertificate(subjectOf(opts.cn, opts.o), rootKey.signer, validityFrom(opts.now, opts.days), undefined, undefined);
    const entries: IndexEntry[] = [indexEntry(root.cert, 'ca', 'root', formatName(root.cert.subject), opts.now)];
    let intermediate: { cert: ParsedCertificate; pem: string } | undefined;
    if (opts.intermediate) {
      const v = validityFrom(opts.now, opts.intermediate.days);
      // An intermediate outliving its root would fail path validation after the root expires (RFC 5280 §6.1.3 (a)(2)).
      if (v.notAfter > root.cert.notAfter) v.notAfter = root.cert.notAfter;
      interKey = await caKey(opts.key, opts.intermediate.keyUri, access, warnings);
      // pathlen 0: it may issue only end-entity certificates (RFC 5280 §4.2.1.9).
      intermediate = await caCertificate(subjectOf(opts.intermediate.cn, opts.o), interKey.signer, v, { cert: root.cert, signer: rootKey.signer }, 0);
      entries.push(indexEntry(intermediate.cert, 'ca', 'root', formatName(intermediate.cert.subject), opts.now));
    }

    if (rootKey.keyPem !== undefined) writeNewFile(ca.path('rootKey'), rootKey.keyPem, { secret: true });
    else writeNewFile(ca.path('rootKeyRef'), keyRefJson(opts.keyUri!, access));
    writeNewFile(ca.path('rootCert'), root.pem);
    if (intermediate && interKey) {
      if (interKey.keyPem !== undefined) writeNewFile(ca.path('intermediateKey'), interKey.keyPem, { secret: true });
      else writeNewFile(ca.path('intermediateKeyRef'), keyRefJson(opts.intermediate!.keyUri!, access));
      writeNewFile(ca.path('intermediateCert'), intermediate.pem);
      writeNewFile(ca.path('bundle'), root.pem + intermediate.pem);
    }
    ca.initialiseState();
    const index = ca.readIndex();
    index.certificates.push(...entries);
    ca.writeIndex(index);

    const location = (k: CaKey, uri: string | undefined, file: string) => ({
      keyLocation: uri !== undefined ? uriWithoutPin(k.signer.description) : file,
      ...(k.generatedOnToken !== undefined ? { generatedOnToken: k.generatedOnToken } : {}),
    });
    return {
      root: { ...root, ...location(rootKey, opts.keyUri, ca.path('rootKey')) },
      ...(intermediate && interKey ? { intermediate: { ...intermediate, ...location(interKey, opts.intermediate?.keyUri, ca.path('intermediateKey')) } } : {}),
      // With an intermediate the bundle holds both (service-spec §5 allows 2 certificates): a CRL signed by the
      // intermediate is then verifiable at ImportCrl, and a path may end at either certificate.
      trustAnchorPath: intermediate ? ca.path('bundle') : ca.path('rootCert'),
      issuingCertPath: intermediate ? ca.path('intermediateCert') : ca.path('rootCert'),
      files,
      warnings,
    };
  } finally {
    await rootKey.signer.close();
    await interKey?.signer.close();
  }
}
