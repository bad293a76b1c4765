import type { AwsCredentialsLike } from '@mooring/protocol';

/** Where and as whom apply talks to Mooring: an HTTPS endpoint, a region, and the caller's credentials. */
export interface Connection {
  endpoint: string;
  region: string;
  credentials: () => Promise<AwsCredentialsLike>;
  /** PEM bundle from AWS_CA_BUNDLE; undefined means the system trust store. */
  ca?: string;
}

/** A failed API call, with the service's error code (never the credentials or the request). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly operation: string,
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(`${operation}: ${code}: ${message}`);
  }
}
