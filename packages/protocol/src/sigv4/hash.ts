import * as nodeCrypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: string | Uint8Array, outputEncoding: 'hex' | 'base64') => string;

/**
 * crypto.hash (Node >= 20.12) hashes in one call without a Hash object; the package supports
 * any Node 20, so fall back to createHash where it is missing. Both hash strings as UTF-8.
 */
const oneShot = (nodeCrypto as { hash?: OneShotHash }).hash;

/** SHA-256 of `data` (strings as UTF-8) in the given encoding, in one call where Node has one. */
export function sha256Digest(data: Uint8Array | string, encoding: 'hex' | 'base64'): string {
  if (oneShot !== undefined) return oneShot('sha256', data, encoding);
  return typeof data === 'string'
    ? nodeCrypto.createHash('sha256').update(data, 'utf8').digest(encoding)
    : nodeCrypto.createHash('sha256').update(data).digest(encoding);
}

/** Lower-case hex SHA-256, the only digest SigV4 and SigV4-X509 use. Strings hash as UTF-8. */
export function sha256Hex(data: Uint8Array | string): string {
  return sha256Digest(data, 'hex');
}
