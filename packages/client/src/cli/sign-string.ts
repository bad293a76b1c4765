import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { CliIo } from './cli-io.js';
import { str, type ParsedFlags } from './flags.js';
import { identityFromFlags } from './key-flags.js';

/** The official helper's `SIGN_STRING_TEST_VERSION`. */
const SIGN_STRING_TEST_VERSION = '1';

/**
 * The fixed test string of the official helper's `sign-string` (`getFixedStringToSign`):
 * `"AWS Roles Anywhere Credential Helper Signing Test" || "1" || SHA256("IAM RA" || PUB)` where
 * the digest is appended as 32 raw bytes and PUB is the uncompressed EC point (SEC 1 §2.3.3)
 * or the PKCS#1 `RSAPublicKey` DER (RFC 8017 App. A.1.1).
 * @internal
 */
export function fixedStringToSign(key: KeyObject): Buffer {
  const pub = key.type === 'public' ? key : createPublicKey(key);
  let pubBytes: Buffer;
  if (pub.asymmetricKeyType === 'rsa') {
    pubBytes = pub.export({ type: 'pkcs1', format: 'der' });
  } else {
    // JWK coordinates are fixed-length big-endian (RFC 7518 §6.2.1.2), so 04||X||Y is exact.
    const jwk = pub.export({ format: 'jwk' });
    pubBytes = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
  }
  const suffix = createHash('sha256').update('IAM RA').update(pubBytes).digest();
  return Buffer.concat([Buffer.from('AWS Roles Anywhere Credential Helper Signing Test' + SIGN_STRING_TEST_VERSION, 'latin1'), suffix]);
}

/**
 * `sign-string`: signs the fixed string with the chosen digest (RSA PKCS#1 v1.5, or ECDSA with a
 * DER signature) and prints it as a JSON string of hex (default), bare hex, or raw bytes.
 * @internal
 */
export async function runSignString(flags: ParsedFlags, io: CliIo): Promise<number> {
  const { identity } = await identityFromFlags(flags, io, { requireCertificate: false });
  try {
    const digest = str(flags, 'digest').toLowerCase() as 'sha256' | 'sha384' | 'sha512'; // SHA256 -> node's sha256
    const signature = await identity.signWithDigest(fixedStringToSign(identity.publicKey), digest);
    const format = str(flags, 'format');
    if (format === 'bin') io.stdout(signature);
    else if (format === 'text') io.stdout(signature.toString('hex'));
    else io.stdout(JSON.stringify(signature.toString('hex')));
    return 0;
  } finally {
    await identity.close();
  }
}
