import { randomBytes } from 'node:crypto';
import { logLines } from './go-log.js';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RefreshingCredentials } from '../run-modes/refreshing-credentials.js';
import { startCredentialServer } from '../serve/credential-server.js';
import { parseArnLikeGo } from '../session/session-target.js';
import { stopSignal, type CliIo } from './cli-io.js';
import { describeError } from './describe-error.js';
import { int, str, type ParsedFlags } from './flags.js';
import { sessionSourceFromFlags } from './session-source.js';

/** The official helper's `DefaultHopLimit`. */
const DEFAULT_HOP_LIMIT = 64;

/**
 * `serve`: a local IMDSv2-compatible endpoint plus an ECS/container-credentials endpoint
 * (signing-helper-spec §4, §9). Fails fast when the first CreateSession fails (PR #200), then
 * refreshes in the background; runs until SIGINT/SIGTERM (or `io.signal`).
 * @internal
 */
export async function runServe(flags: ParsedFlags, io: CliIo): Promise<number> {
  const roleArn = str(flags, 'role-arn');
  const parsed = parseArnLikeGo(roleArn);
  // The IMDS role name is the last segment of the role ARN's resource (`role/a/b/R` → `R`).
  const roleName = parsed.ok && parsed.arn.resource.startsWith('role/') ? (parsed.arn.resource.split('/').pop() ?? '') : '';
  if (roleName === '') throw new Error('invalid role ARN');
  const port = int(flags, 'port');
  if (port < 0 || port > 65535) throw new Error(`invalid port: ${port}`);
  if (flags.set.has('hop-limit') && int(flags, 'hop-limit') !== DEFAULT_HOP_LIMIT) {
    // Node's net module has no IP_TTL/IPV6_UNICAST_HOPS socket option for TCP. The listener is
    // bound to a loopback address by default, whose packets never leave the host anyway.
    logLines(io, 'warning: --hop-limit is not supported by this implementation (Node.js cannot set a TCP socket\'s TTL); ignored');
  }

  const source = await sessionSourceFromFlags(flags, io);
  let started = false;
  const holder = new RefreshingCredentials({
    fetch: source.fetch,
    // The first failure is the command's own error (exit 1); later ones are logged and retried.
    onRefreshError: (err) => started && logLines(io, `Error generating credentials: ${describeError(err)}`),
  });
  try {
    await holder.start();
    started = true;
  } catch (err) {
    holder.stop();
    await source.close();
    throw err;
  }
  // ECS/EKS clients send this value verbatim in `Authorization` (AWS SDKs' container provider).
  // It is a bearer credential, so it is never printed (brief: no secret in a log line): a value
  // the caller exported is used as is; otherwise a random one goes into a 0600 file whose path
  // the SDKs read through AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.
  const token = await containerTokenFor(io.env);
  let server;
  try {
    server = await startCredentialServer({
      credentials: () => holder.get(),
      roleName,
      roleArn,
      listenAddress: str(flags, 'listen-address'),
      port,
      containerToken: token.value,
      log: (line) => logLines(io, line),
    });
  } catch (err) {
    holder.stop();
    await token.cleanup();
    throw new Error(`failed to create listener: ${describeError(err)}`, { cause: err });
  }
  logLines(
    io,
    `Local server started on port: ${server.port}\n` +
      'Make it available to the sdk by running:\n' +
      `export AWS_EC2_METADATA_SERVICE_ENDPOINT=${server.imdsEndpoint}\n` +
      'or, for the container credentials endpoint:\n' +
      `export AWS_CONTAINER_CREDENTIALS_FULL_URI=${server.containerUri}\n` +
      token.exportLine,
  );
  const signal = stopSignal(io);
  if (!signal.aborted) await once(signal, 'abort');
  holder.stop();
  await server.close();
  await token.cleanup();
  return 0;
}

interface ContainerToken {
  value: string;
  exportLine: string;
  cleanup(): Promise<void>;
}

async function containerTokenFor(env: Record<string, string | undefined>): Promise<ContainerToken> {
  const preset = env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  if (preset !== undefined && preset !== '') {
    return { value: preset, exportLine: 'export AWS_CONTAINER_AUTHORIZATION_TOKEN=<the value already in this environment>\n', cleanup: async () => {} };
  }
  const presetFile = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  if (presetFile !== undefined && presetFile !== '') {
    const value = (await readFile(presetFile, 'utf8')).trim();
    if (value === '') throw new Error(`AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${presetFile} is empty`);
    return { value, exportLine: `export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${presetFile}\n`, cleanup: async () => {} };
  }
  const value = randomBytes(32).toString('base64url');
  const dir = await mkdtemp(join(tmpdir(), 'mooring-helper-serve-')); // mode 0700
  const file = join(dir, 'container-token');
  await writeFile(file, value, { mode: 0o600, flag: 'wx' });
  return {
    value,
    exportLine: `export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${file}\n`,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
