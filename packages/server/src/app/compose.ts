import type { FastifyInstance } from 'fastify';
import { Authenticator } from '../core/auth/authenticate.js';
import type { AccessKeyRecord } from '../core/iam/access-key-store.js';
import { ensureBootstrapAdmin } from '../core/iam/bootstrap-admin.js';
import { RoleService } from '../core/iam/role-service.js';
import { systemClock, type Clock } from '../core/ports/clock.js';
import { systemRandom, type Random } from '../core/ports/random.js';
import type { ServiceConfig } from '../core/ports/service-config.js';
import { DEFAULT_LIMITS } from '../core/roles-anywhere/limits.js';
import { ProfileService } from '../core/roles-anywhere/profile-service.js';
import { TrustAnchorService } from '../core/roles-anywhere/trust-anchor-service.js';
import { CreateSessionService } from '../core/session/create-session-service.js';
import { SessionTokenCodec } from '../core/sts/session-token.js';
import { openSqliteDatabase, type SqliteDatabase } from '../store/sqlite/database.js';
import { SqliteAccessKeyStore } from '../store/sqlite/sqlite-access-key-store.js';
import { SqliteRoleStore } from '../store/sqlite/sqlite-role-store.js';
import {
  SqliteAuditSink,
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
  audit: SqliteAuditSink;
  paths: ReturnType<typeof dataDirPaths>;
  caPem: string;
}

/**
 * The composition root: the only place that knows every concrete adapter. Stores are
 * built here and handed to the services; the transport never sees a store.
 */
export async function composeServer(opts: ServerOptions, env: { clock?: Clock; random?: Random } = {}): Promise<ComposedServer> {
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
  const audit = new SqliteAuditSink(db);
  const limits = DEFAULT_LIMITS;

  const app = buildServer(
    {
      config,
      random,
      trustAnchors: new TrustAnchorService({ store: trustAnchorStore, clock, random, config, limits }),
      profiles: new ProfileService({ store: profileStore, clock, random, config, limits }),
      subjects,
      roles: new RoleService({ store: roleStore, clock, random, config }),
      authenticator: new Authenticator({ accessKeys, codec, clock, config }),
      sessions: new CreateSessionService({
        trustAnchors: trustAnchorStore,
        profiles: profileStore,
        subjects,
        roles: roleStore,
        audit,
        codec,
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
  app.addHook('onClose', async () => db.close());
  return { app, db, admin, config, audit, paths, caPem: tls.caPem };
}
