import type { CommandSpec, FlagSpec } from './flags.js';

/** The program name in usage lines. */
export const PROGRAM = 'mooring-helper';

/**
 * Cobra's usage template: a `Usage:` line, then the flags sorted by name with pflag's
 * `FlagUsages` layout (type after the name, default in parentheses).
 * @internal
 */
export function commandUsage(spec: CommandSpec): string {
  const flags: FlagSpec[] = [
    ...spec.flags,
    { name: 'help', type: 'bool' as const, default: false, usage: `help for ${spec.name}` },
  ].sort((a, b) => (a.name < b.name ? -1 : 1));
  const left = flags.map((f) => (f.name === 'help' ? '  -h, --help' : `      --${f.name}${f.type === 'bool' ? '' : ` ${f.type}`}`));
  const width = Math.max(...left.map((l) => l.length));
  const lines = flags.map((f, i) => `${(left[i] as string).padEnd(width)}   ${f.usage}${defaultText(f)}`);
  return `Usage:\n  ${PROGRAM} ${spec.name} [flags]\n\nFlags:\n${lines.join('\n')}\n`;
}

/** `--help` output: the long description, then the usage. @internal */
export function commandHelp(spec: CommandSpec): string {
  return `${spec.long ?? spec.short}\n\n${commandUsage(spec)}`;
}

/** The root command's help (also printed with no command at all). @internal */
export function rootHelp(commands: readonly CommandSpec[]): string {
  const all = [...commands.map((c) => [c.name, c.short] as const), ['help', 'Help about any command'] as const].sort((a, b) =>
    a[0] < b[0] ? -1 : 1,
  );
  const width = Math.max(...all.map(([n]) => n.length)) + 3;
  return (
    `A drop-in replacement for aws_signing_helper: obtains temporary AWS credentials from\n` +
    `IAM Roles Anywhere (or a Mooring server) with an X.509 certificate and its private key.\n\n` +
    `Usage:\n  ${PROGRAM} [command]\n\nAvailable Commands:\n` +
    all.map(([n, s]) => `  ${n.padEnd(width)}${s}`).join('\n') +
    `\n\nFlags:\n  -h, --help   help for ${PROGRAM}\n\n` +
    `Use "${PROGRAM} [command] --help" for more information about a command.\n`
  );
}

function defaultText(f: FlagSpec): string {
  if (f.type === 'string' && f.default !== '') return ` (default "${String(f.default)}")`;
  if (f.type === 'int' && f.default !== 0) return ` (default ${String(f.default)})`;
  return '';
}
