export { main } from './cli/main.js';
export type { CliIo } from './cli/cli-io.js';
export { createSession } from './create-session.js';
export type { CreateSessionOptions } from './create-session.js';
export { CreateSessionError } from './session/create-session-error.js';
export type { CreateSessionFault } from './session/create-session-error.js';
export type { SessionCredentials } from './session/session-response.js';
export type { TlsOptions } from './session/http-send.js';
export { defaultEndpoint, resolveEndpoint } from './session/endpoint.js';
export { resolveSessionRegion, SessionConfigError } from './session/session-target.js';
export { loadCertificate, loadCertificateChain } from './key-sources/certificate.js';
export type { LoadedCertificate } from './key-sources/certificate.js';
export { loadPrivateKey } from './key-sources/private-key.js';
export type { PrivateKeyOptions } from './key-sources/private-key.js';
export { loadSigningIdentity, openSigningIdentity } from './key-sources/signing-identity.js';
export type { SigningIdentity, SigningIdentityOptions } from './key-sources/signing-identity.js';
export { KeySourceError } from './key-sources/key-source-error.js';
export type { KeySourceErrorCode } from './key-sources/key-source-error.js';
export type { MaterialSource } from './key-sources/material.js';
export { fromRolesAnywhere } from './provider/from-roles-anywhere.js';
export type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  FromRolesAnywhereInit,
} from './provider/from-roles-anywhere.js';
export { VERSION } from './version.js';
// PKCS#11 building blocks, for `mooring pki init-ca --key-uri` (CA keys generated on a token).
export { loadPkcs11Module, describeCkr } from './pkcs11/pkcs11-module.js';
export type { Pkcs11Api } from './pkcs11/pkcs11-module.js';
export { parsePkcs11Uri, redactPkcs11Uri } from './pkcs11/pkcs11-uri.js';
export type { Pkcs11Uri } from './pkcs11/pkcs11-uri.js';
