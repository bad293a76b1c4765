import { readFileSync } from 'node:fs';
import { createSession } from '../create-session.js';
import { resolveEndpoint } from '../session/endpoint.js';
import { resolveSessionRegion } from '../session/session-target.js';
import type { TlsOptions } from '../session/http-send.js';
import type { CliIo } from './cli-io.js';
import { bool, int, str, type ParsedFlags } from './flags.js';
import { debugSink, identityFromFlags } from './key-flags.js';

/**
 * `credential-process`: one CreateSession, printed as the AWS CLI/SDK `credential_process`
 * JSON (AWS CLI user guide, "Sourcing credentials with an external process"): keys in this
 * order, `Expiration` verbatim, no trailing newline (signing-helper-spec §3).
 * @internal
 */
export async function runCredentialProcess(flags: ParsedFlags, io: CliIo): Promise<number> {
  const trustAnchorArn = str(flags, 'trust-anchor-arn');
  const profileArn = str(flags, 'profile-arn');
  const region = resolveSessionRegion({ trustAnchorArn, profileArn, region: str(flags, 'region') });
  const identity = identityFromFlags(flags, { requireCertificate: true });
  try {
    const certificate = identity.certificate;
    if (certificate === undefined) throw new Error('undefined certificate value');
    const debug = debugSink(flags, io.stderr);
    const credentials = await createSession({
      endpoint: resolveEndpoint(region, str(flags, 'endpoint'), io.env),
      region,
      trustAnchorArn,
      profileArn,
      roleArn: str(flags, 'role-arn'),
      durationSeconds: int(flags, 'session-duration'),
      roleSessionName: str(flags, 'role-session-name'),
      signer: identity.signer,
      certificateDer: certificate.der,
      chainDer: identity.chain.map((c) => c.der),
      tls: tlsFromEnvironment(bool(flags, 'no-verify-ssl'), io.env),
      env: io.env,
      ...(debug !== undefined ? { debug } : {}),
    });
    io.stdout(
      JSON.stringify({
        Version: 1,
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        SessionToken: credentials.sessionToken,
        Expiration: credentials.expiration,
      }),
    );
    return 0;
  } finally {
    await identity.close();
  }
}

/**
 * `AWS_CA_BUNDLE` (a PEM file of extra trusted CAs, AWS CLI/SDK convention) and
 * `--no-verify-ssl`. TLS 1.2 stays the minimum either way.
 * @internal
 */
export function tlsFromEnvironment(noVerify: boolean, env: Record<string, string | undefined>): TlsOptions {
  const tls: TlsOptions = {};
  if (noVerify) tls.rejectUnauthorized = false;
  const bundle = env.AWS_CA_BUNDLE;
  if (bundle !== undefined && bundle !== '') {
    try {
      tls.ca = readFileSync(bundle);
    } catch (err) {
      throw new Error(`failed to read AWS_CA_BUNDLE: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return tls;
}
