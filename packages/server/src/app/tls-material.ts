import { X509Certificate } from 'node:crypto';
import { buildCertificate, createCertificateAuthority, generateKeyPair, parseCertificate, toPem } from '@mooring/pki';

export interface TlsMaterial {
  caPem: string;
  caKeyPem: string;
  certPem: string;
  keyPem: string;
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
    subject: [['O', 'Mooring'], ['CN', 'Mooring local TLS CA']],
    key: 'p256',
    notBefore,
    notAfter: new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000),
  });
  const { privateKey, publicKey } = generateKeyPair('p256');
  const names = [{ dns: 'localhost' }, { ip: '127.0.0.1' }, { ip: '::1' }, ...extraNames.map((n) => (/^[\d.]+$|:/.test(n) ? { ip: n } : { dns: n }))];
  const der = buildCertificate({
    subject: [['O', 'Mooring'], ['CN', 'localhost']],
    issuer: [['O', 'Mooring'], ['CN', 'Mooring local TLS CA']],
    notBefore,
    // 397 days: the longest server-certificate lifetime browsers accept.
    notAfter: new Date(now.getTime() + 397 * 24 * 3600 * 1000),
    publicKey,
    signingKey: ca.key,
    basicConstraints: { ca: false, critical: true },
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extKeyUsage: ['serverAuth'],
    subjectAltNames: names,
    ...(ca.cert.subjectKeyId ? { authorityKeyId: ca.cert.subjectKeyId } : {}),
  });
  const parsed = parseCertificate(der);
  if (!parsed.ok) throw new Error(`generated TLS certificate does not parse: ${parsed.detail}`);
  // node's own parser must accept it too: it is what the TLS stack will load.
  new X509Certificate(der);
  return {
    caPem: ca.pem,
    caKeyPem: ca.keyPem,
    certPem: toPem('CERTIFICATE', der),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
