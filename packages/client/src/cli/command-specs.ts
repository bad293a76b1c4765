import type { CommandSpec, FlagSpec } from './flags.js';

/**
 * Flags and mutual exclusions of the official helper's commands (`cmd/credentials.go`,
 * `cmd/sign_string.go`, `cmd/read_certificate_data.go`; signing-helper-spec §1.1–§1.5), so a
 * `credential_process` line written for `aws_signing_helper` works unchanged.
 */

const s = (name: string, usage: string, def = ''): FlagSpec => ({ name, type: 'string', default: def, usage });
const b = (name: string, usage: string): FlagSpec => ({ name, type: 'bool', default: false, usage });

const KEY_FLAGS: readonly FlagSpec[] = [
  s('certificate', 'Certificate: PEM file (may hold the key and/or the chain), PKCS#12 file, pkcs11: URI, - (stdin) or env:NAME'),
  s('private-key', 'Private key: PEM file (PKCS#8, encrypted PKCS#8, SEC1, PKCS#1), pkcs11: URI, - (stdin) or env:NAME'),
  s('cert-selector', 'Certificate store selector (not supported yet in this build)'),
  s('system-store-name', 'Windows system store name (not supported yet in this build)', 'MY'),
  b('use-latest-expiring-certificate', 'Pick the latest-expiring matching certificate from an OS store (not supported yet)'),
  s('pkcs11-lib', 'PKCS#11 module for pkcs11: URIs (default: the URI\'s module-path, then p11-kit-proxy.so)'),
  b('reuse-pin', 'Use the PKCS#11 user PIN as the context-specific PIN of CKA_ALWAYS_AUTHENTICATE keys'),
  s('tpm-key-password', 'Password for a TPM key (not supported yet in this build)'),
  b('no-tpm-key-password', 'The TPM key has no password (not supported yet in this build)'),
  s('pkcs8-password', 'Password of an encrypted PKCS#8 key or PKCS#12 file: VALUE, env:NAME, file:PATH or pass:VALUE'),
  b('debug', 'Print the canonical request and string to sign to stderr (never secrets)'),
];

/** cobra `MarkFlagsMutuallyExclusive` calls of `initCredentialsSubCommand`, in source order. */
const CREDENTIAL_EXCLUSIONS: readonly (readonly string[])[] = [
  ['certificate', 'cert-selector'],
  ['certificate', 'system-store-name'],
  ['private-key', 'cert-selector'],
  ['private-key', 'system-store-name'],
  ['private-key', 'use-latest-expiring-certificate'],
  ['use-latest-expiring-certificate', 'intermediates'],
  ['use-latest-expiring-certificate', 'reuse-pin'],
  ['cert-selector', 'intermediates'],
  ['cert-selector', 'reuse-pin'],
  ['system-store-name', 'reuse-pin'],
  ['tpm-key-password', 'cert-selector'],
  ['tpm-key-password', 'reuse-pin'],
  ['no-tpm-key-password', 'cert-selector'],
  ['no-tpm-key-password', 'tpm-key-password'],
  ['pkcs8-password', 'tpm-key-password'],
];

/** Flags shared by credential-process, serve and update (`initCredentialsSubCommand`). */
const CREDENTIAL_FLAGS: readonly FlagSpec[] = [
  s('role-arn', 'Target role to assume'),
  s('profile-arn', 'Profile to pull policies from'),
  s('trust-anchor-arn', 'Trust anchor to use for authentication'),
  { name: 'session-duration', type: 'int', default: 3600, usage: 'Duration, in seconds, for the resulting session' },
  s('region', 'Signing region (default: the trust anchor ARN\'s region)'),
  s('endpoint', 'Endpoint used to call CreateSession (a path is kept as a prefix)'),
  b('no-verify-ssl', 'To disable SSL verification'),
  b('with-proxy', 'Use HTTPS_PROXY/HTTP_PROXY (always honoured; kept for compatibility)'),
  s('intermediates', 'Path to intermediate certificate bundle file'),
  s('role-session-name', 'An identifier of a role session'),
  ...KEY_FLAGS,
];

