import { readFileSync } from 'node:fs';
import type { TlsOptions } from '../session/http-send.js';

/**
 * `AWS_CA_BUNDLE` (a PEM file of extra trusted CAs, AWS CLI/SDK convention) and
 * `--no-verify-ssl`. TLS 1.2 stays the minimum either way.
 * @internal
 */
export function tlsFromEnvironment(noVerify: boolean, env: Record<string, string | undefined>): TlsOptions {
  const tls: TlsOptions = {};
  if (noVerify) tls.rejectUnauthorized = false;
  const bundle = env.AWS_CA_BUNDLE;
  if (bundle !== undefined && bundle !== '') {
    try {
      tls.ca = readFileSync(bundle);
    } catch (err) {
      throw new Error(`failed to read AWS_CA_BUNDLE: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return tls;
}
