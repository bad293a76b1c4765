import { buildOcspRequest, checkOcspResponse, formatName } from '@mooring/pki';
import type { ParsedCertificate } from '@mooring/pki';
import type { Random } from '../ports/random.js';
import type { MethodOutcome } from './method-outcome.js';
import type { RevocationFetcher } from './revocation-fetcher.js';

export interface OcspOptions {
  /** A 'good' answer is reused for min(nextUpdate, this) (default 5 minutes). */
  goodTtlMs: number;
  /** A 'revoked' answer is reused until its nextUpdate, or this long without one (default 1 hour). */
  revokedTtlMs: number;
  /** After a failed query, requests use the fallback without asking again for this long (default 30 s). */
  failureBackoffMs: number;
  /** Send a nonce (RFC 6960 §4.4.1; default true). An echoed nonce must match; an absent one is accepted. */
  nonce: boolean;
  /** Tolerated clock difference with the responder (default 5 minutes). */
  maxSkewMs: number;
  /** At most this many certificates are cached (least recently used evicted, default 10,000). */
  maxEntries: number;
}

interface Entry {
  status?: { kind: 'good' } | { kind: 'revoked'; detail: string };
  /** Reused without asking until then. */
  cachedUntil: number;
  /** The signed answer itself is valid until then (its nextUpdate): the fallback when the responder is down. */
  validUntil: number;
  failedAt?: number;
  lastError?: string;
  lastUsed: number;
  inflight?: Promise<void>;
}

/**
 * OCSP status per (issuer, serial), cached briefly. Every response is verified by pki
 * verifyOcspResponse (signer = the issuing CA or its delegated responder, RFC 6960 §4.2.2.2;
 * CertID; thisUpdate/nextUpdate; nonce) before it means anything: the transport is plain http.
 * A responder that is down falls back to the last verified answer while it is within its
 * nextUpdate; otherwise the status is 'unavailable' and the trust anchor's policy decides.
 * 'unknown' (the responder does not know the certificate) is 'unavailable', not 'good'.
 */
export class OcspStatusCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly fetcher: RevocationFetcher, private readonly random: Random, private readonly opts: OcspOptions) {}

  get size(): number {
    return this.entries.size;
  }

  async status(cert: ParsedCertificate, issuer: ParsedCertificate, url: string, now: Date): Promise<MethodOutcome> {
    const t = now.getTime();
    const key = `${issuer.fingerprint256}:${cert.serialHex}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { cachedUntil: 0, validUntil: 0, lastUsed: t };
      this.entries.set(key, entry);
      this.evictOverflow();
    }
    entry.lastUsed = t;
    const fresh = entry.status !== undefined && t < entry.cachedUntil;
    const backingOff = entry.failedAt !== undefined && t - entry.failedAt < this.opts.failureBackoffMs;
    if (!fresh && !backingOff) {
      const e = entry;
      e.inflight ??= this.query(e, cert, issuer, url, now).finally(() => {
        e.inflight = undefined;
      });
      await e.inflight;
    }
    if (entry.status && t <= entry.validUntil) return entry.status;
    return { kind: 'unavailable', detail: `ocsp ${url}: ${entry.lastError ?? 'no valid response'}` };
  }

  private async query(entry: Entry, cert: ParsedCertificate, issuer: ParsedCertificate, url: string, now: Date): Promise<void> {
    const t = now.getTime();
    const failed = (why: string) => {
      entry.failedAt = t;
      entry.lastError = why;
    };
    const req = buildOcspRequest(issuer, cert.serialHex, { nonce: this.opts.nonce ? this.random.bytes(32) : false });
    const got = await this.fetcher.postOcsp(url, req.der);
    if (!got.ok) return failed(`${got.reason}: ${got.detail}`);
    const v = checkOcspResponse(got.body, {
      issuer, serialHex: cert.serialHex, now, maxSkewMs: this.opts.maxSkewMs, ...(req.nonce ? { nonce: req.nonce } : {}),
    });
    if (!v.ok) return failed(`response rejected: ${v.reason}: ${v.detail}`);
    if (v.status === 'unknown') return failed(`responder does not know serial ${cert.serialHex} of "${formatName(issuer.subject)}"`);
    const next = v.nextUpdate?.getTime();
    if (v.status === 'good') {
      entry.status = { kind: 'good' };
      entry.cachedUntil = Math.min(next ?? Infinity, t + this.opts.goodTtlMs);
      // A response accepted within the clock skew stays usable for that skew too.
      entry.validUntil = (next ?? entry.cachedUntil) + this.opts.maxSkewMs;
    } else {
      const when = v.revocationTime ? ` at ${v.revocationTime.toISOString()}` : '';
      entry.status = { kind: 'revoked', detail: `OCSP responder ${url} reports serial ${cert.serialHex} of "${formatName(issuer.subject)}" revoked${when}` };
      entry.cachedUntil = next ?? t + this.opts.revokedTtlMs;
      entry.validUntil = entry.cachedUntil + this.opts.maxSkewMs;
    }
    entry.failedAt = undefined;
    entry.lastError = undefined;
  }

  private evictOverflow(): void {
    if (this.entries.size <= this.opts.maxEntries) return;
    // Map iteration is insertion order: drop the oldest tenth in one pass (amortised O(1)).
    const drop = Math.max(1, Math.floor(this.opts.maxEntries / 10));
    let n = 0;
    for (const k of this.entries.keys()) {
      if (n++ >= drop) break;
      this.entries.delete(k);
    }
  }
}
