import type { ParsedCertificate } from '@mooring/pki';

/**
 * Source identity rules (service-spec §4.6, UG): `CN=<cn>` when the CN has at most 61
 * characters, the bare CN for 62..64, `ID=<hex serial>` (upper case, even length) without a CN.
 * A CN longer than 64 characters (X.520 caps it at 64, so only a non-conforming certificate has
 * one) is truncated to its first 64 characters: our documented choice (§14.15).
 */
export function sourceIdentityFor(cert: ParsedCertificate): string {
  const cns: string[] = [];
  for (const rdn of cert.subject.rdns) for (const a of rdn) if (a.shortName === 'CN') cns.push(a.value);
  if (cns.length === 0) return `ID=${cert.serialHex.toUpperCase()}`;
  const cn = cns.join('/');
  if (cn.length <= 61) return `CN=${cn}`;
  return cn.slice(0, 64);
}
