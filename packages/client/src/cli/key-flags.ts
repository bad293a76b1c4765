import { KeySourceError } from '../key-sources/key-source-error.js';
import { loadSigningIdentity, type SigningIdentity } from '../key-sources/signing-identity.js';
import { bool, str, type ParsedFlags } from './flags.js';

/** Flags for key sources this build cannot use yet, with the source they belong to. */
const UNSUPPORTED: ReadonlyArray<readonly [string, string]> = [
  ['cert-selector', 'OS certificate stores'],
  ['system-store-name', 'OS certificate stores'],
  ['use-latest-expiring-certificate', 'OS certificate stores'],
  ['pkcs11-lib', 'PKCS#11'],
  ['reuse-pin', 'PKCS#11'],
  ['tpm-key-password', 'TPM keys'],
  ['no-tpm-key-password', 'TPM keys'],
];

/**
 * Loads the signing identity named by the key flags, refusing flags of sources that are not
 * implemented yet with a clear message instead of ignoring them.
 * @internal
 */
export function identityFromFlags(flags: ParsedFlags, options: { requireCertificate: boolean }): SigningIdentity {
  for (const [name, source] of UNSUPPORTED) {
    if (flags.set.has(name)) {
      throw new KeySourceError('unsupported-source', `--${name}: ${source} are not supported yet in this build`);
    }
  }
  const intermediates = flags.values.has('intermediates') ? str(flags, 'intermediates') : '';
  return loadSigningIdentity({
    certificate: str(flags, 'certificate'),
    privateKey: str(flags, 'private-key'),
    intermediates,
    pkcs8Password: str(flags, 'pkcs8-password'),
    requireCertificate: options.requireCertificate,
  });
}

/** A `--debug` sink on stderr, or undefined. @internal */
export function debugSink(flags: ParsedFlags, stderr: (text: string) => void): ((line: string) => void) | undefined {
  return bool(flags, 'debug') ? (line) => stderr(`${line}\n`) : undefined;
}
