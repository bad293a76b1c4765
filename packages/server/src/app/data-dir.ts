import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessKeyRecord, AccessKeyStore } from '../core/iam/access-key-store.js';
import { newUserId } from '../core/iam/iam-ids.js';
import type { Clock } from '../core/ports/clock.js';
import type { Random } from '../core/ports/random.js';
import type { ServiceConfig } from '../core/ports/service-config.js';
import { generateTokenKey, parseTokenKeySet, serializeTokenKeySet, type TokenKeySet } from '../core/sts/token-keys.js';
import { createTlsMaterial, issueServerCertificate, serverCertificateRenewal, type TlsMaterial } from './tls-material.js';

/** Where everything lives inside `--data-dir`. */
export function dataDirPaths(dir: string) {
  return {
    database: join(dir, 'mooring.db'),
    tlsDir: join(dir, 'tls'),
    caPem: join(dir, 'tls', 'ca.pem'),
    caKey: join(dir, 'tls', 'ca-key.pem'),
    certPem: join(dir, 'tls', 'server.pem'),
    keyPem: join(dir, 'tls', 'server-key.pem'),
    keysDir: join(dir, 'keys'),
    tokenKeys: join(dir, 'keys', 'session-token-keys.json'),
    adminCredentials: join(dir, 'admin-credentials'),
  };
}

