import { parseArgs } from 'node:util';
import { runDemo } from '../demo/run-demo.js';
import { AUDIT_USAGE, runAuditCommand } from './audit-command.js';
import { runPkiCommand } from '../pki-cli/pki-command.js';
import { startServer } from './server-command.js';
import { VERSION } from '../version.js';

const USAGE = `Usage: mooring <command> [flags]

Commands:
  server    Run the Mooring server (IAM Roles Anywhere, IAM and STS APIs over HTTPS)
  demo      Start a throw-away server and walk through certificate -> CreateSession -> STS
  audit     Print audit records as JSON lines; \`audit verify\` checks the hash chain
  pki       Create a CA, issue, revoke and check certificates (mooring pki --help; docs/pki.md)
  version   Print the version

mooring server flags:
  --data-dir DIR         where state, TLS material, keys and the admin credential live (required)
  --listen HOST:PORT     address to listen on (default 127.0.0.1:8443; port 0 picks a free port)
  --region REGION        region in ARNs and signatures (default us-east-1)
  --account-id ID        12-digit account id in ARNs (default 111122223333)
  --log-level LEVEL      fatal|error|warn|info|debug|trace|silent (default info)
  --tls-name NAME        extra DNS name or IP for the generated TLS certificate (repeatable)
  --stale-crl-policy P   enforce|ignore|deny for CRLs past nextUpdate (default enforce)

${AUDIT_USAGE}`;

/** Entry point of the `mooring` command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'server': {
        const { values } = parseArgs({
          args: rest,
          options: {
            'data-dir': { type: 'string' },
            listen: { type: 'string' },
            region: { type: 'string' },
            'account-id': { type: 'string' },
            'log-level': { type: 'string' },
            'tls-name': { type: 'string', multiple: true },
            'stale-crl-policy': { type: 'string' },
          },
          strict: true,
          allowPositionals: false,
        });
        return await startServer({
          dataDir: values['data-dir'],
          listen: values.listen,
          region: values.region,
          accountId: values['account-id'],
          logLevel: values['log-level'],
          tlsNames: values['tls-name'],
          staleCrlPolicy: values['stale-crl-policy'],
        });
      }
      case 'demo':
        return await runDemo(process.stdout);
      case 'pki':
        return await runPkiCommand(rest, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), stdin: process.stdin });
      case 'audit':
        return await runAuditCommand(rest, { stdout: process.stdout, stderr: process.stderr });
      case 'version':
      case '--version':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 1 : 0;
      default:
        process.stderr.write(`Error: unknown command "${command}"\n\n${USAGE}`);
        return 1;
    }
  } catch (err) {
    process.stderr.write(`Error: ${(err as Error).message}\n`);
    return 1;
  }
}
