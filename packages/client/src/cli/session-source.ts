import { createSession } from '../create-session.js';
import { logLines } from './go-log.js';
import type { SigningIdentity } from '../key-sources/signing-identity.js';
import { resolveEndpoint } from '../session/endpoint.js';
import type { SessionCredentials } from '../session/session-response.js';
import { resolveSessionRegion } from '../session/session-target.js';
import type { CliIo } from './cli-io.js';
import { tlsFromEnvironment } from './tls-environment.js';
import { bool, int, str, type ParsedFlags } from './flags.js';
import { debugSink, identityFromFlags } from './key-flags.js';

/** What `credential-process`, `serve` and `update` share: the session target and a fetch. @internal */
export interface SessionSource {
  region: string;
  endpoint: string;
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  roleSessionName: string;
  /** The identity opened while validating the flags (used by the first fetch). */
  identity: SigningIdentity;
  /**
   * One CreateSession. The first call uses the identity opened up front; later calls re-read
   * key and certificate, so a rotated certificate is picked up at each refresh (PR #65, #64).
   */
  fetch(): Promise<SessionCredentials>;
  close(): Promise<void>;
}

/**
 * Validates the ARNs (before touching any key, as the official helper does), opens the signing
 * identity (prompting once if a secret is needed) and returns a reusable CreateSession call.
 * @internal
 */
export async function sessionSourceFromFlags(flags: ParsedFlags, io: CliIo): Promise<SessionSource> {
  const trustAnchorArn = str(flags, 'trust-anchor-arn');
  const profileArn = str(flags, 'profile-arn');
  const region = resolveSessionRegion({ trustAnchorArn, profileArn, region: str(flags, 'region') });
  const { identity, reopen } = await identityFromFlags(flags, io, { requireCertificate: true });
  const endpoint = resolveEndpoint(region, str(flags, 'endpoint'), io.env);
  const tls = tlsFromEnvironment(bool(flags, 'no-verify-ssl'), io.env);
  const debug = debugSink(flags, io.stderr);
  const roleArn = str(flags, 'role-arn');
  const roleSessionName = str(flags, 'role-session-name');
  let first: SigningIdentity | undefined = identity;

  const fetch = async (): Promise<SessionCredentials> => {
    const current = first ?? (await reopen());
    first = undefined;
    try {
      const certificate = current.certificate;
      if (certificate === undefined) throw new Error('undefined certificate value');
      warnIfOutsideValidity(certificate.x509, io);
      return await createSession({
        endpoint,
        region,
        trustAnchorArn,
        profileArn,
        roleArn,
        durationSeconds: int(flags, 'session-duration'),
        roleSessionName,
        signer: current.signer,
        certificateDer: certificate.der,
        chainDer: current.chain.map((c) => c.der),
        tls,
        env: io.env,
        ...(debug !== undefined ? { debug } : {}),
      });
    } finally {
      await current.close();
    }
  };
  return {
    region,
    endpoint,
    trustAnchorArn,
    profileArn,
    roleArn,
    roleSessionName,
    identity,
    fetch,
    close: async () => {
      if (first !== undefined) await first.close();
      first = undefined;
    },
  };
}

/**
 * An expired or not-yet-valid certificate is the service's to refuse (it may accept clock
 * skew, or a caller may be testing the refusal), so we warn on stderr and still send it.
 */
function warnIfOutsideValidity(cert: { validFrom: string; validTo: string }, io: CliIo): void {
  const now = Date.now();
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  if (Number.isFinite(to) && now > to) logLines(io, `warning: the certificate expired at ${new Date(to).toISOString()}; sending it anyway, the service decides`);
  else if (Number.isFinite(from) && now < from) logLines(io, `warning: the certificate is not valid before ${new Date(from).toISOString()}; sending it anyway, the service decides`);
}
