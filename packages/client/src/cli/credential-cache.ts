import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../update/atomic-write.js';

/** What identifies a cached session (official helper issue #31: one CreateSession per CLI call). @internal */
export interface CacheKey {
  certificateDer: Buffer;
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  roleSessionName: string;
  /** A shorter `--session-duration` must not be answered with a longer session's credentials. */
  durationSeconds: number;
  /** Not in the brief's list, but credentials from one service must not be replayed for another. */
  endpoint: string;
  region: string;
}

/** Cached entries are reused until this long before they expire (the SDKs' refresh window). */
const REUSE_MARGIN_MS = 5 * 60_000;

/** `$XDG_CACHE_HOME/mooring-helper`, else `~/.cache/mooring-helper` (XDG Base Directory spec). @internal */
export function cacheDirectory(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg.startsWith('/')) return join(xdg, 'mooring-helper');
  return join(env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir(), '.cache', 'mooring-helper');
}

/** The entry's file: a hash of the key, so the directory listing reveals no ARNs. @internal */
export function cacheFile(dir: string, key: CacheKey): string {
  const fingerprint = createHash('sha256').update(key.certificateDer).digest('hex');
  const id = createHash('sha256')
    .update(JSON.stringify(['v2', fingerprint, key.trustAnchorArn, key.profileArn, key.roleArn, key.roleSessionName, key.durationSeconds, key.endpoint, key.region]))
    .digest('hex');
  return join(dir, `${id}.json`);
}

/**
 * The cached `credential_process` JSON if it is still good for more than five minutes. The
 * file holds a secret, so it is trusted only if it is ours and nobody else can read or write it
 * (mode 0600, our uid); anything unexpected is a cache miss, never an error.
 * @internal
 */
export function readCachedCredentials(file: string, now: number): string | undefined {
  try {
    const st = statSync(file);
    if ((st.mode & 0o077) !== 0 || (typeof process.getuid === 'function' && st.uid !== process.getuid())) return undefined;
    const text = readFileSync(file, 'utf8');
    const parsed = JSON.parse(text) as { Version?: unknown; Expiration?: unknown };
    if (parsed.Version !== 1 || typeof parsed.Expiration !== 'string') return undefined;
    const expiresAt = Date.parse(parsed.Expiration);
    return Number.isFinite(expiresAt) && expiresAt - now > REUSE_MARGIN_MS ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Stores the JSON atomically with mode 0600 in a 0700 directory. @internal */
export function writeCachedCredentials(file: string, json: string): void {
  ensurePrivateDir(join(file, '..'));
  writeFileAtomic(file, json, 0o600);
}
