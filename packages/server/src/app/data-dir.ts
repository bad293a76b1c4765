import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessKeyRecord } from '../core/iam/access-key-store.js';
import type { Random } from '../core/ports/random.js';
import { generateTokenKey, parseTokenKeySet, serializeTokenKeySet, type TokenKeySet } from '../core/sts/token-keys.js';
import { createTlsMaterial, type TlsMaterial } from './tls-material.js';

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
    return {
      caPem: readFileSync(p.caPem, 'utf8'),
      caKeyPem: existsSync(p.caKey) ? readFileSync(p.caKey, 'utf8') : '',
      certPem: readFileSync(p.certPem, 'utf8'),
      keyPem: readFileSync(p.keyPem, 'utf8'),
    };
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
export function writeAdminCredentials(dir: string, key: AccessKeyRecord): string {
  const p = dataDirPaths(dir);
  const text = `[mooring-admin]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`;
  if (!existsSync(p.adminCredentials) || readFileSync(p.adminCredentials, 'utf8') !== text) writeSecret(p.adminCredentials, text);
  return p.adminCredentials;
}
