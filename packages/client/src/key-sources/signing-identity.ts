import { createPublicKey, type KeyObject } from 'node:crypto';
import { extname } from 'node:path';
import { newFileX509Signer, type X509Signer } from '@mooring/protocol';
import { loadCertificate, loadCertificateChain, type LoadedCertificate } from './certificate.js';
import { KeySourceError } from './key-source-error.js';
import type { MaterialSource } from './material.js';
import { loadPrivateKey } from './private-key.js';

/**
 * A key plus the certificates that go with it: the one interface every key source sits behind
 * (style-anchors habit 13, after the official helper's `Signer`). Today only file keys exist;
 * PKCS#11, PKCS#12 and TPM sources will implement the same shape.
 * @public
 */
export interface SigningIdentity {
  readonly signer: X509Signer;
  /** Absent only when the caller allowed it (`sign-string` needs no certificate). */
  readonly certificate: LoadedCertificate | undefined;
  /** Intermediates in the order they are sent in `X-Amz-X509-Chain`. */
  readonly chain: LoadedCertificate[];
  /** The private key, for diagnostics that sign with other digests (`sign-string`). @internal */
  readonly privateKey: KeyObject;
  close(): Promise<void>;
}

/** @public */
export interface SigningIdentityOptions {
  certificate?: MaterialSource;
  privateKey?: MaterialSource;
  intermediates?: MaterialSource;
  pkcs8Password?: string;
  /** Default true; `sign-string` turns it off. */
  requireCertificate?: boolean;
}

/**
 * Picks and loads the key source the way the official helper's `GetSigner` does
 * (signing-helper-spec §6.1), minus its silent fall-back to the OS store (§9, issues #96/#151):
 * - no private key: the certificate value names the key too (combo PEM, PKCS#11 URI, PKCS#12);
 * - `pkcs11:` URIs, `handle:` TPM handles and PKCS#12 files are recognised and refused clearly;
 * - otherwise a PEM key file, whose public key must match the certificate's.
 * @public
 */
export function loadSigningIdentity(options: SigningIdentityOptions): SigningIdentity {
  const { certificate: certSource, intermediates } = options;
  if (isEmpty(options.privateKey) && isEmpty(certSource)) {
    throw new KeySourceError(
      'unsupported-source',
      'no certificate or private key given; set --certificate and --private-key (OS certificate stores are not supported yet in this build)',
    );
  }
  const keySource = isEmpty(options.privateKey) ? (certSource as MaterialSource) : (options.privateKey as MaterialSource);
  refuseUnsupportedSources(keySource, certSource, intermediates, isEmpty(options.privateKey));

  const certificate = isEmpty(certSource)
    ? undefined
    : loadCertificateOrRefusePkcs12(certSource as MaterialSource, intermediates, isEmpty(options.privateKey));
  const chain = isEmpty(intermediates) ? [] : loadCertificateChain(intermediates as MaterialSource);
  const privateKey = loadPrivateKey(keySource, { pkcs8Password: options.pkcs8Password ?? '' });

  if (certificate === undefined) {
    if (options.requireCertificate !== false) throw new KeySourceError('certificate-invalid', 'undefined certificate value');
  } else if (!samePublicKey(privateKey, certificate)) {
    // The official helper signs anyway and the service answers "Invalid signature"; saying so
    // here saves a round trip and a confusing error.
    throw new KeySourceError('key-certificate-mismatch', 'private key does not match the certificate');
  }
  const signer = newFileX509Signer(privateKey);
  return { signer, certificate, chain, privateKey, close: async () => {} };
}

function refuseUnsupportedSources(
  keySource: MaterialSource,
  certSource: MaterialSource | undefined,
  intermediates: MaterialSource | undefined,
  keyFromCertificate: boolean,
): void {
  const keyId = typeof keySource === 'string' ? keySource : '';
  const certId = typeof certSource === 'string' ? certSource : '';
  if (keyId.startsWith('pkcs11:') || certId.startsWith('pkcs11:')) {
    throw new KeySourceError('unsupported-source', 'PKCS#11 (pkcs11: URIs) is not supported yet in this build');
  }
  if (/^handle:/i.test(keyId)) {
    throw new KeySourceError('unsupported-source', 'TPM keys (handle:) are not supported yet in this build');
  }
  if (keyFromCertificate && /^\.(p12|pfx)$/i.test(extname(certId))) refusePkcs12(intermediates);
}

/** Like the official helper: a certificate file that is not PEM and has no key beside it is PKCS#12. */
function loadCertificateOrRefusePkcs12(
  source: MaterialSource,
  intermediates: MaterialSource | undefined,
  keyFromCertificate: boolean,
): LoadedCertificate {
  try {
    return loadCertificate(source);
  } catch (err) {
    if (err instanceof KeySourceError && err.code === 'pem-not-found' && keyFromCertificate) refusePkcs12(intermediates);
    throw err;
  }
}

function refusePkcs12(intermediates: MaterialSource | undefined): never {
  if (!isEmpty(intermediates)) {
    throw new KeySourceError(
      'unsupported-source',
      "can't specify certificate chain when using PKCS#12 files; certificate bundle should be provided within the PKCS#12 file",
    );
  }
  throw new KeySourceError('unsupported-source', 'PKCS#12 files are not supported yet in this build');
}

function samePublicKey(privateKey: KeyObject, certificate: LoadedCertificate): boolean {
  const fromKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const fromCert = certificate.x509.publicKey.export({ type: 'spki', format: 'der' });
  return fromKey.equals(fromCert);
}

function isEmpty(source: MaterialSource | undefined): boolean {
  return source === undefined || source.length === 0;
}
