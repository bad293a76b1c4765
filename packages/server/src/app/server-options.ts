import { resolve } from 'node:path';
/** Validated, frozen server configuration (style-anchors §8.11: parse, validate, freeze). */
export interface ServerOptions {
  dataDir: string;
  host: string;
  port: number;
  region: string;
  accountId: string;
  partition: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Extra DNS names / IPs for the generated TLS certificate. */
  tlsNames: string[];
  /** What a CRL past its nextUpdate does (docs/control-plane.md). */
  staleCrlPolicy: 'enforce' | 'ignore' | 'deny';
  /**
   * Where /metrics is served (docs/observability.md): not at all (default), on the main HTTPS
   * listener ('main', unauthenticated), or on a separate plain-HTTP listener.
   */
  metricsListen: 'off' | 'main' | { host: string; port: number };
  /** Receivers of expiry notifications (EventBridge-shaped JSON, HMAC-signed). */
  webhookUrls: string[];
  /** File holding the webhook HMAC key; required when webhookUrls is not empty. */
  webhookSecretFile: string | undefined;
  /** How often expiry notifications are evaluated; each is still sent at most once a day. */
  notificationIntervalMs: number;
  /** Who issues sessions: Mooring's own IAM/STS ('local') or AWS STS ('aws', docs/broker.md). */
  credentialsBackend: 'local' | 'aws';
  /** PostgreSQL for several replicas (docs/scaling.md); SQLite in the data dir when absent. Never logged. */
  databaseUrl: string | undefined;
  stsEndpoint: string | undefined;
  iamEndpoint: string | undefined;
}

export const DEFAULT_ACCOUNT_ID = '111122223333';
export const DEFAULT_REGION = 'us-east-1';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface RawServerOptions {
  dataDir?: string | undefined;
  listen?: string | undefined;
  region?: string | undefined;
  accountId?: string | undefined;
  logLevel?: string | undefined;
  tlsNames?: string[] | undefined;
  staleCrlPolicy?: string | undefined;
  metricsListen?: string | undefined;
  webhookUrls?: string[] | undefined;
  webhookSecretFile?: string | undefined;
  notificationInterval?: string | undefined;
  credentialsBackend?: string | undefined;
  databaseUrl?: string | undefined;
  stsEndpoint?: string | undefined;
  iamEndpoint?: string | undefined;
}

function hostPort(flag: string, value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  if (!m) throw new Error(`${flag} must be HOST:PORT (got '${value}')`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`${flag} port out of range: ${port}`);
  return { host: m[1] ?? m[2]!, port };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `1h`, `1d` or plain seconds; between 10 seconds and 1 day. */
export function parseInterval(flag: string, value: string): number {
  const m = /^(\d{1,6})([smhd]?)$/.exec(value.trim());
  if (!m) throw new Error(`${flag} must be a duration like 1h, 30m, 1d or seconds (got '${value}')`);
  const ms = Number(m[1]) * UNIT_MS[m[2] || 's']!;
  if (ms < 10_000 || ms > UNIT_MS.d!) throw new Error(`${flag} must be between 10s and 1d`);
  return ms;
}

function webhookUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`--webhook-url is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`--webhook-url must be http:// or https://`);
  return u.toString();
}

/** Throws an Error with a user-facing message on bad input. */
export function toServerOptions(raw: RawServerOptions): ServerOptions {
  if (!raw.dataDir) throw new Error('--data-dir is required');
  const { host, port } = hostPort('--listen', raw.listen ?? '127.0.0.1:8443');
  const region = raw.region ?? DEFAULT_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new Error(`--region '${region}' is not a region name like us-east-1`);
  const accountId = raw.accountId ?? DEFAULT_ACCOUNT_ID;
  if (!/^\d{12}$/.test(accountId)) throw new Error(`--account-id must be 12 digits (got '${accountId}')`);
  const logLevel = (raw.logLevel ?? 'info') as ServerOptions['logLevel'];
  if (!LEVELS.includes(logLevel)) throw new Error(`--log-level must be one of ${LEVELS.join(', ')}`);
  const staleCrlPolicy = (raw.staleCrlPolicy ?? 'enforce') as ServerOptions['staleCrlPolicy'];
  if (!['enforce', 'ignore', 'deny'].includes(staleCrlPolicy)) throw new Error(`--stale-crl-policy must be enforce, ignore or deny`);
  const metricsListen = raw.metricsListen === undefined || raw.metricsListen === 'off' ? 'off' : raw.metricsListen === 'main' ? 'main' : hostPort('--metrics-listen', raw.metricsListen);
  // Messages name the flag, never the URL: a receiver URL may embed a token.
  const webhookUrls = (raw.webhookUrls ?? []).map(webhookUrl);
  if (webhookUrls.length > 0 && !raw.webhookSecretFile) throw new Error('--webhook-url needs --webhook-secret-file (deliveries are HMAC-signed)');
  const notificationIntervalMs = parseInterval('--notification-interval', raw.notificationInterval ?? '1h');
  const credentialsBackend = (raw.credentialsBackend ?? 'local') as ServerOptions['credentialsBackend'];
  if (credentialsBackend !== 'local' && credentialsBackend !== 'aws') throw new Error('--credentials-backend must be local or aws');
  for (const [flag, v] of [['--sts-endpoint', raw.stsEndpoint], ['--iam-endpoint', raw.iamEndpoint]] as const) {
    if (v === undefined) continue;
    if (credentialsBackend !== 'aws') throw new Error(`${flag} needs --credentials-backend aws`);
    if (!/^https?:\/\/[^\s]+$/.test(v)) throw new Error(`${flag} must be an http(s) URL`);
  }
  const databaseUrl = raw.databaseUrl ?? undefined;
  // The URL may hold a password: the message names the flag, never the value.
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('--database-url must be a postgres:// or postgresql:// URL');
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return Object.freeze({
    // Absolute, so the paths the banner prints (AWS_CA_BUNDLE=…) still work after a `cd`.
    dataDir: resolve(raw.dataDir),
    host,
    port,
    region,
    accountId,
    partition,
    logLevel,
    tlsNames: [...(raw.tlsNames ?? [])],
    staleCrlPolicy,
    metricsListen: typeof metricsListen === 'string' ? metricsListen : Object.freeze(metricsListen),
    webhookUrls,
    webhookSecretFile: raw.webhookSecretFile,
    notificationIntervalMs,
    credentialsBackend,
    databaseUrl,
    stsEndpoint: raw.stsEndpoint,
    iamEndpoint: raw.iamEndpoint,
  });
}
