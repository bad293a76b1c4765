import { join } from 'node:path';
import type { AuditSink } from '../core/audit/audit-event.js';
import type { AuditChainReader, AuditQuery, AuditQueryPage } from '../core/audit/audit-store.js';
import type { ConsoleSessionStore } from '../core/console/console-session-store.js';
import type { AccessKeyStore } from '../core/iam/access-key-store.js';
import type { ManagedPolicyStore } from '../core/iam/managed-policy-store.js';
import type { RoleStore } from '../core/iam/role-store.js';
import type { NotificationStateStore } from '../core/notifications/notification-state-store.js';
import type { CrlStore, ProfileStore, SubjectStore, TrustAnchorStore } from '../core/roles-anywhere/stores.js';
import { GroupCommitAuditSink } from '../store/shared/group-commit-audit-sink.js';
import { InProcessChangeFeed, type Change, type ChangeFeed } from '../store/postgres/change-feed.js';
import { PgAccessKeyStore } from '../store/postgres/pg-access-key-store.js';
import { PgConsoleSessionStore } from '../store/postgres/pg-console-session-store.js';
import { PgAuditStore } from '../store/postgres/pg-audit-store.js';
import { PgChangeFeed } from '../store/postgres/pg-change-feed.js';
import { openPgDatabase, type PgDatabase } from '../store/postgres/pg-database.js';
import { PgManagedPolicyStore } from '../store/postgres/pg-managed-policy-store.js';
import { PgNotificationStateStore } from '../store/postgres/pg-notification-state-store.js';
import { PgRoleStore } from '../store/postgres/pg-role-store.js';
import { PgCrlStore, PgProfileStore, PgTrustAnchorStore } from '../store/postgres/pg-roles-anywhere-stores.js';
import { PgSubjectStore } from '../store/postgres/pg-subject-store.js';
import { openSqliteDatabase, type SqliteDatabase } from '../store/sqlite/database.js';
import { openAuditTrail, type AuditTrail } from '../store/sqlite/open-audit-trail.js';
import { WalCheckpointer } from '../store/sqlite/wal-checkpointer.js';
import { SqliteAccessKeyStore } from '../store/sqlite/sqlite-access-key-store.js';
import { SqliteConsoleSessionStore } from '../store/sqlite/sqlite-console-session-store.js';
import { SqliteManagedPolicyStore } from '../store/sqlite/sqlite-managed-policy-store.js';
import { SqliteNotificationStateStore } from '../store/sqlite/sqlite-notification-state-store.js';
import { SqliteRoleStore } from '../store/sqlite/sqlite-role-store.js';
import { SqliteCrlStore, SqliteProfileStore, SqliteTrustAnchorStore } from '../store/sqlite/sqlite-roles-anywhere-stores.js';
import { SqliteSubjectStore } from '../store/sqlite/sqlite-subject-store.js';

export type StoreOptions =
  /** Embedded: `<dataDir>/mooring.db` (or `file`) plus the JSON-lines audit copy in `<dataDir>/audit/`. */
  | { kind: 'sqlite'; dataDir: string; file?: string }
  /** Shared by replicas. `schema` defaults to `public`; `poolSize` to 10. */
  | { kind: 'postgres'; databaseUrl: string; schema?: string; poolSize?: number };

/** The audit trail as the rest of the server reads it (queries, `verifyAuditChain`). */
export interface AuditReader extends AuditChainReader {
  query(q: AuditQuery): Promise<AuditQueryPage | 'bad-token'>;
}

/** Every store port, the audit sink and the change feed of one backend. */
export interface Stores {
  kind: 'sqlite' | 'postgres';
  accessKeys: AccessKeyStore;
  roles: RoleStore;
  trustAnchors: TrustAnchorStore;
  profiles: ProfileStore;
  subjects: SubjectStore;
  crls: CrlStore;
  policies: ManagedPolicyStore;
  /** When each expiry notification was last sent (service-spec §9). */
  notificationState: NotificationStateStore;
  /** Web console sessions: in the database, so any replica serves a signed-in browser. */
  consoleSessions: ConsoleSessionStore;
  audit: AuditReader;
  /** Group commit: `record()` resolves after the durable commit. */
  auditSink: AuditSink & { flush(): Promise<void>; close(): Promise<void> };
  /** Committed writes of trust anchors, profiles, CRLs, roles and policies (every replica's, on PostgreSQL). */
  changes: ChangeFeed;
  /** Flushes the audit sink, stops the feed and closes the database. */
  close(): Promise<void>;
  /** The SQLite specifics compose.ts exposes today (absent on PostgreSQL). */
  sqlite?: { db: SqliteDatabase; auditTrail: AuditTrail };
  postgres?: { db: PgDatabase };
}

/**
 * Builds the stores for `--data-dir` alone (SQLite) or `--database-url` (PostgreSQL): the one
 * place that knows both adapter families. compose.ts calls it and hands the ports to the
 * services. On PostgreSQL the JSON-lines audit copy is not written: a replica sees only its own
 * records, so a per-replica file would have gaps; the shared chained table is the trail
 * (docs/scaling.md).
 */
export async function createStores(opts: StoreOptions): Promise<Stores> {
  return opts.kind === 'sqlite' ? createSqliteStores(opts) : createPgStores(opts);
}

