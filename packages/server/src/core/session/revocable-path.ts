import { nameEquals } from '@mooring/pki';
import type { ParsedCertificate } from '@mooring/pki';

/**
 * The certificates of a validated path (leaf first, trust-anchor certificate last) whose
 * revocation status CreateSession checks. RFC 5280 §6.3 checks every certificate of the path
 * below the trust anchor; the anchor itself is trusted by configuration, not by a CA's word.
 * A bundle may also hold an issuing CA next to its root (service-spec §3.1: up to two
 * certificates), and path building stops at the first bundle certificate that works, so that
 * CA would end the path and never be checked although its root can revoke it (and a CRL of the
 * root, in the bundle, can be imported). So the last certificate is left out only when it is
 * self-issued (a root), or when no other certificate of the bundle issued it (nothing here could
 * revoke it: an intermediate configured alone as the anchor).
 */
export function revocablePath(path: readonly ParsedCertificate[], bundle: readonly ParsedCertificate[]): readonly ParsedCertificate[] {
  const terminal = path[path.length - 1];
  if (!terminal || nameEquals(terminal.subject, terminal.issuer)) return path.slice(0, -1);
  const issuerInBundle = bundle.some((c) => !c.der.equals(terminal.der) && nameEquals(c.subject, terminal.issuer));
  return issuerInBundle ? path : path.slice(0, -1);
}
