import Fastify, { type FastifyInstance } from 'fastify';
import type { AuditEvent } from '../core/audit/audit-event.js';
import { Authenticator } from '../core/auth/authenticate.js';
import { Authorizer } from '../core/auth/authorizer.js';
import type { AccessKeyRecord } from '../core/iam/access-key-store.js';
import { ensureBootstrapAdmin } from '../core/iam/bootstrap-admin.js';
import { ManagedPolicyService } from '../core/iam/managed-policy-service.js';
import { RoleService } from '../core/iam/role-service.js';
import { caCertificatesOf } from '../core/notifications/expiry-facts.js';
import type { ExpiryNotifier } from '../core/notifications/expiry-notifier.js';
import type { WebhookDeliveryOptions, WebhookPoster } from '../core/notifications/webhook-delivery.js';
import { systemClock, type Clock } from '../core/ports/clock.js';
import { systemRandom, type Random } from '../core/ports/random.js';
import type { ServiceConfig } from '../core/ports/service-config.js';
import { OnlineRevocation } from '../core/revocation-online/online-revocation.js';
import type { RevocationFetcher } from '../core/revocation-online/revocation-fetcher.js';
import { CrlService } from '../core/roles-anywhere/crl-service.js';
import { DEFAULT_LIMITS } from '../core/roles-anywhere/limits.js';
import type { Page, PageRequest } from '../core/roles-anywhere/page.js';
import { ProfileService } from '../core/roles-anywhere/profile-service.js';
import { SubjectService } from '../core/roles-anywhere/subject-service.js';
import { TagService } from '../core/roles-anywhere/tag-service.js';
import { TrustAnchorService } from '../core/roles-anywhere/trust-anchor-service.js';
import { CreateSessionService } from '../core/session/create-session-service.js';
import type { StaleCrlPolicy } from '../core/session/revocation-checker.js';
import type { SessionIssuer } from '../core/session/session-issuer.js';
import { LocalSessionIssuer } from '../core/sts/local-session-issuer.js';
import { SessionTokenCodec } from '../core/sts/session-token.js';
import { HttpRevocationFetcher } from '../revocation-fetch/http-revocation-fetcher.js';
import { startRevocationRefresh } from '../revocation-fetch/refresh-scheduler.js';
import type { SqliteDatabase } from '../store/sqlite/database.js';
import { createApiCallAuditor } from '../transport/audit-api-call.js';
import { buildServer } from '../transport/build-server.js';
import type { ConsoleDeps, ConsoleOptions } from '../transport/console/console-deps.js';
import { registerConsole } from '../transport/console/register-console.js';
import { registerOpsRoutes, type ReadinessCheck } from '../transport/health.js';
import { MooringMetrics } from '../transport/metrics/mooring-metrics.js';
import { dataDirPaths, ensureConfiguredAdmin, ensureDataDir, ensureTls, loadAdminCredential, loadTokenKeys, writeAdminCredentials } from './data-dir.js';
import { HotPathCache } from './hot-path-cache/hot-path-cache.js';
import { createNotificationRuntime } from './notification-runtime.js';
import type { ServerOptions } from './server-options.js';
import { createStores, type AuditReader, type Stores } from './store-factory.js';

export interface ComposedServer {
  app: FastifyInstance;
  stores: Stores;
  /** The embedded database (SQLite only). */
  db?: SqliteDatabase;
  admin: AccessKeyRecord;
  config: ServiceConfig;
  /** The queryable, hash-chained audit trail; `list()` (newest first) exists on SQLite. */
  audit: AuditReader & { list?(limit?: number): AuditEvent[] };
  /** Where services write audit records (group commit: durable before record() resolves). */
  auditSink: Stores['auditSink'];
  paths: ReturnType<typeof dataDirPaths>;
  caPem: string;
  /** Why this start reissued the TLS server certificate (a new --tls-name, near expiry), if it did. */
  tlsRenewed?: string;
  metrics: MooringMetrics;
  /** Expiry notifications (service-spec §9); `runOnce()` evaluates now. */
  notifier: ExpiryNotifier;
  /** Starts evaluating every `notificationIntervalMs` (the CLI calls it; tests drive runOnce). */
  startNotificationScheduler(): void;
  /** The plain-HTTP /metrics, /healthz, /readyz app when `--metrics-listen HOST:PORT` is set. */
  opsApp?: FastifyInstance;
  /** What the web console at /console was built with. */
  consoleDeps: ConsoleDeps;
  /** CreateSession's read caches (docs/scaling.md); exposed for tests and diagnostics. */
  hotPath: HotPathCache;
}

