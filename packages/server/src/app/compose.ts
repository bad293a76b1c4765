import type { FastifyInstance } from 'fastify';
import { Authenticator } from '../core/auth/authenticate.js';
import { Authorizer } from '../core/auth/authorizer.js';
import type { AccessKeyRecord } from '../core/iam/access-key-store.js';
import { ensureBootstrapAdmin } from '../core/iam/bootstrap-admin.js';
import { ManagedPolicyService } from '../core/iam/managed-policy-service.js';
import { RoleService } from '../core/iam/role-service.js';
import { systemClock, type Clock } from '../core/ports/clock.js';
import { systemRandom, type Random } from '../core/ports/random.js';
import type { ServiceConfig } from '../core/ports/service-config.js';
import { DEFAULT_LIMITS } from '../core/roles-anywhere/limits.js';
import { CrlService } from '../core/roles-anywhere/crl-service.js';
import { ProfileService } from '../core/roles-anywhere/profile-service.js';
import { SubjectService } from '../core/roles-anywhere/subject-service.js';
import { TagService } from '../core/roles-anywhere/tag-service.js';
import { TrustAnchorService } from '../core/roles-anywhere/trust-anchor-service.js';
import { CreateSessionService } from '../core/session/create-session-service.js';
import type { StaleCrlPolicy } from '../core/session/revocation-checker.js';
import type { SessionIssuer } from '../core/session/session-issuer.js';
import { LocalSessionIssuer } from '../core/sts/local-session-issuer.js';
import { SessionTokenCodec } from '../core/sts/session-token.js';
import { openSqliteDatabase, type SqliteDatabase } from '../store/sqlite/database.js';
import type { GroupCommitAuditSink } from '../store/sqlite/group-commit-audit-sink.js';
import { openAuditTrail } from '../store/sqlite/open-audit-trail.js';
import { SqliteAccessKeyStore } from '../store/sqlite/sqlite-access-key-store.js';
import type { SqliteAuditStore } from '../store/sqlite/sqlite-audit-store.js';
import { SqliteManagedPolicyStore } from '../store/sqlite/sqlite-managed-policy-store.js';
import { SqliteRoleStore } from '../store/sqlite/sqlite-role-store.js';
import {
  SqliteCrlStore,
  SqliteProfileStore,
  SqliteSubjectStore,
  SqliteTrustAnchorStore,
} from '../store/sqlite/sqlite-roles-anywhere-stores.js';
import { buildServer } from '../transport/build-server.js';
import { dataDirPaths, ensureDataDir, ensureTls, ensureTokenKeys, writeAdminCredentials } from './data-dir.js';
import type { ServerOptions } from './server-options.js';

export interface ComposedServer {
  app: FastifyInstance;
  db: SqliteDatabase;
  admin: AccessKeyRecord;
  config: ServiceConfig;
  /** The queryable, hash-chained audit trail. */
  audit: SqliteAuditStore;
  /** Where services write audit records (group commit: durable before record() resolves). */
  auditSink: GroupCommitAuditSink;
  paths: ReturnType<typeof dataDirPaths>;
  caPem: string;
}

/**
 * The composition root: the only place that knows every concrete adapter. Stores are
 * built here and handed to the services; the transport never sees a store.
 */
export interface ComposeOverrides {
  clock?: Clock;
  random?: Random;
  staleCrlPolicy?: StaleCrlPolicy;
  /** Replaces Mooring's own IAM/STS issuance (broker mode, tests). */
  issuer?: SessionIssuer;
}

export async function composeServer(opts: ServerOptions, env: ComposeOverrides = {}): Promise<ComposedServer> {
  const clock = env.clock ?? systemClock;
  const random = env.random ?? systemRandom;
  const config: ServiceConfig = Object.freeze({ partition: opts.partition, region: opts.region, accountId: opts.accountId });
  ensureDataDir(opts.dataDir);
  const paths = dataDirPaths(opts.dataDir);
  const tls = ensureTls(opts.dataDir, clock.now(), opts.tlsNames);
  const keySet = ensureTokenKeys(opts.dataDir, random);
  const db = openSqliteDatabase(paths.database);

  const accessKeys = new SqliteAccessKeyStore(db);
  const admin = await ensureBootstrapAdmin(accessKeys, random, config, 'mooring-admin', clock);
  writeAdminCredentials(opts.dataDir, admin);

  const codec = new SessionTokenCodec({ keys: keySet.keys, currentKid: keySet.current, random });
  const roleStore = new SqliteRoleStore(db);
  const trustAnchorStore = new SqliteTrustAnchorStore(db);
  const profileStore = new SqliteProfileStore(db);
  const subjects = new SqliteSubjectStore(db);
  const crlStore = new SqliteCrlStore(db);
  const policyStore = new SqliteManagedPolicyStore(db);
  const authorizer = new Authorizer({ roles: roleStore, policies: policyStore, config, clock });
  // Chains rows left by older versions and brings <data-dir>/audit/audit.jsonl up to date.
  const auditTrail = openAuditTrail(db, opts.dataDir);
  const audit = auditTrail.sink;
  const limits = DEFAULT_LIMITS;
  const trustAnchors = new TrustAnchorService({ store: trustAnchorStore, clock, random, config, limits });
  const profiles = new ProfileService({ store: profileStore, clock, random, config, limits });
  const crls = new CrlService({ store: crlStore, trustAnchors: trustAnchorStore, clock, random, config, limits });

  const app = buildServer(
    {
      config,
      random,
      trustAnchors,
      profiles,
      crls,
      subjects: new SubjectService({ store: subjects, limits }),
      tags: new TagService({ config, limits, trustAnchors, profiles, crls, subjects }),
      roles: new RoleService({ store: roleStore, clock, random, config }),
      policies: new ManagedPolicyService({ store: policyStore, roles: roleStore, clock, random, config }),
      authorizer,
      authenticator: new Authenticator({ accessKeys, codec, clock, config }),
      sessions: new CreateSessionService({
        trustAnchors: trustAnchorStore,
        profiles: profileStore,
        subjects,
        crls: crlStore,
        subjectHistory: limits.subjectHistory,
        staleCrlPolicy: env.staleCrlPolicy ?? opts.staleCrlPolicy,
        issuer: env.issuer ?? new LocalSessionIssuer({ roles: roleStore, codec, random, config }),
        audit,
        clock,
        random,
        config,
      }),
    },
    {
      https: { key: tls.keyPem, cert: tls.certPem },
      logger: opts.logLevel === 'silent' ? false : { level: opts.logLevel },
    },
  );
  app.addHook('onClose', async () => {
    await auditTrail.sink.close();
    db.close();
  });
  return { app, db, admin, config, audit: auditTrail.store, auditSink: auditTrail.sink, paths, caPem: tls.caPem };
}
