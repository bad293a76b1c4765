// `mooring pki revoke` and `mooring pki crl`: record a revocation in index.json, then publish a signed
// v2 CRL (RFC 5280 §5) from the CA that issued the certificates, ready for ImportCrl (service-spec §7).
import { buildCrlWithSigner, formatName, parseCrl, toPem, verifyCrlIssuer } from '@mooring/pki';
import { CaDirectory, REVOCATION_REASONS, normalizeSerial } from './ca-directory.js';
import type { IndexEntry, IssuerRole, RevocationReason } from './ca-directory.js';
import type { TokenAccess } from './ca-signer.js';
import { DAY_MS } from './cli-options.js';
import { PkiCommandError, UsageError, replaceFile } from './pki-io.js';

export function parseReason(value: string | undefined): RevocationReason {
  if (value === undefined) return 'unspecified';
  const found = (Object.keys(REVOCATION_REASONS) as RevocationReason[]).find((k) => k.toLowerCase() === value.toLowerCase());
  // RFC 5280 §5.3.1: removeFromCRL "is for use with delta CRLs" only, which we do not publish.
  if (!found || found === 'removeFromCRL') {
    throw new UsageError(`--reason must be one of ${Object.keys(REVOCATION_REASONS).filter((k) => k !== 'removeFromCRL').join(', ')} (got "${value}")`);
  }
  return found;
}

export interface RevokeResult {
  entry: IndexEntry;
  alreadyRevoked: boolean;
}

export function revokeCertificate(opts: { dir: string; serial: string; reason: RevocationReason; now: Date }): RevokeResult {
  const ca = new CaDirectory(opts.dir);
  ca.assertInitialised();
  const serial = normalizeSerial(opts.serial);
  const index = ca.readIndex();
  const entry = index.certificates.find((e) => e.serial === serial);
  if (!entry) throw new PkiCommandError(`no certificate with serial ${serial} was issued by the CA in ${opts.dir}`);
  if (entry.kind === 'ca' && entry.issuedBy === 'root' && index.certificates[0]?.serial === serial) {
    // A self-signed root cannot appear in a CRL it signs itself; remove it from the trust anchor instead.
    throw new PkiCommandError('the root CA cannot be revoked by its own CRL; delete or replace the trust anchor instead');
  }
  if (entry.revokedAt) return { entry, alreadyRevoked: true };
  entry.revokedAt = opts.now.toISOString();
  entry.reason = opts.reason;
  ca.writeIndex(index);
  return { entry, alreadyRevoked: false };
}

export interface CrlResult {
  pem: string;
  path: string;
  issuer: IssuerRole;
  issuerName: string;
  crlNumber: number;
  revokedSerials: string[];
  nextUpdate: Date;
}

/**
 * Signs a CRL listing every revoked certificate the chosen CA issued (default: the issuing CA).
 * cRLNumber comes from index.json and increases by one per CRL (RFC 5280 §5.2.3).
 */
export async function publishCrl(opts: { dir: string; days: number; out?: string; issuer?: IssuerRole; now: Date; access?: TokenAccess }): Promise<CrlResult> {
  const ca = new CaDirectory(opts.dir);
  ca.assertInitialised();
  const role: IssuerRole = opts.issuer ?? (ca.hasIntermediate ? 'intermediate' : 'root');
  if (role === 'intermediate' && !ca.hasIntermediate) throw new UsageError(`${opts.dir} has no intermediate CA`);
  const issuer = await ca.loadCa(role, opts.access);
  const index = ca.readIndex();
  const revoked = index.certificates.filter((e) => e.issuedBy === role && e.revokedAt && e.serial !== issuer.cert.serialHex);
  const crlNumber = (index.crlNumbers[role] ?? 0) + 1;
  const nextUpdate = new Date(opts.now.getTime() + opts.days * DAY_MS);
  let der: Buffer;
  try {
    if (nextUpdate > issuer.cert.notAfter) throw new PkiCommandError(`--days ${opts.days} puts nextUpdate after the CA expires (${issuer.cert.notAfter.toISOString()})`);
    // Signed by the CA key, a PKCS#8 file or a token key (the signer hides which).
    der = await buildCrlWithSigner({
      issuer: { cert: issuer.cert },
      thisUpdate: opts.now,
      nextUpdate,
      crlNumber: BigInt(crlNumber),
      revoked: revoked.map((e) => ({ serial: e.serial, revocationDate: new Date(e.revokedAt!), reason: REVOCATION_REASONS[e.reason ?? 'unspecified'] })),
    }, issuer.signer);
  } finally {
    await issuer.signer.close();
  }
  // Self-check with the parser the server's ImportCrl uses: never hand out a CRL the service would refuse.
  const parsed = parseCrl(der);
  if (!parsed.ok) throw new Error(`built CRL does not parse: ${parsed.detail}`);
  const verified = verifyCrlIssuer(parsed.value, [issuer.cert]);
  if (!verified.ok) throw new Error(`built CRL does not verify: ${verified.detail}`);

  const pem = toPem('X509 CRL', der);
  const path = opts.out ?? ca.path(role === 'intermediate' ? 'intermediateCrl' : 'rootCrl');
  // A CRL is public and superseded by the next one, so it is replaced rather than refused.
  replaceFile(path, pem);
  index.crlNumbers[role] = crlNumber;
  ca.writeIndex(index);
  return { pem, path, issuer: role, issuerName: formatName(issuer.cert.subject), crlNumber, revokedSerials: revoked.map((e) => e.serial), nextUpdate };
}

