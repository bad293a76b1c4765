import { createDecipheriv, createHash, pbkdf2Sync } from 'node:crypto';
import { DerLiteError, expectSequence, octets, oidText, smallInt, type Tlv } from './der-lite.js';
import { rc2CbcDecrypt } from './rc2.js';

/** Thrown when decryption fails in a way a wrong password causes (bad padding). @internal */
export class WrongPasswordError extends Error {
  override readonly name = 'WrongPasswordError';
}

type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** RFC 8018 Appendix B.1.1 PRFs. */
const PRF_OIDS: Record<string, HashName> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
/** RFC 8018 Appendix B.2 encryption schemes usable with PBES2. */
const CIPHER_OIDS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};
/** RFC 7292 Appendix C: the PKCS#12 PBE algorithms still met in practice. */
const PKCS12_PBE: Record<string, { cipher: 'des-ede3-cbc' | 'rc2'; keyLength: number; rc2Bits?: number }> = {
  '1.2.840.113549.1.12.1.3': { cipher: 'des-ede3-cbc', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede3-cbc', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2', keyLength: 16, rc2Bits: 128 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2', keyLength: 5, rc2Bits: 40 },
};
const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';

const BLOCK_SIZE: Record<HashName, number> = { sha1: 64, sha224: 64, sha256: 64, sha384: 128, sha512: 128 };
const DIGEST_SIZE: Record<HashName, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

/** Hash OIDs used in PKCS#12 MacData (RFC 7292 §4 DigestInfo). @internal */
export const DIGEST_OIDS: Record<string, HashName> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/**
 * The PKCS#12 key derivation function (RFC 7292 Appendix B.2). `password` is already the
 * BMPString form (B.1: UTF-16BE plus two zero bytes). `id`: 1 key, 2 IV, 3 MAC key.
 * @internal
 */
export function pkcs12Kdf(hash: HashName, password: Buffer, salt: Buffer, id: 1 | 2 | 3, iterations: number, length: number): Buffer {
  const u = DIGEST_SIZE[hash];
  const v = BLOCK_SIZE[hash];
  const D = Buffer.alloc(v, id);
  const fill = (src: Buffer): Buffer => {
    const out = Buffer.alloc(src.length === 0 ? 0 : v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length] as number;
    return out;
  };
  const I = Buffer.concat([fill(salt), fill(password)]);
  const blocks: Buffer[] = [];
  for (let produced = 0; produced < length; produced += u) {
    let A = createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash).update(A).digest();
    blocks.push(A);
    const B = Buffer.alloc(v);
    for (let i = 0; i < v; i++) B[i] = A[i % u] as number;
    // I_j = (I_j + B + 1) mod 2^(8v), big-endian, for each v-byte block of I.
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = (I[j + k] as number) + (B[k] as number) + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** RFC 7292 Appendix B.1: the password as a zero-terminated BMPString. @internal */
export function bmpPassword(password: string): Buffer {
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

/**
 * Decrypts `data` under AlgorithmIdentifier `algorithm` with `password`:
 * PBES2 (RFC 8018 §6.2: PBKDF2 with HMAC-SHA1..512, AES-CBC or 3DES) with the UTF-8 password,
 * as OpenSSL writes it; or the PKCS#12 PBEs (3DES, RC2) with the BMPString password.
 * `bmp` overrides the BMPString (the empty-password ambiguity: with or without terminator).
 * @internal
 */
export function pbeDecrypt(algorithm: Tlv, data: Buffer, password: string, bmp = bmpPassword(password)): Buffer {
  const [oidTlv, params] = expectSequence(algorithm, 'AlgorithmIdentifier');
  const oid = oidText(oidTlv);
  const legacy = PKCS12_PBE[oid];
  if (legacy !== undefined) {
    const [salt, iterations] = expectSequence(params, 'PBE parameters');
    const s = octets(salt);
    const n = smallInt(iterations);
    const key = pkcs12Kdf('sha1', bmp, s, 1, n, legacy.keyLength);
    const iv = pkcs12Kdf('sha1', bmp, s, 2, n, 8);
    return guard(() => {
      if (legacy.cipher === 'rc2') return rc2CbcDecrypt(key, legacy.rc2Bits ?? 40, iv, data);
      // Two-key 3DES (…1.4) repeats K1 as K3.
      const k = legacy.keyLength === 16 ? Buffer.concat([key, key.subarray(0, 8)]) : key;
      return decipher('des-ede3-cbc', k, iv, data);
    });
  }
  if (oid !== PBES2) throw new DerLiteError(`unsupported PKCS#12 encryption algorithm ${oid}`);
  const [kdf, scheme] = expectSequence(params, 'PBES2 parameters');
  const [kdfOid, kdfParams] = expectSequence(kdf, 'PBES2 KDF');
  if (oidText(kdfOid) !== PBKDF2) throw new DerLiteError(`unsupported PBES2 key derivation ${oidText(kdfOid)}`);
  const kp = expectSequence(kdfParams, 'PBKDF2 parameters');
  const salt = octets(kp[0]);
  const iterations = smallInt(kp[1]);
  let prf: HashName = 'sha1'; // RFC 8018 A.2: DEFAULT algid-hmacWithSHA1
  for (const extra of kp.slice(2)) {
    if (extra.tag === 0x30) {
      const p = PRF_OIDS[oidText(expectSequence(extra, 'PRF')[0])];
      if (p === undefined) throw new DerLiteError('unsupported PBKDF2 PRF');
      prf = p;
    }
  }
  const [cipherOid, ivTlv] = expectSequence(scheme, 'PBES2 encryption scheme');
  const cipher = CIPHER_OIDS[oidText(cipherOid)];
  if (cipher === undefined) throw new DerLiteError(`unsupported PBES2 cipher ${oidText(cipherOid)}`);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, cipher.keyLength, prf);
  return guard(() => decipher(cipher.name, key, octets(ivTlv), data));
}

function decipher(name: string, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const d = createDecipheriv(name, key, iv);
  return Buffer.concat([d.update(data), d.final()]);
}

function guard(fn: () => Buffer): Buffer {
  try {
    return fn();
  } catch (err) {
    // CBC padding is not authenticated: a bad-decrypt is what a wrong password looks like.
    throw new WrongPasswordError('bad decrypt', { cause: err });
  }
}
