import { createHash } from 'node:crypto';

/** Lower-case hex SHA-256, the only digest SigV4 and SigV4-X509 use. Strings hash as UTF-8. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).digest('hex');
}
