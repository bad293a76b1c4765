import { X509Certificate } from 'node:crypto';
import { logLines } from './go-log.js';
import { readMaterial } from '../key-sources/material.js';
import { decodePemBlocks } from '../key-sources/pem.js';
import { resolveEndpoint } from '../session/endpoint.js';
import type { SessionCredentials } from '../session/session-response.js';
import { resolveSessionRegion } from '../session/session-target.js';
import type { CliIo } from './cli-io.js';
import { cacheDirectory, cacheFile, readCachedCredentials, writeCachedCredentials, type CacheKey } from './credential-cache.js';
import { bool, int, str, type ParsedFlags } from './flags.js';
import { sessionSourceFromFlags } from './session-source.js';

export { tlsFromEnvironment } from './tls-environment.js';

/**
 * `credential-process`: one CreateSession, printed as the AWS CLI/SDK `credential_process`
 * JSON (AWS CLI user guide, "Sourcing credentials with an external process"): keys in this
 * order, `Expiration` verbatim, no trailing newline (signing-helper-spec §3). With `--cache`,
 * a cached result is printed instead while it has more than five minutes left; for a PEM
 * certificate the cache is checked before the private key is even read.
 * @internal
 */
export async function runCredentialProcess(flags: ParsedFlags, io: CliIo): Promise<number> {
  const useCache = bool(flags, 'cache');
  let cachePath: string | undefined;
  if (useCache) {
    const der = pemCertificateDer(str(flags, 'certificate'), io.env);
    if (der !== undefined) {
      cachePath = cacheFile(cacheDirectory(io.env), cacheKey(flags, io, der));
      const hit = readCachedCredentials(cachePath, Date.now());
      if (hit !== undefined) return print(io, hit);
    }
  }
  const source = await sessionSourceFromFlags(flags, io);
  try {
    if (useCache && cachePath === undefined && source.identity.certificate !== undefined) {
      // PKCS#12 and PKCS#11 certificates are known only once the identity is open.
      cachePath = cacheFile(cacheDirectory(io.env), cacheKey(flags, io, source.identity.certificate.der));
      const hit = readCachedCredentials(cachePath, Date.now());
      if (hit !== undefined) return print(io, hit);
    }
    const json = credentialProcessJson(await source.fetch());
    if (cachePath !== undefined) {
      try {
        writeCachedCredentials(cachePath, json);
      } catch (err) {
        logLines(io, `warning: could not write the credential cache: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
    }
    return print(io, json);
  } finally {
    await source.close();
  }
}

function print(io: CliIo, json: string): number {
  io.stdout(json);
  return 0;
}

function cacheKey(flags: ParsedFlags, io: CliIo, certificateDer: Buffer): CacheKey {
  const trustAnchorArn = str(flags, 'trust-anchor-arn');
  const profileArn = str(flags, 'profile-arn');
  const region = resolveSessionRegion({ trustAnchorArn, profileArn, region: str(flags, 'region') });
  return {
    certificateDer,
    trustAnchorArn,
    profileArn,
    roleArn: str(flags, 'role-arn'),
    roleSessionName: str(flags, 'role-session-name'),
    durationSeconds: int(flags, 'session-duration'),
    endpoint: resolveEndpoint(region, str(flags, 'endpoint'), io.env),
    region,
  };
}

/** The leaf DER of a PEM certificate source, without touching the key; undefined otherwise. */
function pemCertificateDer(source: string, env: Record<string, string | undefined>): Buffer | undefined {
  if (source === '' || source.startsWith('pkcs11:')) return undefined;
  try {
    const block = decodePemBlocks(readMaterial(source, 'certificate', env).toString('latin1')).find((b) => b.type === 'CERTIFICATE');
    if (block === undefined) return undefined;
    new X509Certificate(block.der); // only a parseable certificate may key the cache
    return block.der;
  } catch {
    return undefined; // the full path below reports the real error
  }
}

/** @internal */
export function credentialProcessJson(credentials: Pick<SessionCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration'>): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expiration,
  });
}
