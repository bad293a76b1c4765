/**
 * RC2 decryption in CBC mode (RFC 2268), for legacy PKCS#12 files whose certificates are
 * encrypted with pbeWithSHAAnd40BitRC2-CBC (OpenSSL `-legacy`, older Windows and Java exports).
 * OpenSSL 3 moved RC2 to its legacy provider, which node does not load, hence this small
 * implementation. Decryption only: the helper never produces such files.
 */

// RFC 2268 §2: PITABLE, a permutation of 0..255 derived from the digits of pi.
const PITABLE = Buffer.from(
  'd978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e82' +
    '54d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb6266fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed7' +
    '08e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ecc2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b2555973' +
    '12d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a90d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad',
  'hex',
);

/** RFC 2268 §2 key expansion into 64 16-bit words, with `effectiveBits` (T1). */
function expandKey(key: Buffer, effectiveBits: number): Uint16Array {
  const L = new Uint8Array(128);
  L.set(key);
  const T = key.length;
  for (let i = T; i < 128; i++) L[i] = PITABLE[((L[i - 1] as number) + (L[i - T] as number)) & 0xff] as number;
  const T8 = (effectiveBits + 7) >> 3;
  const TM = 0xff >> (8 * T8 - effectiveBits);
  L[128 - T8] = PITABLE[(L[128 - T8] as number) & TM] as number;
  for (let i = 127 - T8; i >= 0; i--) L[i] = PITABLE[(L[i + 1] as number) ^ (L[i + T8] as number)] as number;
  const K = new Uint16Array(64);
  for (let i = 0; i < 64; i++) K[i] = (L[2 * i] as number) | ((L[2 * i + 1] as number) << 8);
  return K;
}

const ror = (x: number, s: number): number => ((x >>> s) | (x << (16 - s))) & 0xffff;

/** RFC 2268 §4: one block, R-mixing and R-mashing rounds in reverse order. */
function decryptBlock(K: Uint16Array, block: Buffer, out: Buffer, offset: number): void {
  const R = [block.readUInt16LE(0), block.readUInt16LE(2), block.readUInt16LE(4), block.readUInt16LE(6)];
  let j = 63;
  const rmix = (): void => {
    for (let i = 3; i >= 0; i--) {
      const s = [1, 2, 3, 5][i] as number;
      const a = R[(i + 3) % 4] as number;
      const b = R[(i + 2) % 4] as number;
      const c = R[(i + 1) % 4] as number;
      R[i] = (ror(R[i] as number, s) - (K[j] as number) - (a & b) - (~a & 0xffff & c)) & 0xffff;
      j--;
    }
  };
  const rmash = (): void => {
    for (let i = 3; i >= 0; i--) R[i] = ((R[i] as number) - (K[(R[(i + 3) % 4] as number) & 63] as number)) & 0xffff;
  };
  for (let r = 0; r < 5; r++) rmix();
  rmash();
  for (let r = 0; r < 6; r++) rmix();
  rmash();
  for (let r = 0; r < 5; r++) rmix();
  for (let i = 0; i < 4; i++) out.writeUInt16LE(R[i] as number, offset + 2 * i);
}

/** RC2-CBC decryption with PKCS#7 padding removed (RFC 2315 §10.3). @internal */
export function rc2CbcDecrypt(key: Buffer, effectiveBits: number, iv: Buffer, data: Buffer): Buffer {
  if (data.length === 0 || data.length % 8 !== 0) throw new Error('bad RC2 ciphertext length');
  const K = expandKey(key, effectiveBits);
  const out = Buffer.alloc(data.length);
  let prev = iv;
  for (let off = 0; off < data.length; off += 8) {
    const block = data.subarray(off, off + 8);
    decryptBlock(K, block, out, off);
    for (let i = 0; i < 8; i++) out[off + i] = (out[off + i] as number) ^ (prev[i] as number);
    prev = block;
  }
  return stripPadding(out, 8);
}

/** @internal */
export function rc2EcbDecryptBlock(key: Buffer, effectiveBits: number, block: Buffer): Buffer {
  const out = Buffer.alloc(8);
  decryptBlock(expandKey(key, effectiveBits), block, out, 0);
  return out;
}

function stripPadding(buf: Buffer, blockSize: number): Buffer {
  const pad = buf[buf.length - 1] as number;
  if (pad < 1 || pad > blockSize || buf.subarray(buf.length - pad).some((b) => b !== pad)) throw new Error('bad decrypt');
  return buf.subarray(0, buf.length - pad);
}
