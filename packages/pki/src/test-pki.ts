// Convenience CA / leaf issuance for tests, dev CAs and the demo, on top of buildCertificate.
// Defaults follow the AWS Roles Anywhere walkthrough: CA certificates with CA:TRUE + keyCertSign,
// leaves with critical CA:FALSE + critical digitalSignature (its `v3_cert` section).
import type { KeyObject } from 'node:crypto';
import { buildCertificate, generateKeyPair } from './builder.js';
import type { CertificateTemplate, KeySpec } from './builder.js';
import { parseCertificate } from './certificate.js';
import type { ParsedCertificate } from './certificate.js';
import type { NameSpec } from './name.js';
import { toPem } from './pem.js';

export interface IssuedCertificate {
  cert: ParsedCertificate;
  der: Buffer;
  /** CERTIFICATE PEM. */
  pem: string;
  /** Private key of the certificate's subject. */
  key: KeyObject;
  /** The same private key as PKCS#8 PEM. */
  keyPem: string;
}

export interface Issuer {
  cert: ParsedCertificate;
  key: KeyObject;
}

function finish(der: Buffer, key: KeyObject): IssuedCertificate {
  const r = parseCertificate(der);
  // Our own builder produced it: failing to parse is a bug here, not an input problem.
  if (!r.ok) throw new Error(`built certificate does not parse: ${r.detail}`);
  return { cert: r.value, der, pem: toPem('CERTIFICATE', der), key, keyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** Root CA (self-signed) or, with `issuer`, a subordinate CA. Default key: P-256 (fast to generate). */
export function createCertificateAuthority(opts: {
  subject: NameSpec;
  key?: KeySpec;
  notBefore: Date;
  notAfter: Date;
  pathLen?: number;
  issuer?: Issuer;
  hash?: CertificateTemplate['hash'];
  extraExtensions?: CertificateTemplate['extraExtensions'];
}): IssuedCertificate {
  const pair = generateKeyPair(opts.key ?? 'p256');
  const t: CertificateTemplate = {
    subject: opts.subject,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    publicKey: pair.publicKey,
    signingKey: opts.issuer ? opts.issuer.key : pair.privateKey,
    basicConstraints: opts.pathLen === undefined ? { ca: true, critical: true } : { ca: true, pathLen: opts.pathLen, critical: true },
    keyUsage: ['keyCertSign', 'cRLSign'],
  };
  if (opts.hash) t.hash = opts.hash;
  if (opts.extraExtensions) t.extraExtensions = opts.extraExtensions;
  if (opts.issuer) {
    t.issuerDer = opts.issuer.cert.subject.der;
    if (opts.issuer.cert.subjectKeyId) t.authorityKeyId = opts.issuer.cert.subjectKeyId;
  }
  return finish(buildCertificate(t), pair.privateKey);
}

/** End-entity certificate signed by `ca`. Default key: P-256. `basicConstraints: null` omits the extension. */
export function issueLeafCertificate(
  ca: Issuer,
  opts: {
    subject: NameSpec;
    key?: KeySpec;
    /** A key pair made beforehand (e.g. generated in parallel, off the main thread); else one of type `key` is generated. */
    keyPair?: { privateKey: KeyObject; publicKey: KeyObject };
    notBefore: Date;
    notAfter: Date;
    serial?: bigint;
    keyUsage?: CertificateTemplate['keyUsage'];
    subjectAltNames?: CertificateTemplate['subjectAltNames'];
    basicConstraints?: CertificateTemplate['basicConstraints'] | null;
    hash?: CertificateTemplate['hash'];
    extKeyUsage?: CertificateTemplate['extKeyUsage'];
    version?: CertificateTemplate['version'];
    extraExtensions?: CertificateTemplate['extraExtensions'];
  },
): IssuedCertificate {
  const pair = opts.keyPair ?? generateKeyPair(opts.key ?? 'p256');
  const t: CertificateTemplate = {
    subject: opts.subject,
    issuerDer: ca.cert.subject.der,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    publicKey: pair.publicKey,
    signingKey: ca.key,
    keyUsage: opts.keyUsage ?? ['digitalSignature'],
  };
  if (opts.basicConstraints !== null) t.basicConstraints = opts.basicConstraints ?? { ca: false, critical: true };
  if (ca.cert.subjectKeyId) t.authorityKeyId = ca.cert.subjectKeyId;
  if (opts.serial !== undefined) t.serial = opts.serial;
  if (opts.subjectAltNames) t.subjectAltNames = opts.subjectAltNames;
  if (opts.hash) t.hash = opts.hash;
  if (opts.extKeyUsage) t.extKeyUsage = opts.extKeyUsage;
  if (opts.version) t.version = opts.version;
  if (opts.extraExtensions) t.extraExtensions = opts.extraExtensions;
  return finish(buildCertificate(t), pair.privateKey);
}

/** A root CA and one leaf it issued: the smallest useful PKI for tests and the demo. */
export interface TestPki {
  root: IssuedCertificate;
  leaf: IssuedCertificate;
  /** Trust bundle PEM (the root only), as given to CreateTrustAnchor. */
  bundlePem: string;
}

/** Root "CN=Mooring Test Root" + leaf (default "CN=mooring-test-leaf"), valid from `notBefore` for `days`. */
export function createTestPki(opts: {
  notBefore: Date;
  days?: number;
  key?: KeySpec;
  leafSubject?: NameSpec;
  subjectAltNames?: CertificateTemplate['subjectAltNames'];
}): TestPki {
  const notAfter = new Date(opts.notBefore.getTime() + (opts.days ?? 365) * 86_400_000);
  const base = { notBefore: opts.notBefore, notAfter, ...(opts.key ? { key: opts.key } : {}) };
  const root = createCertificateAuthority({ subject: [['O', 'Mooring'], ['CN', 'Mooring Test Root']], ...base });
  const leaf = issueLeafCertificate(root, {
    subject: opts.leafSubject ?? [['CN', 'mooring-test-leaf']],
    ...base,
    ...(opts.subjectAltNames ? { subjectAltNames: opts.subjectAltNames } : {}),
  });
  return { root, leaf, bundlePem: root.pem };
}
