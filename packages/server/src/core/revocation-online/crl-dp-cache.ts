import { formatName, isRevoked, parseCrl, verifyCrlIssuer, MAX_CRL_BYTES } from '@mooring/pki';
import type { ParsedCertificate, ParsedCrl } from '@mooring/pki';
import type { RevocationFetcher } from './revocation-fetcher.js';
import type { MethodOutcome } from './method-outcome.js';

export interface CrlDpOptions {
  /** Refetch at least this often even when nextUpdate is far away (default 1 hour). */
  maxAgeMs: number;
  /** After a failed fetch, requests use the fallback without refetching for this long (default 30 s). */
  failureBackoffMs: number;
  /** Background refresh starts this long before a CRL is due (default 5 minutes). */
  refreshAheadMs: number;
  /** URLs not used for this long are dropped instead of refreshed (default 24 hours). */
  idleEvictMs: number;
  /** At most this many URLs are cached (least recently used evicted, default 1,000). */
  maxEntries: number;
}

interface Entry {
  url: string;
  crl?: ParsedCrl;
  fetchedAt: number;
  /** Fingerprints of the CA certificates this CRL verified against (verifyCrlIssuer). */
  verifiedFor: Set<string>;
  /** The issuers that asked for this URL: background refresh verifies against them. */
  issuers: Map<string, ParsedCertificate>;
  failedAt?: number;
  lastError?: string;
  lastUsed: number;
  inflight?: Promise<void>;
}

/**
 * CRLs fetched from distribution points, cached by URL. A CRL is used for a certificate only
 * after verifyCrlIssuer accepted it against that certificate's issuer (RFC 5280 §6.3.3 (f)(g)):
 * the URL is plain http, so its bytes prove nothing until the signature does. A fetched CRL older
 * than the cached one (thisUpdate going back) is refused, so a replayed CRL cannot un-revoke.
 *
 * Freshness: a cached CRL is used without a fetch until min(nextUpdate, fetchedAt + maxAge).
 * After that the request refetches; if that fails, the last good CRL is still used while it is
 * within its nextUpdate (RFC 5280 §5.1.2.5: it is the current list until then). Past nextUpdate
 * (or without any good CRL) the status is 'unavailable' and the trust anchor's policy decides.
 */
