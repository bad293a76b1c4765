import type { Random } from '../ports/random.js';

/**
 * IAM unique identifiers and access keys. AWS documents the prefixes ("Unique identifiers",
 * IAM User Guide, reference_identifiers.html#identifiers-unique-ids): AIDA = user, AROA = role,
 * AKIA = long-term access key, ASIA = temporary (STS) access key.
 */

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'; // RFC 4648 §6 alphabet

/** RFC 4648 base32 without padding; 10 bytes give exactly 16 characters. */
function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * `n` upper-case alphanumerics. 128 random bits reduced mod 36^n: the bias is below 2^-40 for
 * n = 17, and unlike rejection sampling it terminates for any injected Random.
 */
function upperAlnum(random: Random, n: number): string {
  const big = BigInt('0x' + random.bytes(16).toString('hex'));
  return (big % 36n ** BigInt(n)).toString(36).toUpperCase().padStart(n, '0');
}

/** 'AROA' + 17 upper alphanumerics (21 characters, like IAM role ids). */
export function newRoleId(random: Random): string {
  return 'AROA' + upperAlnum(random, 17);
}

/** 'ANPA' + 17 upper alphanumerics: a customer managed policy id (IAM unique-id prefixes). */
export function newPolicyId(random: Random): string {
  return 'ANPA' + upperAlnum(random, 17);
}

/** 'AIDA' + 17 upper alphanumerics. */
export function newUserId(random: Random): string {
  return 'AIDA' + upperAlnum(random, 17);
}

/** Long-term key id: 'AKIA' + 16 base32 characters (20 total, 80 random bits). */
export function newLongTermAccessKeyId(random: Random): string {
  return 'AKIA' + base32(random.bytes(10));
}

/** Temporary (session) key id: 'ASIA' + 16 base32 characters. */
export function newTemporaryAccessKeyId(random: Random): string {
  return 'ASIA' + base32(random.bytes(10));
}

/** 40-character secret (240 random bits, base64 alphabet like AWS secrets). */
export function newSecretAccessKey(random: Random): string {
  return random.bytes(30).toString('base64');
}
