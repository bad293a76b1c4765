import { formatName, parseCertificatePem } from '@mooring/pki';

/** What an operator needs to know about one certificate. */
export interface CertFacts {
  subject: string;
  issuer: string;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
}

/** Every certificate of a PEM text (a trust anchor's bundle or a subject's leaf); [] when unparsable. */
export function certFacts(pem: string | undefined): CertFacts[] {
  if (!pem) return [];
  const r = parseCertificatePem(pem);
  if (!r.ok) return [];
  return r.value.map((c) => ({
    subject: formatName(c.subject),
    issuer: formatName(c.issuer),
    serialHex: c.serialHex,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
  }));
}

/** expired / expiring within `thresholdDays` / fine, for badges. */
export function expiryState(notAfter: Date, now: Date, thresholdDays = 45): 'expired' | 'soon' | 'ok' {
  if (notAfter.getTime() <= now.getTime()) return 'expired';
  return notAfter.getTime() - now.getTime() <= thresholdDays * 86_400_000 ? 'soon' : 'ok';
}
