import { parseArgs } from 'node:util';
import { composeServer } from '../app/compose.js';
import { toServerOptions, type RawServerOptions } from '../app/server-options.js';
import { VERSION } from '../version.js';

export const SERVER_USAGE = `mooring server flags:
  --data-dir DIR         where state, TLS material, keys and the admin credential live (required)
  --listen HOST:PORT     address to listen on (default 127.0.0.1:8443; port 0 picks a free port)
  --region REGION        region in ARNs and signatures (default us-east-1)
  --account-id ID        12-digit account id in ARNs (default 111122223333)
  --log-level LEVEL      fatal|error|warn|info|debug|trace|silent (default info)
  --tls-name NAME        extra DNS name or IP for the generated TLS certificate (repeatable)
  --database-url URL     PostgreSQL shared by several replicas (or MOORING_DATABASE_URL; docs/scaling.md)
  --credentials-backend B  local (default) or aws: broker mode, sessions from AWS STS (docs/broker.md)
  --sts-endpoint URL     AWS STS endpoint override (broker mode)
  --iam-endpoint URL     AWS IAM endpoint override (broker mode)
  --stale-crl-policy P   enforce|ignore|deny for CRLs past nextUpdate (default enforce)
  --metrics-listen A     serve /metrics: off (default), main (the HTTPS listener), or HOST:PORT
                         (a separate plain-HTTP listener); unauthenticated (docs/observability.md)
  --webhook-url URL      receiver of certificate expiry events (repeatable; HMAC-signed)
  --webhook-secret-file F  HMAC-SHA256 key for X-Mooring-Signature (required with --webhook-url)
  --notification-interval D  how often expiry is evaluated, e.g. 1h (default); each event at most once a day
`;

/** Parses `mooring server` flags (node's parseArgs: unknown flags are errors) and runs it. */
export async function runServerCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string' },
      listen: { type: 'string' },
      region: { type: 'string' },
      'account-id': { type: 'string' },
      'log-level': { type: 'string' },
      'tls-name': { type: 'string', multiple: true },
      'database-url': { type: 'string' },
      'credentials-backend': { type: 'string' },
      'sts-endpoint': { type: 'string' },
      'iam-endpoint': { type: 'string' },
      'stale-crl-policy': { type: 'string' },
      'metrics-listen': { type: 'string' },
      'webhook-url': { type: 'string', multiple: true },
      'webhook-secret-file': { type: 'string' },
      'notification-interval': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  return startServer({
    dataDir: values['data-dir'],
    listen: values.listen,
    region: values.region,
    accountId: values['account-id'],
    logLevel: values['log-level'],
    tlsNames: values['tls-name'],
    databaseUrl: values['database-url'] ?? (env.MOORING_DATABASE_URL || undefined),
    credentialsBackend: values['credentials-backend'],
    stsEndpoint: values['sts-endpoint'],
    iamEndpoint: values['iam-endpoint'],
    staleCrlPolicy: values['stale-crl-policy'],
    metricsListen: values['metrics-listen'],
    webhookUrls: values['webhook-url'],
    webhookSecretFile: values['webhook-secret-file'],
    notificationInterval: values['notification-interval'],
  });
}

/** `mooring server`: listens until SIGINT/SIGTERM, then closes cleanly. */
export async function startServer(raw: RawServerOptions): Promise<number> {
  const opts = toServerOptions(raw);
  const server = await composeServer(opts);
  try {
    return await serveUntilSignal(server, opts);
  } catch (err) {
    // A listener that cannot bind (EADDRINUSE, EACCES) ends the command: close what compose
    // started (workers, timers, pools, the other listener) so the process exits with the error
    // instead of lingering, or serving half-started on the one port that did bind.
    await server.app.close().catch(() => {});
    throw err;
  }
}

async function serveUntilSignal(server: Awaited<ReturnType<typeof composeServer>>, opts: ReturnType<typeof toServerOptions>): Promise<number> {
  const address = await server.app.listen({ host: opts.host, port: opts.port });
  const port = new URL(address).port;
  // A wildcard address is where the server listens, not where a client connects: show loopback.
  const shown = opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host === '::' ? '::1' : opts.host;
  const host = shown.includes(':') ? `[${shown}]` : shown;
  const lines = [
    `Mooring ${VERSION} is listening`,
    `  endpoint:    https://${host}:${port}`,
    `  region:      ${opts.region}`,
    `  account id:  ${opts.accountId}`,
    `  data dir:    ${opts.dataDir}`,
    `  storage:     ${opts.databaseUrl ? 'PostgreSQL (--database-url)' : 'SQLite in the data dir'}`,
    `  sessions:    ${opts.credentialsBackend === 'aws' ? 'AWS STS (broker mode; Mooring STS is off)' : 'Mooring STS'}`,
    `  TLS CA:      ${server.paths.caPem}  (export AWS_CA_BUNDLE=${server.paths.caPem})`,
    `  admin:       ${server.paths.adminCredentials}  (profile mooring-admin, access key ${server.admin.accessKeyId}; the secret is only in that file)`,
  ];
  if (server.tlsRenewed) lines.push(`  TLS:         server certificate reissued from the same CA (${server.tlsRenewed})`);
  if (server.opsApp && typeof opts.metricsListen === 'object') {
    const ops = await server.opsApp.listen({ host: opts.metricsListen.host, port: opts.metricsListen.port });
    lines.push(`  metrics:     ${ops}/metrics  (also /healthz, /readyz; plain HTTP, unauthenticated)`);
  } else if (opts.metricsListen === 'main') {
    lines.push(`  metrics:     https://${host}:${port}/metrics  (unauthenticated)`);
  }
  if (opts.webhookUrls.length > 0) lines.push(`  webhooks:    ${opts.webhookUrls.length} expiry notification receiver(s)`);
  process.stdout.write(`${lines.join('\n')}\n`);
  server.startNotificationScheduler();
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.app.close();
  return 0;
}
