import { sign, type KeyObject } from 'node:crypto';
import type { X509Signer, X509SigningAlgorithm } from './types.js';

/**
 * An X509Signer over an in-memory private key (the helper's file keys, signing-helper-spec
 * §6.2). RSA signs RSASSA-PKCS1-v1_5 with SHA-256 and EC signs ECDSA with SHA-256 in DER form
 * (§2.5); the hash is SHA-256 whatever the key size.
 */
export function newFileX509Signer(key: KeyObject): X509Signer {
  if (key.type !== 'private') throw new Error('newFileX509Signer: a private key is required');
  let algorithm: X509SigningAlgorithm;
  switch (key.asymmetricKeyType) {
    case 'rsa': algorithm = 'AWS4-X509-RSA-SHA256'; break;
    case 'ec': algorithm = 'AWS4-X509-ECDSA-SHA256'; break;
    default: throw new Error(`newFileX509Signer: unsupported key type ${String(key.asymmetricKeyType)}`);
  }
  return {
    algorithm,
    async sign(data: Uint8Array): Promise<Uint8Array> {
      return sign('sha256', data, { key, dsaEncoding: 'der' });
    },
  };
}
