import type { Random } from '../ports/random.js';

/** One AES-256-GCM session-token key. `kid` travels in the clear in every token. */
export interface TokenKey {
  kid: string;
  /** 32 bytes. */
  key: Buffer;
}

/** The keys a replica accepts, and the one it seals new tokens with. */
export interface TokenKeySet {
  current: string;
  keys: TokenKey[];
}

export const KID_PATTERN = /^[0-9a-f]{8}$/;
export const TOKEN_KEY_BYTES = 32; // AES-256 (NIST SP 800-38D with a 256-bit AES key)

/** A fresh key: 32 random bytes and an 8-hex-character key id. */
export function generateTokenKey(random: Random): TokenKey {
  return { kid: random.bytes(4).toString('hex'), key: random.bytes(TOKEN_KEY_BYTES) };
}

/** `{ "current": kid, "keys": [{ "kid", "key": base64 }] }` — a secret file; never log it. */
export function serializeTokenKeySet(set: TokenKeySet): string {
  return JSON.stringify(
    { current: set.current, keys: set.keys.map((k) => ({ kid: k.kid, key: k.key.toString('base64') })) },
    null,
    2,
  );
}

export type TokenKeySetError = 'not-json' | 'bad-shape' | 'bad-kid' | 'bad-key' | 'duplicate-kid' | 'unknown-current';

/** Parses and checks a key set file. Errors name the problem, never the key material. */
export function parseTokenKeySet(text: string): { ok: true; value: TokenKeySet } | { ok: false; reason: TokenKeySetError } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  if (typeof raw !== 'object' || raw === null) return { ok: false, reason: 'bad-shape' };
  const { current, keys } = raw as { current?: unknown; keys?: unknown };
  if (typeof current !== 'string' || !Array.isArray(keys) || keys.length === 0) return { ok: false, reason: 'bad-shape' };
  const out: TokenKey[] = [];
  for (const k of keys as unknown[]) {
    if (typeof k !== 'object' || k === null) return { ok: false, reason: 'bad-shape' };
    const { kid, key } = k as { kid?: unknown; key?: unknown };
    if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) return { ok: false, reason: 'bad-kid' };
    if (typeof key !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return { ok: false, reason: 'bad-key' };
    const bytes = Buffer.from(key, 'base64');
    if (bytes.length !== TOKEN_KEY_BYTES) return { ok: false, reason: 'bad-key' };
    if (out.some((o) => o.kid === kid)) return { ok: false, reason: 'duplicate-kid' };
    out.push({ kid, key: bytes });
  }
  if (!out.some((k) => k.kid === current)) return { ok: false, reason: 'unknown-current' };
  return { ok: true, value: { current, keys: out } };
}