/** @internal */
export const CREDENTIAL_PROCESS: CommandSpec = {
  name: 'credential-process',
  short: 'Retrieve AWS credentials in the appropriate format for external credential processes',
  long:
    'To retrieve AWS credentials in the appropriate format for external\n' +
    'credential processes, as determined by the SDK/CLI. More information can be\n' +
    'found at: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html',
  flags: [...CREDENTIAL_FLAGS, b('cache', 'Reuse credentials cached in the user cache dir until 5 minutes before they expire')],
  exclusive: CREDENTIAL_EXCLUSIONS,
};

const SIGN_STRING_FLAGS: readonly FlagSpec[] = [
  ...KEY_FLAGS,
  { name: 'format', type: 'string', default: 'json', usage: 'Output format. One of json, text, and bin', values: ['json', 'text', 'bin'] },
  { name: 'digest', type: 'string', default: 'SHA256', usage: 'One of SHA256, SHA384, and SHA512', values: ['SHA256', 'SHA384', 'SHA512'] },
];

/** @internal */
export const SIGN_STRING: CommandSpec = {
  name: 'sign-string',
  short: 'Signs a fixed test string using the passed-in private key',
  flags: SIGN_STRING_FLAGS,
  // Only the groups whose flags all exist on this command (cobra would panic otherwise).
  exclusive: CREDENTIAL_EXCLUSIONS.filter((g) => g.every((n) => SIGN_STRING_FLAGS.some((f) => f.name === n))),
};

/** @internal */
export const READ_CERTIFICATE_DATA: CommandSpec = {
  name: 'read-certificate-data',
  short: 'Diagnostic command to read certificate data',
  long: 'Diagnostic command to read certificate data, either from files or\n    from a certificate store',
  flags: [
    s('certificate', 'Path to certificate file'),
    s('cert-selector', 'Certificate store selector (not supported yet in this build)'),
    s('system-store-name', 'Windows system store name (not supported yet in this build)', 'MY'),
    s('pkcs11-lib', 'PKCS#11 module (PKCS#11 URIs are not supported by this command yet)'),
    b('debug', 'To print debug output'),
  ],
  exclusive: [
    ['certificate', 'cert-selector'],
    ['certificate', 'system-store-name'],
  ],
};

/** @internal */
export const VERSION_COMMAND: CommandSpec = { name: 'version', short: 'Prints the version number of the credential helper', flags: [] };

/** `serve` (signing-helper-spec §1.2) plus `--listen-address` (official helper issue #76). @internal */
export const SERVE: CommandSpec = {
  ...CREDENTIAL_PROCESS,
  name: 'serve',
  short: 'Serve AWS credentials through a local endpoint',
  long:
    'Serve AWS credentials through a local endpoint compatible with IMDSv2\n' +
    '(AWS_EC2_METADATA_SERVICE_ENDPOINT) and with the container credentials\n' +
    'endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)',
  flags: [
    ...CREDENTIAL_FLAGS,
    { name: 'port', type: 'int', default: 9911, usage: 'The port used to run the local server (0: any free port)' },
    { name: 'hop-limit', type: 'int', default: 64, usage: 'The IP TTL to set on responses (accepted; not settable from Node.js)' },
    s('listen-address', 'The address to listen on, e.g. 127.0.0.1 or ::1', '127.0.0.1'),
  ],
};

/** @internal */
export const UPDATE: CommandSpec = {
  ...CREDENTIAL_PROCESS,
  name: 'update',
  short: 'Updates a temporary credentials file, and keeps it updated',
  long:
    'Updates a profile in the AWS shared credentials file (AWS_SHARED_CREDENTIALS_FILE or\n' +
    '~/.aws/credentials) atomically, and refreshes it 5 minutes before the credentials expire',
  flags: [...CREDENTIAL_FLAGS, s('profile', 'The aws profile to use', 'default'), b('once', 'Update the credentials once')],
};

/** @internal */
export const COMMANDS: readonly CommandSpec[] = [CREDENTIAL_PROCESS, READ_CERTIFICATE_DATA, SERVE, SIGN_STRING, UPDATE, VERSION_COMMAND];
