import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import type { Random } from '../ports/random.js';
import { isSessionClaims, type SessionClaims } from './session-claims.js';
import { KID_PATTERN, TOKEN_KEY_BYTES, type TokenKey, type TokenKeySet } from './token-keys.js';

/**
 * Session token = sealed SessionClaims, so any replica holding the keys authenticates a
 * temporary credential without a database read, and rotated-out keys keep verifying.
 *
 * Binary layout, version 1 (then standard base64):
 *   [0]        0x01 version
 *   [1]        L = kid length (8)
 *   [2, 2+L)   kid, ASCII — in the clear so the right key can be picked
 *   [.., +12)  IV, 96 random bits (NIST SP 800-38D §8.2.2, RBG-based construction)
 *   [.., -16)  AES-256-GCM ciphertext of the UTF-8 JSON claims
 *   [-16, end) GCM tag, 128 bits
 * The header bytes [0, 2+L) are the GCM additional authenticated data, so neither the version
 * nor the kid can be altered without failing authentication (SP 800-38D §7.2).
 * Random 96-bit IVs bound one key to 2^32 seals (SP 800-38D §8.3): rotate keys well before.
 */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Far above any real token (claims carry at most ~25 KB of session policy ARNs). */
const MAX_TOKEN_CHARS = 65536;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export type TokenOpenFailure = 'malformed' | 'unknown-key' | 'tampered';

export interface SessionTokenCodecOptions {
  keys: readonly TokenKey[];
  currentKid: string;
  random: Random;
}

export class SessionTokenCodec {
  private readonly keys: ReadonlyMap<string, Buffer>;
  /**
   * The current key imported once, and the constant header (version, kid length, kid): both
   * were rebuilt on every seal, i.e. on every CreateSession (issue [scale] CPU budget).
   */
  private readonly sealKey: KeyObject;
  private readonly sealHeader: Buffer;
  private readonly random: Random;

  /** Throws on a bad key set: configuration errors surface at start-up, not on first use. */
  constructor(opts: SessionTokenCodecOptions) {
    const keys = new Map<string, Buffer>();
    for (const k of opts.keys) {
      if (!KID_PATTERN.test(k.kid)) throw new Error(`session token key id must be 8 lower-case hex characters`);
      if (k.key.length !== TOKEN_KEY_BYTES) throw new Error(`session token key ${k.kid} must be ${TOKEN_KEY_BYTES} bytes`);
      if (keys.has(k.kid)) throw new Error(`duplicate session token key id ${k.kid}`);
      keys.set(k.kid, Buffer.from(k.key));
    }
    const current = keys.get(opts.currentKid);
    if (!current) throw new Error(`current session token key ${opts.currentKid} is not in the key set`);
    this.keys = keys;
    this.sealKey = createSecretKey(current);
    const kid = Buffer.from(opts.currentKid, 'ascii');
    this.sealHeader = Buffer.concat([Buffer.from([VERSION, kid.length]), kid]);
    this.random = opts.random;
  }

  static fromKeySet(set: TokenKeySet, random: Random): SessionTokenCodec {
    return new SessionTokenCodec({ keys: set.keys, currentKid: set.current, random });
  }

  seal(claims: SessionClaims): string {
    const header = this.sealHeader;
    // A fresh random IV per seal, never reused (SP 800-38D §8.2.2); the key object is reusable.
    const iv = this.random.bytes(IV_BYTES);
    if (iv.length !== IV_BYTES) throw new Error('Random returned the wrong number of bytes');
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(header);
    const body = Buffer.concat([cipher.update(JSON.stringify(claims), 'utf8'), cipher.final()]);
    return Buffer.concat([header, iv, body, cipher.getAuthTag()]).toString('base64');
  }

  open(token: string): { ok: true; claims: SessionClaims } | { ok: false; reason: TokenOpenFailure } {
    if (token.length === 0 || token.length > MAX_TOKEN_CHARS || token.length % 4 !== 0 || !BASE64.test(token)) {
      return { ok: false, reason: 'malformed' };
    }
    const bytes = Buffer.from(token, 'base64');
    if (bytes.length < 2 || bytes[0] !== VERSION) return { ok: false, reason: 'malformed' };
    const kidLength = bytes[1] as number;
    const headerLength = 2 + kidLength;
    if (kidLength === 0 || bytes.length < headerLength + IV_BYTES + TAG_BYTES + 1) return { ok: false, reason: 'malformed' };
    const kid = bytes.subarray(2, headerLength).toString('latin1');
    const key = this.keys.get(kid);
    if (!key) return { ok: false, reason: 'unknown-key' };

    const iv = bytes.subarray(headerLength, headerLength + IV_BYTES);
    const body = bytes.subarray(headerLength + IV_BYTES, bytes.length - TAG_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(bytes.subarray(0, headerLength));
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      // GCM tag mismatch: wrong key material, or any bit of header/IV/ciphertext/tag changed.
      return { ok: false, reason: 'tampered' };
    }
    let claims: unknown;
    try {
      claims = JSON.parse(plain.toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    return isSessionClaims(claims) ? { ok: true, claims } : { ok: false, reason: 'malformed' };
  }
}
