import { MAX_CRL_BYTES, MAX_OCSP_RESPONSE_BYTES } from '@mooring/pki';
import type { FetchResult, RevocationFetcher } from '../core/revocation-online/revocation-fetcher.js';
import { httpFetch } from './http-fetch.js';

export interface HttpRevocationFetcherOptions {
  /** Per-exchange deadline (default 3,000 ms). */
  timeoutMs?: number;
  /** Default 300,000 (the same limit as ImportCrl, service-spec §7). */
  maxCrlBytes?: number;
  /** Default 100,000. */
  maxOcspBytes?: number;
}

/** The node:http adapter of the RevocationFetcher port. */
export class HttpRevocationFetcher implements RevocationFetcher {
  constructor(private readonly opts: HttpRevocationFetcherOptions = {}) {}

  fetchCrl(url: string): Promise<FetchResult> {
    return httpFetch(url, {
      method: 'GET',
      headers: { accept: 'application/pkix-crl' },
      timeoutMs: this.opts.timeoutMs ?? 3_000,
      maxBytes: this.opts.maxCrlBytes ?? MAX_CRL_BYTES,
    });
  }

  postOcsp(url: string, request: Buffer): Promise<FetchResult> {
    // RFC 6960 App. A.1: POST with Content-Type application/ocsp-request.
    return httpFetch(url, {
      method: 'POST',
      body: request,
      headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
      timeoutMs: this.opts.timeoutMs ?? 3_000,
      maxBytes: this.opts.maxOcspBytes ?? MAX_OCSP_RESPONSE_BYTES,
    });
  }
}
