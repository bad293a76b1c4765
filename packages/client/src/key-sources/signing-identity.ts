import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { newFileX509Signer, type X509Signer } from '@mooring/protocol';
import { loadCertificate, loadCertificateChain, parseCertificateDer, type LoadedCertificate } from './certificate.js';
import { KeySourceError } from './key-source-error.js';
import { readMaterial, type MaterialSource } from './material.js';
import { decodePemBlocks } from './pem.js';
import { readPkcs12, looksLikePkcs12 } from './pkcs12/pkcs12.js';
import { assertSupportedKey, loadPrivateKey } from './private-key.js';

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
  /** The private key when it is in memory (file keys); undefined for hardware keys. @internal */
  readonly privateKey: KeyObject | undefined;
  /** The key's public half (from the key, or from the token). */
  readonly publicKey: KeyObject;
  /**
   * Signs with another digest than SHA-256 (`sign-string --digest`): RSA PKCS#1 v1.5 or ECDSA
   * with a DER signature. @internal
   */
  signWithDigest(data: Uint8Array, digest: 'sha256' | 'sha384' | 'sha512'): Promise<Buffer>;
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
  /** PKCS#11 module path (`--pkcs11-lib`); default: the URI's `module-path`, then p11-kit-proxy. */
  pkcs11Lib?: string;
  /** PKCS#11 user PIN when the URI carries none (`PKCS11_PIN`, a prompt). */
  pkcs11Pin?: string;
  /** Use the user PIN for CKA_ALWAYS_AUTHENTICATE keys too (`--reuse-pin`). */
  reusePin?: boolean;
  /** Environment for `env:` sources and `PKCS11_PIN`; default `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * Picks and loads the key source the way the official helper's `GetSigner` does
 * (signing-helper-spec §6.1), minus its silent fall-back to the OS store (§9, issues #96/#151):
 * - no private key: the certificate value names the key too (combo PEM, or a PKCS#12 file:
 *   any certificate source without a PEM certificate in it);
 * - a PEM certificate file may hold the intermediates after the leaf ("fullchain"): they are
 *   the chain unless `intermediates` is given;
 * - otherwise a PEM key, whose public key must match the certificate's;
 * - `pkcs11:` URIs need {@link openSigningIdentity}; TPM `handle:` keys are refused clearly.
 * @public
 */
export function loadSigningIdentity(options: SigningIdentityOptions): SigningIdentity {
  const { certificate: certSource, intermediates } = options;
  const env = options.env ?? process.env;
  if (isEmpty(options.privateKey) && isEmpty(certSource)) {
    throw new KeySourceError(
      'unsupported-source',
      'no certificate or private key given; set --certificate and --private-key (OS certificate stores are not supported yet in this build)',
    );
  }
  const keyFromCertificate = isEmpty(options.privateKey);
  const keySource = keyFromCertificate ? (certSource as MaterialSource) : (options.privateKey as MaterialSource);
  refuseUnsupportedSources(keySource, certSource);

  // Each source is read once: stdin cannot be read twice, and a combo file is one read.
  const certBytes = isEmpty(certSource) ? undefined : readMaterial(certSource as MaterialSource, 'certificate', env);
  const certBlocks = certBytes === undefined ? [] : decodePemBlocks(certBytes.toString('latin1')).filter((b) => b.type === 'CERTIFICATE');
  if (certBytes !== undefined && keyFromCertificate && certBlocks.length === 0 && !hasPemKey(certBytes)) {
    return pkcs12Identity(certBytes, intermediates, options.pkcs8Password ?? '');
  }
  const [leafBlock, ...fullchain] = certBlocks;
  let certificate: LoadedCertificate | undefined;
  if (certBytes !== undefined) {
    certificate = leafBlock !== undefined ? parseCertificateDer(leafBlock.der) : loadCertificate(certBytes);
  }
  const chain = !isEmpty(intermediates)
    ? loadCertificateChain(readMaterial(intermediates as MaterialSource, 'certificate chain', env))
    : fullchain.map((b) => parseCertificateDer(b.der));
  const keyBytes = keyFromCertificate ? (certBytes as Buffer) : readMaterial(keySource, 'private key', env);
  const privateKey = loadPrivateKey(keyBytes, { pkcs8Password: options.pkcs8Password ?? '' });

  if (certificate === undefined) {
    if (options.requireCertificate !== false) throw new KeySourceError('certificate-invalid', 'undefined certificate value');
  } else if (!samePublicKey(privateKey, certificate)) {
    // The official helper signs anyway and the service answers "Invalid signature"; saying so
    // here saves a round trip and a confusing error.
    throw new KeySourceError('key-certificate-mismatch', 'private key does not match the certificate');
  }
  return fileIdentity(privateKey, certificate, chain);
}

