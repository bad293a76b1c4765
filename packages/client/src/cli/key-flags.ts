import { KeySourceError } from '../key-sources/key-source-error.js';
import { resolveSecret } from '../key-sources/secret-value.js';
import { openSigningIdentity, type SigningIdentity, type SigningIdentityOptions } from '../key-sources/signing-identity.js';
import type { CliIo } from './cli-io.js';
import { bool, str, type ParsedFlags } from './flags.js';

/** Flags for key sources this build cannot use, with the source they belong to. */
const UNSUPPORTED: ReadonlyArray<readonly [string, string]> = [
  ['cert-selector', 'OS certificate stores'],
  ['system-store-name', 'OS certificate stores'],
  ['use-latest-expiring-certificate', 'OS certificate stores'],
  ['tpm-key-password', 'TPM keys'],
  ['no-tpm-key-password', 'TPM keys'],
];

/** An opened identity plus a way to open it again with the same (already prompted) secrets. @internal */
export interface FlagIdentity {
  identity: SigningIdentity;
  /** Re-reads key and certificate (rotation, official helper PR #65) without prompting again. */
  reopen(): Promise<SigningIdentity>;
}

/** How many times a wrong passphrase or PIN may be re-entered at the prompt. */
const PROMPT_ATTEMPTS = 3;

/**
 * Opens the signing identity named by the key flags. Secrets come from the flags
 * (`--pkcs8-password` as a literal, `env:NAME`, `file:PATH`), from the PKCS#11 URI or the
 * `PKCS11_PIN` variable, or, when a secret is needed and none was given, from a prompt on the
 * terminal (`/dev/tty`, so it works while an SDK reads stdout; signing-helper-spec §8).
 * @internal
 */
export async function identityFromFlags(
  flags: ParsedFlags,
  io: CliIo,
  options: { requireCertificate: boolean },
): Promise<FlagIdentity> {
  for (const [name, source] of UNSUPPORTED) {
    if (flags.set.has(name)) {
      throw new KeySourceError('unsupported-source', `--${name}: ${source} are not supported yet in this build`);
    }
  }
  const passwordFlag = str(flags, 'pkcs8-password');
  const opts: SigningIdentityOptions = {
    certificate: str(flags, 'certificate'),
    privateKey: str(flags, 'private-key'),
    intermediates: flags.values.has('intermediates') ? str(flags, 'intermediates') : '',
    pkcs8Password: resolveSecret(passwordFlag, io.env, '--pkcs8-password'),
    pkcs11Lib: str(flags, 'pkcs11-lib'),
    reusePin: bool(flags, 'reuse-pin'),
    requireCertificate: options.requireCertificate,
    env: io.env,
  };
  const identity = await openWithPrompts(opts, io);
  return { identity, reopen: () => openSigningIdentity(opts) };
}

async function openWithPrompts(opts: SigningIdentityOptions, io: CliIo): Promise<SigningIdentity> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await openSigningIdentity(opts);
    } catch (err) {
      if (!(err instanceof KeySourceError) || io.prompt === undefined || attempt >= PROMPT_ATTEMPTS) throw err;
      if (err.code === 'password-required' || (err.code === 'password-incorrect' && attempt > 0)) {
        // The official helper's prompts, word for word (its "PKC8" typo included: signing-helper-spec §5).
        const question = attempt === 0 ? 'Please enter your PKC8 private key password:' : 'Incorrect PKCS#8 private key password. Please try again:';
        opts.pkcs8Password = await io.prompt(question);
      } else if (err.code === 'pin-required' || (err.code === 'pin-incorrect' && attempt > 0)) {
        opts.pkcs11Pin = await io.prompt(attempt === 0 ? 'Please enter your user PIN:' : 'Incorrect user PIN. Please try again:');
      } else {
        throw err;
      }
    }
  }
}

/** A `--debug` sink on stderr, or undefined. @internal */
export function debugSink(flags: ParsedFlags, stderr: (text: string) => void): ((line: string) => void) | undefined {
  return bool(flags, 'debug') ? (line) => stderr(`${line}\n`) : undefined;
}
