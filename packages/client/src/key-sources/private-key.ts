import { createPrivateKey, type KeyObject } from 'node:crypto';
import { KeySourceError } from './key-source-error.js';
import { readMaterial, type MaterialSource } from './material.js';
import { decodePemBlocks, type PemBlock } from './pem.js';

/** PEM block types a file key may use, in the official helper's order of trial (spec §6.2). */
const KEY_BLOCK_TYPES = ['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY'] as const;

/** Block types that mean "this is a TPM or other hardware key", not a file key. @internal */
export const TPM_KEY_BLOCK_TYPE = 'TSS2 PRIVATE KEY';

/** @public */
export interface PrivateKeyOptions {
  /**
   * Password of an `ENCRYPTED PRIVATE KEY` (PKCS#8, RFC 5958 §3 with PBES2, RFC 8018 §6.2).
   * As in the official helper, an empty string means "no password".
   */
  pkcs8Password?: string;
}

/**
 * Loads a PEM private key: PKCS#8 (`PRIVATE KEY`), encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`),
 * SEC1 (`EC PRIVATE KEY`, RFC 5915) or PKCS#1 (`RSA PRIVATE KEY`, RFC 8017 App. A.1.2). The
 * block may sit anywhere in the file, so a cert+key "combo" file works. Only RSA and EC keys
 * are accepted: they are the only ones with an AWS4-X509 algorithm.
 * @public
 */
export function loadPrivateKey(source: MaterialSource, options: PrivateKeyOptions = {}): KeyObject {
  const bytes = readMaterial(source, 'private key');
  const blocks = decodePemBlocks(bytes.toString('latin1'));
  if (blocks.some((b) => b.type === TPM_KEY_BLOCK_TYPE)) {
    throw new KeySourceError('unsupported-source', 'TPM keys (TSS2 PRIVATE KEY) are not supported yet in this build');
  }
  const keyBlocks = blocks.filter((b) => (KEY_BLOCK_TYPES as readonly string[]).includes(b.type));
  // The official helper silently takes the first; two keys in one file is almost always a
  // mistake (a concatenated bundle) and signing with the wrong one fails only at the service.
  if (keyBlocks.length > 1) throw new KeySourceError('private-key-invalid', 'the PEM data holds more than one private key');
  const block = keyBlocks[0];
  if (block === undefined) throw new KeySourceError('pem-not-found', 'could not parse PEM data');
  const key = parseKeyBlock(block, options.pkcs8Password ?? '');
  assertSupportedKey(key);
  return key;
}

/** Ed25519 and RSA-PSS keys parse, but Roles Anywhere has no signing algorithm for them. @internal */
export function assertSupportedKey(key: KeyObject): void {
  const type = key.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') throw new KeySourceError('unsupported-algorithm', 'unsupported algorithm');
}

function parseKeyBlock(block: PemBlock, password: string): KeyObject {
  if (block.type === 'ENCRYPTED PRIVATE KEY') return parseEncryptedPkcs8(block, password);
  const legacyEncrypted = (block.headers['Proc-Type'] ?? '').includes('ENCRYPTED');
  try {
    if (legacyEncrypted) {
      // RFC 1421 "Proc-Type: 4,ENCRYPTED" keys; the official helper rejects them, OpenSSL can
      // read them, so we accept them with the same password flag.
      if (password === '') throw new KeySourceError('password-required', 'private key is encrypted; a password is required (--pkcs8-password)');
      return createPrivateKey({ key: block.raw, format: 'pem', passphrase: password });
    }
    const type = block.type === 'PRIVATE KEY' ? 'pkcs8' : block.type === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs1';
    return createPrivateKey({ key: block.der, format: 'der', type });
  } catch (err) {
    if (err instanceof KeySourceError) throw err;
    if (legacyEncrypted) throw new KeySourceError('password-incorrect', 'incorrect private key password', { cause: err });
    throw new KeySourceError('private-key-invalid', 'could not parse private key', { cause: err });
  }
}

function parseEncryptedPkcs8(block: PemBlock, password: string): KeyObject {
  if (password === '') {
    throw new KeySourceError(
      'password-required',
      'private key is an encrypted PKCS#8 key; pass its password with --pkcs8-password',
    );
  }
  try {
    return createPrivateKey({ key: block.der, format: 'der', type: 'pkcs8', passphrase: password });
  } catch (err) {
    // PBES2 padding is not authenticated (RFC 8018 §6.2): a wrong password shows up either as
    // a bad-decrypt or as a garbled PKCS#8 structure. The official helper reports both alike.
    throw new KeySourceError('password-incorrect', 'incorrect PKCS#8 private key password', { cause: err });
  }
}
