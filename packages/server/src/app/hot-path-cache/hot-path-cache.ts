import type { RoleFacts, SessionIssuer } from '../../core/session/session-issuer.js';
import type { CrlVersion } from '../../core/roles-anywhere/crl.js';
import type { Profile } from '../../core/roles-anywhere/profile.js';
import type { CrlStore, ProfileStore, TrustAnchorStore } from '../../core/roles-anywhere/stores.js';
import type { TrustAnchor } from '../../core/roles-anywhere/trust-anchor.js';
import type { Change } from '../../store/postgres/change-feed.js';
import type { Stores } from '../store-factory.js';
import { ReadCache, type ReadCacheOptions } from './read-cache.js';
import { observeWrites, withCachedReads, type CachedRead } from './store-proxies.js';

export interface HotPathCacheOptions {
  /** Default 500 ms: with the change feed as the fast path, the TTL alone keeps the 1 s bound. */
  ttlMs?: number;
  /** Per kind; default 10,000. */
  maxEntries?: number;
  /** Monotonic milliseconds; default performance.now (wall-clock jumps must not extend an entry). */
  now?: () => number;
}

export const HOT_PATH_DEFAULTS = { ttlMs: 500, maxEntries: 10_000 } as const;

/** Reads of the wrapped stores that never invalidate; any other method counts as a write. */
export const STORE_READS = {
  trustAnchors: new Set(['getTrustAnchor', 'listTrustAnchors', 'countTrustAnchors']),
  profiles: new Set(['getProfile', 'listProfiles', 'countProfiles']),
  crls: new Set(['getCrl', 'listCrls', 'countCrlsForTrustAnchor', 'enabledCrlVersions']),
  roles: new Set(['getRole', 'listRoles', 'getRolePolicy', 'listRolePolicies']),
  policies: new Set(['getPolicy', 'listPolicies', 'listPolicyVersions', 'listAttachedRolePolicies', 'attachmentCounts']),
} as const;

/** What CreateSession reads through the cache. */
export interface SessionReads {
  trustAnchors: TrustAnchorStore;
  profiles: ProfileStore;
  crls: CrlStore;
}

/** The role name of a role ARN (the last path segment), lower-cased: IAM role names are case-insensitive. */
export function roleNameOfArn(roleArn: string): string {
  const resource = roleArn.split(':').slice(5).join(':');
  return (resource.split('/').pop() ?? '').toLowerCase();
}

/**
 * Read-through caches for the four configuration reads of every CreateSession (trust anchor,
 * profile, enabled CRL versions, role), issue [scale] item 2. Only CreateSession reads through
 * them; the control plane keeps reading the database, so Get/List answers are always fresh.
 *
 * A change must reach every replica's CreateSession within one second. Three mechanisms:
 * 1. each entry expires `ttlMs` (500 ms) after its read began: the bound on its own;
 * 2. the change feed (every replica's committed writes) drops the affected entries early;
 * 3. writes made through this process drop them when the write returns, before the feed's own
 *    notification arrives (PostgreSQL delivers it a few ms later): read-your-writes locally.
 */
export class HotPathCache {
  readonly trustAnchors: ReadCache<TrustAnchor>;
  readonly profiles: ReadCache<Profile>;
  /** Keyed by trust-anchor id. */
  readonly crlVersions: ReadCache<CrlVersion[]>;
  /** Keyed by role ARN. */
  readonly roles: ReadCache<RoleFacts>;

  private readonly unsubscribe: () => void;

  constructor(changes: Stores['changes'], opts: HotPathCacheOptions = {}) {
    const o: ReadCacheOptions = {
      ttlMs: opts.ttlMs ?? HOT_PATH_DEFAULTS.ttlMs,
      maxEntries: opts.maxEntries ?? HOT_PATH_DEFAULTS.maxEntries,
      now: opts.now ?? (() => performance.now()),
    };
    this.trustAnchors = new ReadCache(o);
    this.profiles = new ReadCache(o);
    this.crlVersions = new ReadCache(o);
    this.roles = new ReadCache(o);
    this.unsubscribe = changes.subscribe((c) => this.onChange(c));
  }

  /** A change committed by any replica (the feed). */
  onChange(change: Change): void {
    switch (change.kind) {
      case 'trust-anchor':
        this.trustAnchors.delete(change.id);
        // Deleting an anchor cascades to its CRLs but announces only the anchor (docs/scaling.md).
        this.crlVersions.delete(change.id);
        return;
      case 'profile':
        this.profiles.delete(change.id);
        return;
      case 'crl':
        // The feed names the CRL, the cache is keyed by its anchor: drop every anchor's list.
        this.crlVersions.clear();
        return;
      case 'role': {
        const name = change.id.toLowerCase();
        this.roles.deleteWhere((arn) => roleNameOfArn(arn) === name);
        return;
      }
      case 'policy':
        this.roles.clear();
        return;
      case 'resync': // the feed reconnected and may have missed changes
      default:
        this.clearAll();
    }
  }

  clearAll(): void {
    this.trustAnchors.clear();
    this.profiles.clear();
    this.crlVersions.clear();
    this.roles.clear();
  }

  /**
   * The same stores, but every write through them drops the matching caches when it returns.
   * Everything in this process that writes (control plane, console, tags) must get these.
   * `close()` also stops listening to the feed.
   */
  observe(stores: Stores): Stores {
    const roleWrite = () => this.roles.clear();
    return {
      ...stores,
      trustAnchors: observeWrites(stores.trustAnchors, STORE_READS.trustAnchors, () => {
        this.trustAnchors.clear();
        this.crlVersions.clear();
      }),
      profiles: observeWrites(stores.profiles, STORE_READS.profiles, () => this.profiles.clear()),
      crls: observeWrites(stores.crls, STORE_READS.crls, () => this.crlVersions.clear()),
      roles: observeWrites(stores.roles, STORE_READS.roles, roleWrite),
      // Attached policies belong to the role (a 'policy' change drops every role entry).
      policies: observeWrites(stores.policies, STORE_READS.policies, roleWrite),
      close: async () => {
        this.unsubscribe();
        await stores.close();
      },
    };
  }

  /** CreateSession's cached views of (observed) stores; other methods pass straight through. */
  sessionReads(stores: SessionReads): SessionReads {
    return {
      trustAnchors: withCachedReads(stores.trustAnchors, { getTrustAnchor: read(this.trustAnchors) }),
      profiles: withCachedReads(stores.profiles, { getProfile: read(this.profiles) }),
      crls: withCachedReads(stores.crls, { enabledCrlVersions: read(this.crlVersions) }),
    };
  }

  /** The issuer with `findRole` cached by role ARN; `issue` unchanged. */
  issuer(issuer: SessionIssuer): SessionIssuer {
    return {
      findRole: (roleArn) => this.roles.get(roleArn, () => issuer.findRole(roleArn)),
      issue: (request) => issuer.issue(request),
    };
  }
}

function read<V>(cache: ReadCache<V>): CachedRead {
  return (key, load) => cache.get(key, load as () => Promise<V | undefined>);
}
