import { readFileSync, realpathSync } from 'node:fs';
import { logLines } from './go-log.js';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SessionCredentials } from '../session/session-response.js';
import { ensurePrivateDir, withFileLock, writeFileAtomic } from '../update/atomic-write.js';
import { rewriteCredentialsFile } from '../update/credentials-file.js';
import { runUpdateLoop } from '../update/update-loop.js';
import { stopSignal, type CliIo } from './cli-io.js';
import { describeError } from './describe-error.js';
import { bool, str, type ParsedFlags } from './flags.js';
import { sessionSourceFromFlags } from './session-source.js';

/**
 * `update`: keeps a profile of the shared credentials file current (signing-helper-spec §5).
 * Configuration and key errors end the command at once (exit 1); CreateSession and file errors
 * are retried unless `--once` is given.
 * @internal
 */
export async function runUpdate(flags: ParsedFlags, io: CliIo): Promise<number> {
  const profile = str(flags, 'profile');
  const once = bool(flags, 'once');
  const path = credentialsFilePath(io.env);
  const source = await sessionSourceFromFlags(flags, io);
  try {
    await runUpdateLoop({
      fetch: source.fetch,
      write: (credentials) => writeProfile(path, profile, credentials),
      once,
      ...(once ? {} : { signal: stopSignal(io) }),
      log: (line) => logLines(io, line),
      describe: describeError,
    });
    return 0;
  } finally {
    await source.close();
  }
}

/** `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials` (AWS CLI and SDK convention). @internal */
export function credentialsFilePath(env: Record<string, string | undefined>): string {
  const configured = env.AWS_SHARED_CREDENTIALS_FILE;
  if (configured !== undefined && configured !== '') return configured;
  return join(env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir(), '.aws', 'credentials');
}

/**
 * Read-modify-write of the credentials file under a lock, replaced atomically with mode 0600.
 * A symlinked file (dotfile managers) is followed so the link itself survives the rename.
 * @internal
 */
export async function writeProfile(path: string, profile: string, credentials: SessionCredentials): Promise<void> {
  let target = path;
  try {
    target = realpathSync(path);
  } catch {
    // does not exist yet
  }
  ensurePrivateDir(dirname(target));
  await withFileLock(target, () => {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`unable to get credentials file contents: ${(err as NodeJS.ErrnoException).code ?? 'read error'}`, { cause: err });
      }
    }
    try {
      writeFileAtomic(target, rewriteCredentialsFile(current, profile, credentials), 0o600);
    } catch (err) {
      throw new Error(`unable to write to AWS credentials file ${target}: ${(err as NodeJS.ErrnoException).code ?? 'write error'}`, { cause: err });
    }
  });
}
