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
}

/** Throws an Error with a user-facing message on bad input. */
export function toServerOptions(raw: RawServerOptions): ServerOptions {
  if (!raw.dataDir) throw new Error('--data-dir is required');
  const listen = raw.listen ?? '127.0.0.1:8443';
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
  if (!m) throw new Error(`--listen must be HOST:PORT (got '${listen}')`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`--listen port out of range: ${port}`);
  const region = raw.region ?? DEFAULT_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new Error(`--region '${region}' is not a region name like us-east-1`);
  const accountId = raw.accountId ?? DEFAULT_ACCOUNT_ID;
  if (!/^\d{12}$/.test(accountId)) throw new Error(`--account-id must be 12 digits (got '${accountId}')`);
  const logLevel = (raw.logLevel ?? 'info') as ServerOptions['logLevel'];
  if (!LEVELS.includes(logLevel)) throw new Error(`--log-level must be one of ${LEVELS.join(', ')}`);
  const staleCrlPolicy = (raw.staleCrlPolicy ?? 'enforce') as ServerOptions['staleCrlPolicy'];
  if (!['enforce', 'ignore', 'deny'].includes(staleCrlPolicy)) throw new Error(`--stale-crl-policy must be enforce, ignore or deny`);
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return Object.freeze({
    dataDir: raw.dataDir,
    host: m[1] ?? m[2]!,
    port,
    region,
    accountId,
    partition,
    logLevel,
    tlsNames: [...(raw.tlsNames ?? [])],
    staleCrlPolicy,
  });
}