export class CrlDpCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly fetcher: RevocationFetcher, private readonly opts: CrlDpOptions) {}

  get size(): number {
    return this.entries.size;
  }

  async status(cert: ParsedCertificate, issuer: ParsedCertificate, url: string, now: Date): Promise<MethodOutcome> {
    const t = now.getTime();
    let entry = this.entries.get(url);
    if (!entry) {
      entry = { url, fetchedAt: 0, verifiedFor: new Set(), issuers: new Map(), lastUsed: t };
      this.entries.set(url, entry);
      this.evictOverflow();
    }
    entry.lastUsed = t;
    entry.issuers.set(issuer.fingerprint256, issuer);
    const due = !entry.crl || t >= this.refetchAt(entry);
    const backingOff = entry.failedAt !== undefined && t - entry.failedAt < this.opts.failureBackoffMs;
    if (due && !backingOff) await this.refetch(entry, t, [issuer]);
    return this.decide(entry, cert, issuer, t);
  }

  /** Background refresh (no request waits on it): refetches CRLs that are due soon, drops idle URLs. */
  async refresh(now: Date): Promise<void> {
    const t = now.getTime();
    const work: Promise<void>[] = [];
    for (const entry of this.entries.values()) {
      if (t - entry.lastUsed > this.opts.idleEvictMs) {
        this.entries.delete(entry.url);
        continue;
      }
      if (entry.crl && t < this.refetchAt(entry) - this.opts.refreshAheadMs) continue;
      if (entry.failedAt !== undefined && t - entry.failedAt < this.opts.failureBackoffMs) continue;
      work.push(this.refetch(entry, t, [...entry.issuers.values()]));
    }
    await Promise.all(work);
  }

  private refetchAt(e: Entry): number {
    const byAge = e.fetchedAt + this.opts.maxAgeMs;
    const next = e.crl?.nextUpdate?.getTime();
    return next === undefined ? byAge : Math.min(byAge, next);
  }

  /** Until when the last good CRL may still be used (its nextUpdate; without one, maxAge after the fetch). */
  private usableUntil(e: Entry): number {
    return e.crl?.nextUpdate?.getTime() ?? e.fetchedAt + this.opts.maxAgeMs;
  }

  private refetch(entry: Entry, t: number, issuers: ParsedCertificate[]): Promise<void> {
    // Concurrent requests for one URL share one download (no thundering herd on the CDP).
    entry.inflight ??= this.download(entry, t, issuers).finally(() => {
      entry.inflight = undefined;
    });
    return entry.inflight;
  }

  private async download(entry: Entry, t: number, issuers: ParsedCertificate[]): Promise<void> {
    const failed = (why: string) => {
      entry.failedAt = t;
      entry.lastError = why;
    };
    const got = await this.fetcher.fetchCrl(entry.url);
    if (!got.ok) return failed(`${got.reason}: ${got.detail}`);
    const parsed = parseCrl(got.body, { maxBytes: MAX_CRL_BYTES });
    if (!parsed.ok) return failed(`CRL ${parsed.reason}: ${parsed.detail}`);
    const crl = parsed.value;
    const verifiedFor = new Set<string>();
    let lastProblem = 'no issuer to verify against';
    for (const issuer of issuers) {
      const v = verifyCrlIssuer(crl, [issuer]);
      if (v.ok) verifiedFor.add(issuer.fingerprint256);
      else lastProblem = `${v.reason}: ${v.detail}`;
    }
    if (verifiedFor.size === 0) return failed(`CRL rejected: ${lastProblem}`);
    if (entry.crl && crl.thisUpdate.getTime() < entry.crl.thisUpdate.getTime()) {
      return failed(`CRL thisUpdate ${crl.thisUpdate.toISOString()} is older than the cached ${entry.crl.thisUpdate.toISOString()}`);
    }
    entry.crl = crl;
    entry.fetchedAt = t;
    entry.verifiedFor = verifiedFor;
    entry.failedAt = undefined;
    entry.lastError = undefined;
  }

  private decide(entry: Entry, cert: ParsedCertificate, issuer: ParsedCertificate, t: number): MethodOutcome {
    const crl = entry.crl;
    const why = entry.lastError ? ` (${entry.lastError})` : '';
    if (!crl) return { kind: 'unavailable', detail: `crl-dp ${entry.url}: no CRL${why}` };
    if (t > this.usableUntil(entry)) return { kind: 'unavailable', detail: `crl-dp ${entry.url}: last good CRL is past its nextUpdate${why}` };
    if (!entry.verifiedFor.has(issuer.fingerprint256)) {
      // Cached for another issuer that shares the URL: verify for this one before use.
      const v = verifyCrlIssuer(crl, [issuer]);
      if (!v.ok) return { kind: 'unavailable', detail: `crl-dp ${entry.url}: CRL not issued by "${formatName(issuer.subject)}" (${v.reason})` };
      entry.verifiedFor.add(issuer.fingerprint256);
    }
    if (isRevoked(crl, cert)) return { kind: 'revoked', detail: `serial ${cert.serialHex} of "${formatName(cert.issuer)}" is listed in the CRL at ${entry.url}` };
    return { kind: 'good' };
  }

  private evictOverflow(): void {
    while (this.entries.size > this.opts.maxEntries) {
      let oldest: Entry | undefined;
      for (const e of this.entries.values()) if (!oldest || e.lastUsed < oldest.lastUsed) oldest = e;
      if (!oldest) return;
      this.entries.delete(oldest.url);
    }
  }
}
