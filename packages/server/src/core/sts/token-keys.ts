import type { Random } from '../ports/random.js';

/** One AES-256-GCM session-token key. `kid` travels in the clear in every token. */
export interface TokenKey {
  kid: string;
  /** 32 bytes. */
  key: Buffer;
  /** When the key was generated (absent in key sets written before rotation existed). */
  createdAt?: Date;
  /** When another key replaced it as current: it only verifies from then on, until pruned. */
  retiredAt?: Date;
}

/** The keys a replica accepts, and the one it seals new tokens with. */
export interface TokenKeySet {
  current: string;
  keys: TokenKey[];
}

export const KID_PATTERN = /^[0-9a-f]{8}$/;
export const TOKEN_KEY_BYTES = 32; // AES-256 (NIST SP 800-38D with a 256-bit AES key)

/** A fresh key: 32 random bytes and an 8-hex-character key id. */
export function generateTokenKey(random: Random, now?: Date): TokenKey {
  const k: TokenKey = { kid: random.bytes(4).toString('hex'), key: random.bytes(TOKEN_KEY_BYTES) };
  if (now) k.createdAt = now;
  return k;
}

/** `{ "current": kid, "keys": [{ "kid", "key": base64 }] }` — a secret file; never log it. */
export function serializeTokenKeySet(set: TokenKeySet): string {
  return JSON.stringify(
    {
      current: set.current,
      keys: set.keys.map((k) => ({
        kid: k.kid,
        key: k.key.toString('base64'),
        ...(k.createdAt ? { createdAt: k.createdAt.toISOString() } : {}),
        ...(k.retiredAt ? { retiredAt: k.retiredAt.toISOString() } : {}),
      })),
    },
    null,
    2,
  );
}

export type TokenKeySetError = 'not-json' | 'bad-shape' | 'bad-kid' | 'bad-key' | 'bad-date' | 'duplicate-kid' | 'unknown-current';

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
    const { kid, key, createdAt, retiredAt } = k as { kid?: unknown; key?: unknown; createdAt?: unknown; retiredAt?: unknown };
    if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) return { ok: false, reason: 'bad-kid' };
    if (typeof key !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return { ok: false, reason: 'bad-key' };
    const bytes = Buffer.from(key, 'base64');
    if (bytes.length !== TOKEN_KEY_BYTES) return { ok: false, reason: 'bad-key' };
    if (out.some((o) => o.kid === kid)) return { ok: false, reason: 'duplicate-kid' };
    const entry: TokenKey = { kid, key: bytes };
    for (const [name, v] of [['createdAt', createdAt], ['retiredAt', retiredAt]] as const) {
      if (v === undefined) continue;
      const d = typeof v === 'string' ? new Date(v) : undefined;
      if (!d || Number.isNaN(d.getTime())) return { ok: false, reason: 'bad-date' };
      entry[name] = d;
    }
    out.push(entry);
  }
  if (!out.some((k) => k.kid === current)) return { ok: false, reason: 'unknown-current' };
  return { ok: true, value: { current, keys: out } };
}

/**
 * How long a retired key keeps verifying: the longest session a token can carry (IAM
 * MaxSessionDuration tops out at 12 hours) plus the ±5 minute clock-skew allowance. After that
 * every token it sealed has expired, so dropping it rejects nothing that was still valid.
 */
export const RETIRED_KEY_RETENTION_SECONDS = 12 * 3600 + 300;

export interface RotateOptions {
  /** Seconds a retired key is kept (default {@link RETIRED_KEY_RETENTION_SECONDS}). */
  retainSeconds?: number;
}

/**
 * `mooring keys rotate`: a fresh key becomes current; the previous current key is marked
 * retired at `now` and keeps verifying the tokens it sealed; keys retired longer ago than the
 * retention are dropped. Pure: returns a new set, the caller writes it out (serializeTokenKeySet).
 * With several replicas prefer {@link stageTokenKey} then {@link activateTokenKey} (docs/scaling.md).
 */
export function rotateTokenKeys(set: TokenKeySet, random: Random, now: Date, opts: RotateOptions = {}): TokenKeySet {
  const staged = stageTokenKey(set, random, now, opts);
  return activateTokenKey(staged, staged.keys[staged.keys.length - 1]!.kid, now, opts);
}

/**
 * Phase 1 of a rolling rotation: adds a fresh key that every replica will accept, without
 * sealing with it yet. Distribute this set to all replicas before {@link activateTokenKey}, so
 * no replica ever sees a token sealed with a key it does not have.
 */
export function stageTokenKey(set: TokenKeySet, random: Random, now: Date, opts: RotateOptions = {}): TokenKeySet {
  const taken = new Set(set.keys.map((k) => k.kid));
  let key = generateTokenKey(random, now);
  // 32-bit key ids: a collision is unlikely but would make one kid name two keys.
  while (taken.has(key.kid)) key = generateTokenKey(random, now);
  return prune({ current: set.current, keys: [...set.keys.map(copyKey), key] }, now, opts);
}

/** Phase 2: `kid` (already in the set) becomes current; the previous current key is retired at `now`. */
export function activateTokenKey(set: TokenKeySet, kid: string, now: Date, opts: RotateOptions = {}): TokenKeySet {
  if (!set.keys.some((k) => k.kid === kid)) throw new Error(`token key ${kid} is not in the key set`);
  if (kid === set.current) return { current: kid, keys: set.keys.map(copyKey) };
  const keys = set.keys.map((k) => {
    const c = copyKey(k);
    if (c.kid === set.current && !c.retiredAt) c.retiredAt = now;
    if (c.kid === kid) delete c.retiredAt;
    return c;
  });
  return prune({ current: kid, keys }, now, opts);
}

/** Drops keys retired longer ago than the retention; never the current key. */
export function pruneTokenKeys(set: TokenKeySet, now: Date, opts: RotateOptions = {}): TokenKeySet {
  return prune({ current: set.current, keys: set.keys.map(copyKey) }, now, opts);
}

function prune(set: TokenKeySet, now: Date, opts: RotateOptions): TokenKeySet {
  const keepMs = (opts.retainSeconds ?? RETIRED_KEY_RETENTION_SECONDS) * 1000;
  const keys = set.keys.filter((k) => k.kid === set.current || !k.retiredAt || now.getTime() - k.retiredAt.getTime() < keepMs);
  return { current: set.current, keys };
}

function copyKey(k: TokenKey): TokenKey {
  const c: TokenKey = { kid: k.kid, key: Buffer.from(k.key) };
  if (k.createdAt) c.createdAt = k.createdAt;
  if (k.retiredAt) c.retiredAt = k.retiredAt;
  return c;
}