function createSqliteStores(opts: { dataDir: string; file?: string }): Stores {
  const db = openSqliteDatabase(opts.file ?? join(opts.dataDir, 'mooring.db'));
  const subjects = new SqliteSubjectStore(db);
  const auditTrail = openAuditTrail(db, opts.dataDir, { subjects });
  // Checkpoints off the event loop (wal-checkpointer.ts); a file database is in WAL mode.
  const checkpointer = db.memory
    ? undefined
    : WalCheckpointer.start(db, { onError: (err) => process.emitWarning(`WAL checkpoint worker stopped (the database checkpoints by itself): ${err.message}`) });
  const feed = new InProcessChangeFeed();
  const roles = publishing(new SqliteRoleStore(db) as RoleStore, feed, {
    createRole: ([role], r) => (r === 'created' ? { kind: 'role', id: (role as { roleName: string }).roleName } : undefined),
    updateRole: ([name], r) => (r ? { kind: 'role', id: String(name) } : undefined),
    deleteRole: ([name], r) => (r === 'deleted' ? { kind: 'role', id: String(name) } : undefined),
    tagRole: ([name], r) => (r === 'ok' ? { kind: 'role', id: String(name) } : undefined),
    untagRole: ([name], r) => (r === 'ok' ? { kind: 'role', id: String(name) } : undefined),
    putRolePolicy: ([name], r) => (r === 'ok' ? { kind: 'role', id: String(name) } : undefined),
    deleteRolePolicy: ([name], r) => (r === 'deleted' ? { kind: 'role', id: String(name) } : undefined),
  });
  const policies = publishing(new SqliteManagedPolicyStore(db) as ManagedPolicyStore, feed, {
    createPolicy: ([p], r) => (r === 'created' ? { kind: 'policy', id: (p as { arn: string }).arn } : undefined),
    deletePolicy: ([arn], r) => (r === 'deleted' ? { kind: 'policy', id: String(arn) } : undefined),
    attachRolePolicy: ([name], r) => (r === 'ok' ? { kind: 'role', id: String(name) } : undefined),
    detachRolePolicy: ([name], r) => (r === 'detached' ? { kind: 'role', id: String(name) } : undefined),
  });
  return {
    kind: 'sqlite',
    accessKeys: new SqliteAccessKeyStore(db),
    roles,
    trustAnchors: publishing(new SqliteTrustAnchorStore(db) as TrustAnchorStore, feed, docEvents('trust-anchor', 'trustAnchorId', 'TrustAnchor')),
    profiles: publishing(new SqliteProfileStore(db) as ProfileStore, feed, docEvents('profile', 'profileId', 'Profile')),
    subjects,
    crls: publishing(new SqliteCrlStore(db) as CrlStore, feed, docEvents('crl', 'crlId', 'Crl')),
    policies,
    notificationState: new SqliteNotificationStateStore(db),
    consoleSessions: new SqliteConsoleSessionStore(db),
    audit: auditTrail.store,
    auditSink: auditTrail.sink,
    changes: feed,
    sqlite: { db, auditTrail },
    async close() {
      await auditTrail.sink.close();
      await checkpointer?.close();
      db.close();
    },
  };
}

async function createPgStores(opts: { databaseUrl: string; schema?: string; poolSize?: number }): Promise<Stores> {
  const db = await openPgDatabase({ connectionString: opts.databaseUrl, ...(opts.schema ? { schema: opts.schema } : {}), ...(opts.poolSize ? { max: opts.poolSize } : {}) });
  let feed: PgChangeFeed;
  try {
    feed = await PgChangeFeed.start({ connectionString: opts.databaseUrl, schema: db.schema });
  } catch (err) {
    await db.close();
    throw err;
  }
  const subjects = new PgSubjectStore(db);
  const audit = new PgAuditStore(db, subjects);
  const auditSink = new GroupCommitAuditSink({ commit: (events, attempts) => audit.appendBatch(events, attempts) });
  return {
    kind: 'postgres',
    accessKeys: new PgAccessKeyStore(db),
    roles: new PgRoleStore(db),
    trustAnchors: new PgTrustAnchorStore(db),
    profiles: new PgProfileStore(db),
    subjects,
    crls: new PgCrlStore(db),
    policies: new PgManagedPolicyStore(db),
    notificationState: new PgNotificationStateStore(db),
    consoleSessions: new PgConsoleSessionStore(db),
    audit,
    auditSink,
    changes: feed,
    postgres: { db },
    async close() {
      await auditSink.close();
      await feed.close();
      await db.close();
    },
  };
}

type EventRule = (args: unknown[], result: unknown) => Change | undefined;

/** insert/save/delete of a document store: insertX(doc), saveX(doc) → doc | undefined, deleteX(id) → doc | undefined. */
function docEvents(kind: Change['kind'], idField: string, noun: string): Record<string, EventRule> {
  const idOf = (v: unknown) => String((v as Record<string, unknown>)[idField]);
  return {
    [`insert${noun}`]: ([v]) => ({ kind, id: idOf(v) }),
    [`save${noun}`]: ([v], r) => (r ? { kind, id: idOf(v) } : undefined),
    [`delete${noun}`]: ([id], r) => (r ? { kind, id: String(id) } : undefined),
  };
}

/**
 * The in-process change feed for SQLite: wraps a store so the named write methods publish a
 * change after they resolve. Reads pass straight through.
 */
function publishing<T extends object>(store: T, feed: InProcessChangeFeed, rules: Record<string, EventRule>): T {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const rule = typeof prop === 'string' ? rules[prop] : undefined;
      const fn = value as (...a: unknown[]) => unknown;
      if (!rule) return fn.bind(target);
      return async (...args: unknown[]) => {
        const result = await fn.apply(target, args);
        const change = rule(args, result);
        if (change) feed.publish(change);
        return result;
      };
    },
  });
}
