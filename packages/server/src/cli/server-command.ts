import { composeServer } from '../app/compose.js';
import { toServerOptions, type RawServerOptions } from '../app/server-options.js';
import { VERSION } from '../version.js';

/** `mooring server`: listens until SIGINT/SIGTERM, then closes cleanly. */
export async function startServer(raw: RawServerOptions): Promise<number> {
  const opts = toServerOptions(raw);
  const server = await composeServer(opts);
  const address = await server.app.listen({ host: opts.host, port: opts.port });
  const port = new URL(address).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const lines = [
    `Mooring ${VERSION} is listening`,
    `  endpoint:    https://${host}:${port}`,
    `  region:      ${opts.region}`,
    `  account id:  ${opts.accountId}`,
    `  data dir:    ${opts.dataDir}`,
    `  TLS CA:      ${server.paths.caPem}  (export AWS_CA_BUNDLE=${server.paths.caPem})`,
    `  admin:       ${server.paths.adminCredentials}  (profile mooring-admin, access key ${server.admin.accessKeyId}; the secret is only in that file)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.app.close();
  return 0;
}
