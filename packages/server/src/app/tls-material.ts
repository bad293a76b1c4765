import { createPrivateKey, X509Certificate } from 'node:crypto';
import { buildCertificate, createCertificateAuthority, generateKeyPair, parseCertificate, toPem } from '@mooring/pki';

export interface TlsMaterial {
  caPem: string;
  caKeyPem: string;
  certPem: string;
  keyPem: string;
  /** Set when this start reissued the server certificate, and why. */
  renewed?: string;
}

/**
 * A private CA and a server certificate for localhost, 127.0.0.1 and ::1, so that clients can
 * trust the server with AWS_CA_BUNDLE=<data-dir>/tls/ca.pem. Using a CA (rather than a bare
 * self-signed leaf) satisfies strict verifiers (Python's VERIFY_X509_STRICT, Go) that refuse a
 * CA:FALSE certificate as a trust anchor (RFC 5280 §4.2.1.9).
 */
export function createTlsMaterial(now: Date, extraNames: readonly string[] = []): TlsMaterial {
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  const ca = createCertificateAuthority({
    subject: CA_SUBJECT,
    key: 'p256',
    notBefore,
    notAfter: new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000),
  });
  return { caPem: ca.pem, caKeyPem: ca.keyPem, ...issueServerCertificate({ caPem: ca.pem, caKeyPem: ca.keyPem }, now, extraNames) };
}

const CA_SUBJECT: Array<[string, string]> = [['O', 'Mooring'], ['CN', 'Mooring local TLS CA']];
const BASE_NAMES = ['localhost', '127.0.0.1', '::1'];
/** A server certificate this close to its notAfter is renewed at start. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/** A new server key and certificate for localhost, 127.0.0.1, ::1 and `extraNames`, signed by the data dir's CA. */
export function issueServerCertificate(ca: { caPem: string; caKeyPem: string }, now: Date, extraNames: readonly string[]): { certPem: string; keyPem: string } {
  const caCert = parseCertificate(new X509Certificate(ca.caPem).raw);
  if (!caCert.ok) throw new Error(`the TLS CA certificate does not parse: ${caCert.detail}`);
  const { privateKey, publicKey } = generateKeyPair('p256');
  const names = [...BASE_NAMES, ...extraNames].map((n) => (isIp(n) ? { ip: n } : { dns: n }));
  const der = buildCertificate({
    subject: [['O', 'Mooring'], ['CN', 'localhost']],
    issuerDer: caCert.value.subject.der,
    notBefore: new Date(now.getTime() - 60 * 60 * 1000),
    // 397 days: the longest server-certificate lifetime browsers accept.
    notAfter: new Date(now.getTime() + 397 * 24 * 3600 * 1000),
    publicKey,
    signingKey: createPrivateKey(ca.caKeyPem),
    basicConstraints: { ca: false, critical: true },
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extKeyUsage: ['serverAuth'],
    subjectAltNames: names,
    ...(caCert.value.subjectKeyId ? { authorityKeyId: caCert.value.subjectKeyId } : {}),
  });
  const parsed = parseCertificate(der);
  if (!parsed.ok) throw new Error(`generated TLS certificate does not parse: ${parsed.detail}`);
  // node's own parser must accept it too: it is what the TLS stack will load.
  new X509Certificate(der);
  return { certPem: toPem('CERTIFICATE', der), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/**
 * Why the data dir's server certificate must be reissued before serving, or undefined: it does
 * not name every `--tls-name` asked for, or it expires within 30 days. Only a certificate our
 * own CA issued (and whose key we hold) is ever replaced; one the operator installed is theirs.
 */
export function serverCertificateRenewal(material: TlsMaterial, now: Date, extraNames: readonly string[]): string | undefined {
  if (material.caKeyPem === '') return undefined;
  const cert = new X509Certificate(material.certPem);
  const ca = new X509Certificate(material.caPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return undefined;
  const missing = [...BASE_NAMES, ...extraNames].filter((n) => (isIp(n) ? cert.checkIP(n) : cert.checkHost(n, { subject: 'never' })) === undefined);
  if (missing.length > 0) return `it does not name ${missing.join(', ')}`;
  const notAfter = new Date(cert.validTo);
  if (notAfter.getTime() - now.getTime() < RENEW_BEFORE_MS) return `it expires on ${notAfter.toISOString()}`;
  return undefined;
}

function isIp(name: string): boolean {
  return /^[\d.]+$|:/.test(name);
}