/** Injection points for tests and embedding; production uses the defaults. */
export interface ComposeOverrides {
  clock?: Clock;
  random?: Random;
  staleCrlPolicy?: StaleCrlPolicy;
  /** Replaces the issuer chosen by `--credentials-backend` (tests). */
  issuer?: SessionIssuer;
  /** Network access for CRL distribution points and OCSP (tests). */
  revocationFetcher?: RevocationFetcher;
  /** Webhook transport and retry timing (tests). */
  webhookPoster?: WebhookPoster;
  webhookRetry?: Pick<WebhookDeliveryOptions, 'maxAttempts' | 'initialBackoffMs' | 'maxBackoffMs' | 'timeoutMs'>;
  /** Web console session limits (tests). */
  console?: ConsoleOptions;
}

/** Every item of a paged store listing (trust anchors ≤ 50, subjects bounded by use). */
async function allPages<T>(list: (p: PageRequest) => Promise<Page<T> | 'bad-token'>): Promise<T[]> {
  const out: T[] = [];
  let nextToken: string | undefined;
  for (let i = 0; i < 10_000; i++) {
    const page = await list({ pageSize: 100, ...(nextToken ? { nextToken } : {}) });
    if (page === 'bad-token') break;
    out.push(...page.items);
    nextToken = page.nextToken;
    if (!nextToken) break;
  }
  return out;
}

const BROKER_STS_OFF =
  'Mooring runs in broker mode (--credentials-backend aws): its STS endpoint is off. Credentials from CreateSession are issued by AWS STS; call AWS STS instead (for example aws sts get-caller-identity without --endpoint-url).';

/**
 * The composition root: the only place that knows every concrete adapter. Stores come from
 * the store factory (SQLite or PostgreSQL) and are handed to the services; the transport never
 * sees a store.
 */