/** A SigningIdentity over an in-memory key. @internal */
export function fileIdentity(privateKey: KeyObject, certificate: LoadedCertificate | undefined, chain: LoadedCertificate[]): SigningIdentity {
  return {
    signer: newFileX509Signer(privateKey),
    certificate,
    chain,
    privateKey,
    publicKey: createPublicKey(privateKey),
    signWithDigest: async (data, digest) => sign(digest, data, { key: privateKey, dsaEncoding: 'der' }),
    close: async () => {},
  };
}

/**
 * {@link loadSigningIdentity} plus the sources that need asynchronous work: PKCS#11 URIs
 * (RFC 7512), whose module is loaded only when such a URI is used, so the helper runs without
 * the optional `pkcs11js` dependency.
 * @public
 */
export async function openSigningIdentity(options: SigningIdentityOptions): Promise<SigningIdentity> {
  const keyId = typeof options.privateKey === 'string' ? options.privateKey : '';
  const certId = typeof options.certificate === 'string' ? options.certificate : '';
  if (keyId.startsWith('pkcs11:') || (keyId === '' && certId.startsWith('pkcs11:'))) {
    const { openPkcs11Identity } = await import('../pkcs11/pkcs11-identity.js');
    return openPkcs11Identity(options);
  }
  return loadSigningIdentity(options);
}

function refuseUnsupportedSources(keySource: MaterialSource, certSource: MaterialSource | undefined): void {
  const keyId = typeof keySource === 'string' ? keySource : '';
  const certId = typeof certSource === 'string' ? certSource : '';
  if (keyId.startsWith('pkcs11:') || certId.startsWith('pkcs11:')) {
    throw new KeySourceError('unsupported-source', 'pkcs11: URIs need openSigningIdentity() (asynchronous)');
  }
  if (/^handle:/i.test(keyId)) {
    throw new KeySourceError('unsupported-source', 'TPM keys (handle:) are not supported yet in this build');
  }
}

/**
 * Like the official helper: a certificate that is not PEM and has no key beside it is PKCS#12,
 * which carries its own chain, so `--intermediates` is refused with the helper's message.
 */
function pkcs12Identity(bytes: Buffer, intermediates: MaterialSource | undefined, password: string): SigningIdentity {
  if (!isEmpty(intermediates)) {
    throw new KeySourceError(
      'chain-invalid',
      "can't specify certificate chain when using PKCS#12 files; certificate bundle should be provided within the PKCS#12 file",
    );
  }
  if (!looksLikePkcs12(bytes)) throw new KeySourceError('pem-not-found', 'could not parse PEM data');
  const { privateKey, certificate, chain } = readPkcs12(bytes, password);
  assertSupportedKey(privateKey);
  return fileIdentity(privateKey, certificate, chain);
}

function hasPemKey(bytes: Buffer): boolean {
  return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(bytes.toString('latin1'));
}

function samePublicKey(privateKey: KeyObject, certificate: LoadedCertificate): boolean {
  const fromKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const fromCert = certificate.x509.publicKey.export({ type: 'spki', format: 'der' });
  return fromKey.equals(fromCert);
}

function isEmpty(source: MaterialSource | undefined): boolean {
  return source === undefined || source.length === 0;
}
