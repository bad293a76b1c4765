import * as nodeCrypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: string | Uint8Array, outputEncoding: 'hex') => string;

/**
 * crypto.hash (Node >= 20.12) hashes in one call without a Hash object; the package supports
 * any Node 20, so fall back to createHash where it is missing. Both hash strings as UTF-8.
 */
const oneShot = (nodeCrypto as { hash?: OneShotHash }).hash;

/** Lower-case hex SHA-256, the only digest SigV4 and SigV4-X509 use. Strings hash as UTF-8. */
export function sha256Hex(data: Uint8Array | string): string {
  if (oneShot !== undefined) return oneShot('sha256', data, 'hex');
  return typeof data === 'string'
    ? nodeCrypto.createHash('sha256').update(data, 'utf8').digest('hex')
    : nodeCrypto.createHash('sha256').update(data).digest('hex');
}
