import { runDemo } from '../demo/run-demo.js';
import { AUDIT_USAGE, runAuditCommand } from './audit-command.js';
import { runApplyCommand } from '../apply/apply-command.js';
import { runPkiCommand } from '../pki-cli/pki-command.js';
import { KEYS_USAGE, runKeysCommand } from './keys-command.js';
import { runServerCommand, SERVER_USAGE } from './server-command.js';
import { VERSION } from '../version.js';

const USAGE = `Usage: mooring <command> [flags]

Commands:
  server    Run the Mooring server (IAM Roles Anywhere, IAM and STS APIs over HTTPS)
  demo      Start a throw-away server and walk through certificate -> CreateSession -> STS
  audit     Print audit records as JSON lines; \`audit verify\` checks the hash chain
  pki       Create a CA, issue, revoke and check certificates (mooring pki --help; docs/pki.md)
  keys      Rotate the session-token keys (mooring keys rotate --data-dir DIR)
  apply     Create/update resources from a CloudFormation template (mooring apply --help; docs/apply.md)
  version   Print the version

${SERVER_USAGE}
${KEYS_USAGE}
${AUDIT_USAGE}`;

/** Entry point of the `mooring` command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `mooring apply` and broker mode use the AWS SDK, which prints an eight-line warning on every
  // run under Node < 22 about its releases after January 2027. Mooring pins SDK versions that
  // support Node 20 (package.json engines), so for this CLI the warning is noise; a user who
  // sets the variable themselves keeps their choice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    switch (command) {
      case 'server':
        return await runServerCommand(rest);
      case 'keys':
        return runKeysCommand(rest, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
      case 'demo':
        return await runDemo(process.stdout);
      case 'apply':
        return await runApplyCommand(rest, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
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
