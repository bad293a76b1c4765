// The CA's signing key behind one interface: a PKCS#8 file in the CA directory, or a key that never
// leaves a PKCS#11 token (RFC 7512 URI). Certificates and CRLs are built with @mooring/pki's
// *WithSigner builders, so both kinds of key go through the same code path.
import { createPublicKey, sign as cryptoSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ExternalSigner } from '@mooring/pki';
import { PkiCommandError, UsageError } from './pki-io.js';

export interface CaSigner extends ExternalSigner {
  /** For messages: a path, or the key URI without its PIN. Never key material. */
  readonly description: string;
  close(): Promise<void>;
}

/** A CA key held in memory (generated now, or read from ca-key.pem). */
export function fileCaSigner(privateKey: KeyObject, description: string): CaSigner {
  return {
    publicKey: createPublicKey(privateKey),
    description,
    // ECDSA as DER Ecdsa-Sig-Value, as X.509 carries it (RFC 5758 §3.2, RFC 3279 §2.2.3).
    sign: async (tbs, hash) => cryptoSign(hash, tbs, { key: privateKey, dsaEncoding: 'der' }),
    close: async () => {},
  };
}

/** How to reach a token: the module, and the user PIN (when the URI carries none). */
export interface TokenAccess {
  /** --pkcs11-lib; else the recorded module, the URI's module-path, then p11-kit-proxy. */
  pkcs11Lib?: string;
  /** From --pin-source; else the URI's pin-value/pin-source, then PKCS11_PIN. */
  pin?: string;
  env: Record<string, string | undefined>;
}

/**
 * `--pin-source`: `file:PATH` (first line of the file, as RFC 7512 §2.4 pin-source) or `env:NAME`.
 * A PIN on the command line itself is not offered: it would land in shell history and `ps`.
 */
export function readPinSource(source: string | undefined, env: Record<string, string | undefined>): string | undefined {
  if (source === undefined) return undefined;
  if (source.startsWith('env:')) {
    const v = env[source.slice(4)];
    if (v === undefined || v === '') throw new PkiCommandError(`--pin-source ${source}: the variable is not set`);
    return v;
  }
  if (source.startsWith('file:')) {
    const path = source.startsWith('file://') ? source.slice(7) : source.slice(5);
    try {
      return readFileSync(path, 'utf8').split(/\r?\n/)[0] ?? '';
    } catch (e) {
      throw new PkiCommandError(`--pin-source ${source}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  throw new UsageError(`--pin-source must be file:PATH or env:NAME (got "${source}")`);
}

/**
 * Opens an existing token key through the helper's PKCS#11 code (slot matching, login, raw
 * ECDSA r||s to DER). With `certPath`, the key must match that certificate: each candidate signs a
 * probe verified with the certificate's public key (signing-helper-spec §6.3 step 4), so a URI that
 * names the wrong key is refused instead of producing certificates no one can verify.
 */
export async function tokenCaSigner(uri: string, access: TokenAccess, certPath?: string): Promise<CaSigner> {
  const { KeySourceError, openSigningIdentity, redactPkcs11Uri } = await import('@mooring/client');
  const description = redactPkcs11Uri(uri);
  try {
    const identity = await openSigningIdentity({
      privateKey: uri,
      ...(certPath !== undefined ? { certificate: certPath } : {}),
      requireCertificate: false,
      ...(access.pkcs11Lib !== undefined ? { pkcs11Lib: access.pkcs11Lib } : {}),
      ...(access.pin !== undefined ? { pkcs11Pin: access.pin } : {}),
      env: access.env,
    });
    return {
      publicKey: identity.publicKey,
      description,
      sign: async (tbs, hash) => {
        if (hash === 'sha1') throw new PkiCommandError('SHA-1 signatures are not made (service-spec §5: SHA-256 or stronger)');
        return identity.signWithDigest(tbs, hash);
      },
      close: () => identity.close(),
    };
  } catch (e) {
    // KeySourceError messages carry no PIN (pkcs11-identity.ts); the URI is shown redacted.
    if (e instanceof KeySourceError) throw new PkiCommandError(`PKCS#11 key ${description}: ${e.message}`);
    throw e;
  }
}
