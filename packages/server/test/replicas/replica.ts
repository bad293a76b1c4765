// A server replica built like compose.ts, but on the stores of createStores() (PostgreSQL), so
// several replicas can share one database before compose.ts is wired to `--database-url`.
// Transport extras that are not about storage (API-call audit, metrics, readiness) are inert.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authenticator } from '../../src/core/auth/authenticate.js';
import { Authorizer } from '../../src/core/auth/authorizer.js';
import type { AccessKeyRecord } from '../../src/core/iam/access-key-store.js';
import { ensureBootstrapAdmin } from '../../src/core/iam/bootstrap-admin.js';
import { ManagedPolicyService } from '../../src/core/iam/managed-policy-service.js';
import { RoleService } from '../../src/core/iam/role-service.js';
import { systemClock } from '../../src/core/ports/clock.js';
import { systemRandom } from '../../src/core/ports/random.js';
import type { ServiceConfig } from '../../src/core/ports/service-config.js';
import { CrlService } from '../../src/core/roles-anywhere/crl-service.js';
import { DEFAULT_LIMITS } from '../../src/core/roles-anywhere/limits.js';
import { ProfileService } from '../../src/core/roles-anywhere/profile-service.js';
import { SubjectService } from '../../src/core/roles-anywhere/subject-service.js';
import { TagService } from '../../src/core/roles-anywhere/tag-service.js';
import { TrustAnchorService } from '../../src/core/roles-anywhere/trust-anchor-service.js';
import { CreateSessionService } from '../../src/core/session/create-session-service.js';
import { LocalSessionIssuer } from '../../src/core/sts/local-session-issuer.js';
import { SessionTokenCodec } from '../../src/core/sts/session-token.js';
import { ensureConfiguredAdmin, ensureDataDir, ensureTls, loadAdminCredential, loadTokenKeys, writeAdminCredentials } from '../../src/app/data-dir.js';
import { createStores, type Stores } from '../../src/app/store-factory.js';
import { buildServer } from '../../src/transport/build-server.js';
import { Harness } from '../support/in-process.js';
import { DATABASE_URL } from '../store-contract/backends.js';

export interface Replica {
  h: Harness;
  stores: Stores;
  admin: AccessKeyRecord;
  dataDir: string;
  stop(): Promise<void>;
}

/** An object whose every method is a no-op (metrics and API-call audit are not under test here). */
const inert = new Proxy({}, { get: () => () => undefined }) as never;

export async function startReplica(o: { schema: string; dataDir?: string; copyDataDirFrom?: string; env?: NodeJS.ProcessEnv }): Promise<Replica> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'mooring-replica-'));
  if (o.copyDataDirFrom) cpSync(o.copyDataDirFrom, dataDir, { recursive: true });
  const env = o.env ?? {};
  const clock = systemClock;
  const random = systemRandom;
  const config: ServiceConfig = Object.freeze({ partition: 'aws', region: 'us-east-1', accountId: '111122223333' });
  ensureDataDir(dataDir);
  const tls = ensureTls(dataDir, clock.now(), []);
  const { set } = loadTokenKeys(dataDir, random, env);
  const stores = await createStores({ kind: 'postgres', databaseUrl: DATABASE_URL, schema: o.schema, poolSize: 4 });
  const configured = loadAdminCredential(env);
  const admin = configured
    ? await ensureConfiguredAdmin(stores.accessKeys, configured, { config, random, clock })
    : await ensureBootstrapAdmin(stores.accessKeys, random, config, 'mooring-admin', clock);
  writeAdminCredentials(dataDir, admin);
  const codec = new SessionTokenCodec({ keys: set.keys, currentKid: set.current, random });
  const limits = DEFAULT_LIMITS;
  const trustAnchors = new TrustAnchorService({ store: stores.trustAnchors, clock, random, config, limits });
  const profiles = new ProfileService({ store: stores.profiles, clock, random, config, limits });
  const crls = new CrlService({ store: stores.crls, trustAnchors: stores.trustAnchors, clock, random, config, limits });
  const subjects = new SubjectService({ store: stores.subjects, limits });
  const app = buildServer(
    {
      config,
      random,
      trustAnchors,
      profiles,
      crls,
      subjects,
      tags: new TagService({ config, limits, trustAnchors, profiles, crls, subjects: stores.subjects }),
      roles: new RoleService({ store: stores.roles, clock, random, config }),
      policies: new ManagedPolicyService({ store: stores.policies, roles: stores.roles, clock, random, config }),
      authorizer: new Authorizer({ roles: stores.roles, policies: stores.policies, config, clock }),
      authenticator: new Authenticator({ accessKeys: stores.accessKeys, codec, clock, config }),
      sessions: new CreateSessionService({
        trustAnchors: stores.trustAnchors,
        profiles: stores.profiles,
        subjects: stores.subjects,
        crls: stores.crls,
        subjectHistory: limits.subjectHistory,
        issuer: new LocalSessionIssuer({ roles: stores.roles, codec, random, config }),
        audit: stores.auditSink,
        clock,
        random,
        config,
      }),
      apiAudit: { record: async () => {} },
      metrics: inert,
      readiness: async () => ({ ok: true }),
    } as Parameters<typeof buildServer>[0],
    { https: { key: tls.keyPem, cert: tls.certPem }, logger: false },
  );
  app.addHook('onClose', async () => stores.close());
  await app.ready();
  const h = new Harness();
  h.dir = dataDir;
  h.server = { app, admin, config, caPem: tls.caPem } as unknown as Harness['server'];
  return {
    h,
    stores,
    admin,
    dataDir,
    async stop() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
