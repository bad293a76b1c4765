// Signature verification over signed DER structures (RFC 5280 §4.1.1.3 certificates, §5.1.1.3 CRLs):
// the signer's key checks `signatureValue` over the exact TBS bytes with the declared algorithm.
import { verify as cryptoVerify, constants as cryptoConstants } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from './algorithms.js';

/**
 * True iff `signature` over `tbs` verifies with `key` under `alg`. Only the cryptography: policy on weak
 * algorithms lives with the callers. A key of the wrong type for the algorithm is a failure. Never throws.
 */
export function verifySignedData(alg: SignatureAlgorithm, tbs: Buffer, signature: Buffer, key: KeyObject): boolean {
  try {
    switch (alg.scheme) {
      case 'rsa-pkcs1':
        if (key.asymmetricKeyType !== 'rsa') return false;
        return cryptoVerify(alg.hash!, tbs, key, signature);
      case 'rsa-pss':
        if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return false;
        return cryptoVerify(alg.hash!, tbs, {
          key,
          padding: cryptoConstants.RSA_PKCS1_PSS_PADDING,
          saltLength: alg.pssSaltLength ?? 20,
        }, signature);
      case 'ecdsa':
        // X.509 ECDSA signatures are DER Ecdsa-Sig-Value (RFC 5758 §3.2), node's default encoding.
        if (key.asymmetricKeyType !== 'ec') return false;
        return cryptoVerify(alg.hash!, tbs, key, signature);
      case 'ed25519':
        if (key.asymmetricKeyType !== 'ed25519') return false;
        return cryptoVerify(null, tbs, key, signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}