/** Writes via a temp file and rename so a crash never leaves a half-written secret. */
function writeSecret(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export function ensureDataDir(dir: string): void {
  const p = dataDirPaths(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  mkdirSync(p.tlsDir, { recursive: true, mode: 0o700 });
  mkdirSync(p.keysDir, { recursive: true, mode: 0o700 });
}

export function ensureTls(dir: string, now: Date, extraNames: readonly string[]): TlsMaterial {
  const p = dataDirPaths(dir);
  if (existsSync(p.certPem) && existsSync(p.keyPem) && existsSync(p.caPem)) {
    const m: TlsMaterial = {
      caPem: readFileSync(p.caPem, 'utf8'),
      caKeyPem: existsSync(p.caKey) ? readFileSync(p.caKey, 'utf8') : '',
      certPem: readFileSync(p.certPem, 'utf8'),
      keyPem: readFileSync(p.keyPem, 'utf8'),
    };
    // A new --tls-name, or a certificate near its end, gets a new server certificate from the
    // same CA: clients keep trusting tls/ca.pem, and nothing else changes.
    const why = serverCertificateRenewal(m, now, extraNames);
    if (why === undefined) return m;
    const renewed = { ...m, ...issueServerCertificate(m, now, extraNames), renewed: why };
    writeSecret(p.keyPem, renewed.keyPem);
    writeFileSync(p.certPem, renewed.certPem, { mode: 0o644 });
    return renewed;
  }
  const m = createTlsMaterial(now, extraNames);
  writeFileSync(p.caPem, m.caPem, { mode: 0o644 });
  writeSecret(p.caKey, m.caKeyPem);
  writeFileSync(p.certPem, m.certPem, { mode: 0o644 });
  writeSecret(p.keyPem, m.keyPem);
  return m;
}

/** The AES-GCM keys that seal session tokens; created once, kept across restarts. */
export function ensureTokenKeys(dir: string, random: Random): TokenKeySet {
  const p = dataDirPaths(dir);
  if (existsSync(p.tokenKeys)) {
    const parsed = parseTokenKeySet(readFileSync(p.tokenKeys, 'utf8'));
    if (!parsed.ok) throw new Error(`${p.tokenKeys} is invalid (${parsed.reason})`);
    return parsed.value;
  }
  const key = generateTokenKey(random);
  const set: TokenKeySet = { current: key.kid, keys: [key] };
  writeSecret(p.tokenKeys, serializeTokenKeySet(set));
  return set;
}

/**
 * The bootstrap admin as an AWS shared-credentials file, profile [mooring-admin], mode 0600.
 * This file is the only place the secret is ever written; it is never printed or logged.
 */
export function writeAdminCredentials(dir: string, key: AccessKeyRecord, opts: { configured?: boolean } = {}): string {
  const p = dataDirPaths(dir);
  const text = `[mooring-admin]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`;
  const existing = existsSync(p.adminCredentials) ? readFileSync(p.adminCredentials, 'utf8') : undefined;
  if (existing === text) return p.adminCredentials;
  // The bootstrap admin of a database never changes, so a file holding another key belongs to
  // another database (a SQLite data dir started with --database-url, say): overwriting it would
  // lose that secret. A configured admin (MOORING_ADMIN_CREDENTIALS) is the source of truth.
  const held = existing === undefined ? undefined : /aws_access_key_id\s*=\s*(\S+)/.exec(existing)?.[1];
  if (existing !== undefined && !opts.configured && held !== key.accessKeyId) {
    throw new Error(
      `${p.adminCredentials} holds the administrator of another database (access key ${held ?? 'unreadable'}; this database's is ${key.accessKeyId}). ` +
        'A data dir belongs to one database: use a fresh --data-dir, or a copy of the data dir of a replica of this database (docs/scaling.md). The file was left as it was.',
    );
  }
  writeSecret(p.adminCredentials, text);
  return p.adminCredentials;
}

/** Where a replica's token keys came from (printed at start; never the keys themselves). */
export type TokenKeySource = 'env' | 'env-file' | 'data-dir';

/**
 * The token key set of this replica, from configuration first (issue [scale] item 3):
 * `MOORING_TOKEN_KEYS` holds the key-set JSON (token-keys.ts) or `file:PATH`; without it, the
 * data directory's `keys/session-token-keys.json` (created on first start). Every replica of a
 * deployment must load the same set, or a token minted by one fails on another. Errors name
 * the source and the problem, never key material.
 */
export function loadTokenKeys(dir: string, random: Random, env: NodeJS.ProcessEnv = process.env): { set: TokenKeySet; source: TokenKeySource } {
  const value = env.MOORING_TOKEN_KEYS;
  if (value === undefined || value.trim() === '') return { set: ensureTokenKeys(dir, random), source: 'data-dir' };
  const fromFile = value.startsWith('file:');
  const text = fromFile ? readConfigFile(value.slice(5), 'MOORING_TOKEN_KEYS') : value;
  const parsed = parseTokenKeySet(text);
  if (!parsed.ok) throw new Error(`MOORING_TOKEN_KEYS${fromFile ? ` (${value.slice(5)})` : ''} is invalid (${parsed.reason})`);
  return { set: parsed.value, source: fromFile ? 'env-file' : 'env' };
}

/**
 * Reads a key-set file, applies `change` (rotateTokenKeys, stageTokenKey, …) and writes it back
 * atomically with mode 0600: what `mooring keys rotate` does to `--data-dir` or a key file.
 */
export function updateTokenKeyFile(path: string, change: (set: TokenKeySet) => TokenKeySet): TokenKeySet {
  const parsed = parseTokenKeySet(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error(`${path} is invalid (${parsed.reason})`);
  const next = change(parsed.value);
  writeSecret(path, serializeTokenKeySet(next));
  return next;
}

/** An administrator credential given by configuration instead of generated. */
export interface ConfiguredAdminCredential {
  accessKeyId: string;
  secretAccessKey: string;
}

const ACCESS_KEY_ID = /^AKIA[A-Z0-9]{16}$/;

/**
 * `MOORING_ADMIN_CREDENTIALS`: `ACCESS_KEY_ID:SECRET`, an AWS shared-credentials text, or
 * `file:PATH` of one (profile `[mooring-admin]`, else the first profile with keys). Undefined
 * when unset. The secret is never echoed in an error.
 */
export function loadAdminCredential(env: NodeJS.ProcessEnv = process.env): ConfiguredAdminCredential | undefined {
  const value = env.MOORING_ADMIN_CREDENTIALS;
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.startsWith('file:') ? readConfigFile(value.slice(5), 'MOORING_ADMIN_CREDENTIALS') : value.trim();
  const inline = /^(AKIA[A-Z0-9]{16}):(\S+)$/.exec(text);
  const cred = inline ? { accessKeyId: inline[1]!, secretAccessKey: inline[2]! } : parseSharedCredentials(text);
  if (!cred || !ACCESS_KEY_ID.test(cred.accessKeyId) || !/^[A-Za-z0-9+/]{40}$/.test(cred.secretAccessKey)) {
    throw new Error('MOORING_ADMIN_CREDENTIALS must be ACCESS_KEY_ID:SECRET or a shared-credentials file with an AKIA… key id and a 40-character secret');
  }
  return cred;
}

function parseSharedCredentials(text: string): ConfiguredAdminCredential | undefined {
  const profiles = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      current = {};
      profiles.set(section[1]!.trim(), current);
      continue;
    }
    const kv = /^([A-Za-z_]+)\s*=\s*(.*)$/.exec(line);
    if (kv && current) current[kv[1]!.toLowerCase()] = kv[2]!.trim();
  }
  const pick = profiles.get('mooring-admin') ?? [...profiles.values()].find((p) => p.aws_access_key_id && p.aws_secret_access_key);
  if (!pick?.aws_access_key_id || !pick.aws_secret_access_key) return undefined;
  return { accessKeyId: pick.aws_access_key_id, secretAccessKey: pick.aws_secret_access_key };
}

/**
 * Stores a configured administrator credential in the shared access-key store (idempotent, so
 * every replica can do it at start) and returns it. Refuses when that key id already exists
 * with another secret: SigV4 would verify against the stored one, so the configured secret
 * would silently not work.
 */
export async function ensureConfiguredAdmin(
  store: AccessKeyStore,
  cred: ConfiguredAdminCredential,
  deps: { config: ServiceConfig; random: Random; clock: Clock; userName?: string },
): Promise<AccessKeyRecord> {
  const existing = await store.getAccessKey(cred.accessKeyId);
  if (existing) {
    if (existing.secretAccessKey !== cred.secretAccessKey) throw new Error(`access key ${cred.accessKeyId} already exists with a different secret`);
    return existing;
  }
  const userName = deps.userName ?? 'mooring-admin';
  const record: AccessKeyRecord = {
    accessKeyId: cred.accessKeyId,
    secretAccessKey: cred.secretAccessKey,
    userName,
    // IAM user ARN format: arn:<partition>:iam::<account>:user/<name> (path '/').
    userArn: `arn:${deps.config.partition}:iam::${deps.config.accountId}:user/${userName}`,
    userId: newUserId(deps.random),
    status: 'Active',
    createDate: deps.clock.now(),
  };
  await store.putAccessKey(record);
  const stored = await store.getAccessKey(cred.accessKeyId);
  // Another replica stored it first with its own userId: theirs is the record.
  return stored ?? record;
}

function readConfigFile(path: string, variable: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${variable}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
