import type { Authenticator } from '../../core/auth/authenticate.js';
import type { Authorizer } from '../../core/auth/authorizer.js';
import type { AuditQuery, AuditQueryPage } from '../../core/audit/audit-store.js';
import type { ConsoleSessionStore } from '../../core/console/console-session-store.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Random } from '../../core/ports/random.js';
import type { ServiceConfig } from '../../core/ports/service-config.js';
import type { CrlService } from '../../core/roles-anywhere/crl-service.js';
import type { ProfileService } from '../../core/roles-anywhere/profile-service.js';
import type { SubjectService } from '../../core/roles-anywhere/subject-service.js';
import type { TagService } from '../../core/roles-anywhere/tag-service.js';
import type { TrustAnchorService } from '../../core/roles-anywhere/trust-anchor-service.js';

/** The read side of the audit trail the console needs (`SqliteAuditStore` satisfies it). */
export interface AuditReader {
  query(q: AuditQuery): Promise<AuditQueryPage | 'bad-token'>;
}

/**
 * What the console needs: a subset of `ServerDeps` plus the audit trail and a clock. Sign-in goes
 * through the same `Authenticator` as the API and every page through the same `Authorizer`.
 */
export interface ConsoleDeps {
  config: ServiceConfig;
  random: Random;
  clock: Clock;
  authenticator: Authenticator;
  authorizer: Authorizer;
  trustAnchors: TrustAnchorService;
  profiles: ProfileService;
  subjects: SubjectService;
  crls: CrlService;
  /** Resource tags for `aws:ResourceTag/<key>` in the console's authorisation, as in the API's. */
  tags: TagService;
  audit: AuditReader;
  /** Where sessions live: the database (`Stores.consoleSessions`), so every replica serves them. */
  sessionStore: ConsoleSessionStore;
}

export interface ConsoleOptions {
  /** Absolute cap on a console session (the brief's "max 12 h"); default 12 h. */
  maxSessionMs?: number;
  /** A session unused for this long is ended; default 1 h. */
  idleTimeoutMs?: number;
  /** Sessions kept at most, across all replicas (oldest evicted first); default 10,000. */
  maxSessions?: number;
  /** Sessions per principal (default 20); a new sign-in beyond it ends that principal's oldest. */
  maxSessionsPerPrincipal?: number;
  /** Subjects scanned at most for a search or the expiry timeline; default 20,000. */
  maxScan?: number;
}
