import { createSession } from '../create-session.js';
import { openSigningIdentity } from '../key-sources/signing-identity.js';
import { readMaterial, type MaterialSource } from '../key-sources/material.js';
import { resolveEndpoint } from '../session/endpoint.js';
import type { TlsOptions } from '../session/http-send.js';
import { resolveSessionRegion } from '../session/session-target.js';
import { memoizeCredentials } from './memoize-credentials.js';

/**
 * The AWS SDK for JavaScript v3 identity shape (`@smithy/types` `AwsCredentialIdentity`),
 * declared here so this package needs no SDK dependency; it is structurally compatible.
 * @public
 */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** `@smithy/types` `AwsCredentialIdentityProvider`, structurally. @public */
export type AwsCredentialIdentityProvider = (identityProperties?: Record<string, unknown>) => Promise<AwsCredentialIdentity>;

/** @public */
export interface FromRolesAnywhereInit {
  /** Certificate: a file path, inline PEM, or bytes (PEM or DER). */
  certificate: MaterialSource;
  /**
   * Private key: a file path, inline PEM, PEM bytes, or a `pkcs11:` URI (RFC 7512). Omit it
   * when `certificate` is a PKCS#12 file, a cert+key PEM, or a `pkcs11:` URI.
   */
  privateKey?: MaterialSource;
  /** PKCS#11 module for `pkcs11:` URIs (default: the URI's module-path, then p11-kit-proxy). */
  pkcs11Lib?: string;
  /** PKCS#11 user PIN when the URI has none (default: `PKCS11_PIN`). */
  pkcs11Pin?: string;
  /** Intermediate CA certificates (PEM bundle), sent in `X-Amz-X509-Chain`. */
  intermediates?: MaterialSource;
  pkcs8Password?: string;
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  /** Default: the trust anchor ARN's region. */
  region?: string;
  /** Default: `AWS_ENDPOINT_URL_ROLESANYWHERE`, `AWS_ENDPOINT_URL`, then the AWS endpoint. */
  endpoint?: string;
  durationSeconds?: number;
  roleSessionName?: string;
  /** Extra trusted CAs: PEM text, PEM bytes, or a path to a PEM file. */
  caBundle?: MaterialSource;
  /** `false` disables certificate verification; for tests only. */
  rejectUnauthorized?: boolean;
  /** Refresh when fewer than this many ms remain; default 5 minutes (the SDK default chain's). */
  refreshWindowMs?: number;
  /** Clock for the cache's expiry decisions (tests); requests are always dated with the real clock. */
  now?: () => Date;
}

const FIVE_MINUTES_MS = 5 * 60_000;

/**
 * A credential provider for AWS SDK for JavaScript v3 clients backed by IAM Roles Anywhere
 * CreateSession (the library the official helper's issues ask for: aws-sdk-js-v3 #7112,
 * signing-helper-spec §9). It caches credentials, refreshes them when fewer than five minutes
 * remain, and turns concurrent calls into one CreateSession (style-anchors habit 12). Key and
 * certificate are re-read at each refresh so rotated files are picked up.
 *
 * ARN mistakes throw here, at construction, not on first use.
 * @public
 */
export function fromRolesAnywhere(init: FromRolesAnywhereInit): AwsCredentialIdentityProvider {
  const region = resolveSessionRegion(init);
  const now = init.now ?? (() => new Date());
  const fetchCredentials = async (): Promise<AwsCredentialIdentity> => {
    const identity = await openSigningIdentity({
      certificate: init.certificate,
      ...(init.privateKey !== undefined ? { privateKey: init.privateKey } : {}),
      ...(init.pkcs11Lib !== undefined ? { pkcs11Lib: init.pkcs11Lib } : {}),
      ...(init.pkcs11Pin !== undefined ? { pkcs11Pin: init.pkcs11Pin } : {}),
      ...(init.intermediates !== undefined ? { intermediates: init.intermediates } : {}),
      ...(init.pkcs8Password !== undefined ? { pkcs8Password: init.pkcs8Password } : {}),
    });
    try {
      const certificate = identity.certificate;
      if (certificate === undefined) throw new Error('undefined certificate value');
      const tls: TlsOptions = {};
      if (init.caBundle !== undefined) tls.ca = readMaterial(init.caBundle, 'certificate chain');
      if (init.rejectUnauthorized === false) tls.rejectUnauthorized = false;
      const session = await createSession({
        endpoint: resolveEndpoint(region, init.endpoint),
        region,
        trustAnchorArn: init.trustAnchorArn,
        profileArn: init.profileArn,
        roleArn: init.roleArn,
        ...(init.durationSeconds !== undefined ? { durationSeconds: init.durationSeconds } : {}),
        ...(init.roleSessionName !== undefined ? { roleSessionName: init.roleSessionName } : {}),
        signer: identity.signer,
        certificateDer: certificate.der,
        chainDer: identity.chain.map((c) => c.der),
        tls,
      });
      const expiration = new Date(session.expiration);
      if (Number.isNaN(expiration.getTime())) throw new Error('CreateSession returned an unparseable expiration');
      return {
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.sessionToken,
        expiration,
      };
    } finally {
      await identity.close();
    }
  };
  return memoizeCredentials(fetchCredentials, { refreshWindowMs: init.refreshWindowMs ?? FIVE_MINUTES_MS, now });
}