export async function composeServer(opts: ServerOptions, env: ComposeOverrides = {}): Promise<ComposedServer> {
  const clock = env.clock ?? systemClock;
  const random = env.random ?? systemRandom;
  const config: ServiceConfig = Object.freeze({ partition: opts.partition, region: opts.region, accountId: opts.accountId });
  ensureDataDir(opts.dataDir);
  const paths = dataDirPaths(opts.dataDir);
  const tls = ensureTls(opts.dataDir, clock.now(), opts.tlsNames);
  // Token keys and the admin credential may come from configuration, so replicas share them.
  const keySet = loadTokenKeys(opts.dataDir, random).set;
  const backend = await createStores(opts.databaseUrl ? { kind: 'postgres', databaseUrl: opts.databaseUrl } : { kind: 'sqlite', dataDir: opts.dataDir });
  // CreateSession's configuration reads are cached briefly (docs/scaling.md, "Hot-path caches");
  // every writer in this process gets the observed stores, so its writes drop the cache at once.
  const hotPath = new HotPathCache(backend.changes);
  const stores = hotPath.observe(backend);

  const configured = loadAdminCredential();
  const admin = configured
    ? await ensureConfiguredAdmin(stores.accessKeys, configured, { config, random, clock })
    : await ensureBootstrapAdmin(stores.accessKeys, random, config, 'mooring-admin', clock);
  try {
    writeAdminCredentials(opts.dataDir, admin, { configured: configured !== undefined });
  } catch (err) {
    await stores.close();
    throw err;
  }

  const codec = new SessionTokenCodec({ keys: keySet.keys, currentKid: keySet.current, random });
  const authorizer = new Authorizer({ roles: stores.roles, policies: stores.policies, config, clock });
  const authenticator = new Authenticator({ accessKeys: stores.accessKeys, codec, clock, config });
  const audit = stores.auditSink;
  const limits = DEFAULT_LIMITS;
  const trustAnchors = new TrustAnchorService({ store: stores.trustAnchors, clock, random, config, limits });
  const profiles = new ProfileService({ store: stores.profiles, clock, random, config, limits });
  const crls = new CrlService({ store: stores.crls, trustAnchors: stores.trustAnchors, clock, random, config, limits });
  const subjectService = new SubjectService({ store: stores.subjects, limits });

  const listAnchors = () => allPages((p) => stores.trustAnchors.listTrustAnchors(p));
  const metrics = new MooringMetrics(clock, {
    caCertificates: async () => (await listAnchors()).flatMap(caCertificatesOf),
    crls: async () => allPages((p) => stores.crls.listCrls(p)),
    auditQueueDepth: () => ('queueDepth' in audit ? (audit as { queueDepth: number }).queueDepth : 0),
  });
  const apiAudit = createApiCallAuditor({
    sink: audit,
    clock,
    random,
    config,
    onRecorded: (f) => metrics.apiCallsTotal.inc({ event_source: f.eventSource, event_name: f.eventName, error_code: f.error?.code ?? '' }),
  });

  // Who issues sessions: Mooring's own STS, or AWS STS (broker mode; the SDK loads only then).
  let issuer = env.issuer;
  let brokerReadiness: (() => Promise<{ ready: boolean; message?: string }>) | undefined;
  if (!issuer && opts.credentialsBackend === 'aws') {
    const { AwsSessionIssuer } = await import('../broker/aws-session-issuer.js');
    const broker = new AwsSessionIssuer({
      region: opts.region,
      clock,
      // STS/IAM latency and errors in /metrics (issue [broker] item 5).
      observer: {
        onCall: (e) => {
          metrics.brokerCallDuration.observe({ service: e.service, operation: e.operation, outcome: e.outcome }, e.durationMs / 1000);
          if (e.outcome !== 'ok') metrics.brokerCallErrors.inc({ service: e.service, operation: e.operation, code: e.code ?? e.outcome });
        },
      },
      ...(opts.stsEndpoint ? { stsEndpoint: opts.stsEndpoint } : {}),
      ...(opts.iamEndpoint ? { iamEndpoint: opts.iamEndpoint } : {}),
    });
    issuer = broker;
    brokerReadiness = () => broker.readiness();
  }
  // Broker mode caches GetRole itself (broker/role-cache.ts); an injected issuer is the caller's.
  issuer ??= hotPath.issuer(new LocalSessionIssuer({ roles: stores.roles, codec, random, config }));

  const readiness: ReadinessCheck = async (): ReturnType<ReadinessCheck> => {
    if (stores.sqlite) stores.sqlite.db.prepare('SELECT 1').get();
    if (stores.postgres) await stores.postgres.db.query('SELECT 1');
    if (brokerReadiness) {
      const b = await brokerReadiness();
      if (!b.ready) return { ok: false, reason: b.message ?? 'broker not ready' };
    }
    return { ok: true };
  };

  // Online revocation (CRL distribution points, OCSP) for trust anchors that opt in by tag.
  const onlineRevocation = new OnlineRevocation({ fetcher: env.revocationFetcher ?? new HttpRevocationFetcher({ timeoutMs: 3000 }), random });
  const stopRevocationRefresh = startRevocationRefresh(onlineRevocation, { intervalMs: 60_000, now: () => clock.now() });

  const tags = new TagService({ config, limits, trustAnchors, profiles, crls, subjects: stores.subjects });
  const app = buildServer(
    {
      config,
      random,
      apiAudit,
      metrics,
      readiness,
      trustAnchors,
      profiles,
      crls,
      subjects: subjectService,
      tags,
      roles: new RoleService({ store: stores.roles, clock, random, config }),
      policies: new ManagedPolicyService({ store: stores.policies, roles: stores.roles, clock, random, config }),
      authorizer,
      authenticator,
      ...(opts.credentialsBackend === 'aws' ? { stsDisabledMessage: BROKER_STS_OFF } : {}),
      sessions: new CreateSessionService({
        ...hotPath.sessionReads(stores),
        subjects: stores.subjects,
        subjectHistory: limits.subjectHistory,
        staleCrlPolicy: env.staleCrlPolicy ?? opts.staleCrlPolicy,
        onlineRevocation,
        issuer,
        audit,
        clock,
        random,
        config,
      }),
    },
    {
      https: { key: tls.keyPem, cert: tls.certPem },
      logger: opts.logLevel === 'silent' ? false : { level: opts.logLevel },
      exposeMetrics: opts.metricsListen === 'main',
    },
  );
  const consoleDeps: ConsoleDeps = { config, random, clock, authenticator, authorizer, trustAnchors, profiles, crls, tags, subjects: subjectService, audit: stores.audit, sessionStore: stores.consoleSessions };
  registerConsole(app, consoleDeps, env.console);

  const notifications = createNotificationRuntime({
    opts,
    sources: { trustAnchors: listAnchors, subjects: () => allPages((p) => stores.subjects.listSubjects(p)) },
    state: stores.notificationState,
    audit,
    metrics,
    clock,
    random,
    config,
    log: () => app.log,
    ...(env.webhookPoster ? { webhookPoster: env.webhookPoster } : {}),
    ...(env.webhookRetry ? { webhookRetry: env.webhookRetry } : {}),
  });

  let opsApp: FastifyInstance | undefined;
  if (typeof opts.metricsListen === 'object') {
    opsApp = Fastify({ logger: false });
    registerOpsRoutes(opsApp, { readiness, metrics });
  }

  app.addHook('onClose', async () => {
    await stopRevocationRefresh();
    await notifications.stop();
    await opsApp?.close();
    await stores.close();
  });
  return {
    app,
    stores,
    ...(stores.sqlite ? { db: stores.sqlite.db } : {}),
    admin,
    config,
    audit: stores.sqlite ? stores.sqlite.auditTrail.store : stores.audit,
    auditSink: audit,
    paths,
    caPem: tls.caPem,
    ...(tls.renewed ? { tlsRenewed: tls.renewed } : {}),
    metrics,
    notifier: notifications.notifier,
    startNotificationScheduler: () => notifications.start(),
    consoleDeps,
    hotPath,
    ...(opsApp ? { opsApp } : {}),
  };
}
