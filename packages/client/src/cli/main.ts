import { VERSION } from '../version.js';
import { logLines } from './go-log.js';
import { processIo, type CliIo } from './cli-io.js';
import { COMMANDS, CREDENTIAL_PROCESS, READ_CERTIFICATE_DATA, SIGN_STRING } from './command-specs.js';
import { runCredentialProcess } from './credential-process.js';
import { describeError } from './describe-error.js';
import { parseFlags, UsageError, type CommandSpec, type ParsedFlags } from './flags.js';
import { runReadCertificateData } from './read-certificate-data.js';
import { runServe } from './serve.js';
import { runSignString } from './sign-string.js';
import { runUpdate } from './update.js';
import { commandHelp, commandUsage, PROGRAM, rootHelp } from './usage.js';

type Runner = (flags: ParsedFlags, io: CliIo) => Promise<number>;

const RUNNERS: Record<string, Runner> = {
  [CREDENTIAL_PROCESS.name]: runCredentialProcess,
  [SIGN_STRING.name]: runSignString,
  [READ_CERTIFICATE_DATA.name]: runReadCertificateData,
  version: async (_flags, io) => {
    io.stdout(`${VERSION}\n`);
    return 0;
  },
  serve: runServe,
  update: runUpdate,
};

/**
 * `mooring-helper` entry point: returns the exit code instead of exiting, so it can be tested
 * in-process. Exit codes follow the official helper: 0 on success, 1 for every handled error
 * (signing-helper-spec §8). Only stdout carries command output; diagnostics go to stderr.
 * @public
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') {
    io.stdout(rootHelp(COMMANDS));
    return 0;
  }
  if (first === 'help') return help(rest[0], io);
  const spec = COMMANDS.find((c) => c.name === first);
  if (spec === undefined) {
    if (first.startsWith('-')) return usageError(new UsageError(`unknown flag: ${first}`), undefined, io);
    io.stderr(`Error: unknown command "${first}" for "${PROGRAM}"\nRun '${PROGRAM} --help' for usage.\n`);
    return 1;
  }
  let flags: ParsedFlags;
  try {
    flags = parseFlags(spec, rest);
  } catch (err) {
    if (err instanceof UsageError) return usageError(err, spec, io);
    throw err;
  }
  if (flags.help) {
    io.stdout(commandHelp(spec));
    return 0;
  }
  if (flags.args.length > 0) {
    // Cobra accepts and ignores stray arguments; say so, because they usually mean a broken
    // multi-line credential_process entry (official helper issues #96, #151).
    logLines(io, `warning: ignoring unexpected arguments: ${flags.args.join(' ')}`);
  }
  const run = RUNNERS[spec.name];
  if (run === undefined) return 1;
  try {
    return await run(flags, io);
  } catch (err) {
    logLines(io, describeError(err));
    return 1;
  }
}

function help(name: string | undefined, io: CliIo): number {
  const spec = COMMANDS.find((c) => c.name === name);
  if (spec === undefined && name !== undefined && name !== 'help') {
    // cobra's help command: the unknown topic, then the root usage, on stderr, and exit 0.
    const root = rootHelp(COMMANDS);
    io.stderr(`Unknown help topic [\`${name}\`]\n${root.slice(root.indexOf('Usage:'))}`);
    return 0;
  }
  io.stdout(spec === undefined ? rootHelp(COMMANDS) : commandHelp(spec));
  return 0;
}

function usageError(err: UsageError, spec: CommandSpec | undefined, io: CliIo): number {
  io.stderr(`Error: ${err.message}\n${spec === undefined ? rootHelp(COMMANDS) : commandUsage(spec)}`);
  return 1;
}
