/**
 * The network port of online revocation: the domain decides what to fetch and what a response
 * means; the adapter (src/revocation-fetch) moves the bytes. Contract: every call SETTLES within
 * the adapter's timeout (never rejects, never hangs), returns at most the adapter's byte limit,
 * refuses every scheme but http: and does not follow redirects.
 */
export type FetchFailure = 'timeout' | 'too-large' | 'http-status' | 'network' | 'unsupported-url';

export type FetchResult = { ok: true; body: Buffer } | { ok: false; reason: FetchFailure; detail: string };

export interface RevocationFetcher {
  /** GET a CRL from a distribution point (RFC 5280 §4.2.1.13). */
  fetchCrl(url: string): Promise<FetchResult>;
  /** POST an OCSP request, `application/ocsp-request` (RFC 6960 App. A.1). */
  postOcsp(url: string, request: Buffer): Promise<FetchResult>;
}
