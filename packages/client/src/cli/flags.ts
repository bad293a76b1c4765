/**
 * A small flag parser with cobra/pflag's surface (the official helper's CLI, spec §1):
 * `--flag value`, `--flag=value`, bare booleans, `-h/--help`, `--` to end flags, and pflag's
 * error messages, so scripts written for `aws_signing_helper` see the same behaviour.
 */

/** @internal */
export type FlagValue = string | number | boolean;

/** @internal */
export interface FlagSpec {
  name: string;
  type: 'string' | 'int' | 'bool';
  default: FlagValue;
  usage: string;
  /** For enum-like string flags (`--format`): accepted values, case-sensitive as in the helper. */
  values?: readonly string[];
}

/** @internal */
export interface CommandSpec {
  name: string;
  short: string;
  long?: string;
  flags: readonly FlagSpec[];
  /** Pairs (or groups) of flags that must not be set together (cobra `MarkFlagsMutuallyExclusive`). */
  exclusive?: readonly (readonly string[])[];
}

/** @internal */
export interface ParsedFlags {
  /** Every flag of the command, defaults filled in. */
  values: Map<string, FlagValue>;
  /** Flags given on the command line (cobra's "Changed"), even when set to their default. */
  set: Set<string>;
  args: string[];
  help: boolean;
}

/** A command-line mistake: printed as `Error: <message>` followed by the usage. @internal */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** @internal */
export function parseFlags(spec: CommandSpec, argv: readonly string[]): ParsedFlags {
  const byName = new Map(spec.flags.map((f) => [f.name, f]));
  const values = new Map<string, FlagValue>(spec.flags.map((f) => [f.name, f.default]));
  const set = new Set<string>();
  const args: string[] = [];
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (name === 'help') {
        help = true;
        continue;
      }
      const flag = byName.get(name);
      if (flag === undefined) throw new UsageError(`unknown flag: --${name}`);
      let raw: string;
      if (eq >= 0) raw = arg.slice(eq + 1);
      else if (flag.type === 'bool') raw = 'true';
      else if (i + 1 < argv.length) raw = argv[++i] as string;
      else throw new UsageError(`flag needs an argument: --${name}`);
      values.set(name, convert(flag, raw));
      set.add(name);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // The only shorthand cobra registers here is -h.
      const letters = arg.slice(1);
      if (letters === 'h') {
        help = true;
        continue;
      }
      throw new UsageError(`unknown shorthand flag: '${letters[0] === 'h' ? letters[1] : letters[0]}' in ${arg}`);
    }
    args.push(arg);
  }
  if (!help) checkExclusive(spec, set);
  return { values, set, args, help };
}

function convert(flag: FlagSpec, raw: string): FlagValue {
  const invalid = (detail: string): UsageError =>
    new UsageError(`invalid argument "${raw}" for "--${flag.name}" flag: ${detail}`);
  switch (flag.type) {
    case 'bool': {
      // strconv.ParseBool's accepted spellings.
      if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(raw)) return true;
      if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(raw)) return false;
      throw invalid(`strconv.ParseBool: parsing "${raw}": invalid syntax`);
    }
    case 'int': {
      if (!/^[+-]?\d+$/.test(raw)) throw invalid(`strconv.ParseInt: parsing "${raw}": invalid syntax`);
      const n = Number(raw);
      if (!Number.isSafeInteger(n)) throw invalid(`strconv.ParseInt: parsing "${raw}": value out of range`);
      return n;
    }
    case 'string':
      if (flag.values !== undefined && !flag.values.includes(raw)) {
        throw invalid(`${raw} is not included in ${flag.values.join(',')}`);
      }
      return raw;
  }
}

/**
 * cobra `validateExclusiveFlagGroups`: groups are checked in sorted order of their
 * space-joined names and the set flags are listed sorted.
 */
function checkExclusive(spec: CommandSpec, set: Set<string>): void {
  const groups = (spec.exclusive ?? []).map((g) => g.join(' ')).sort();
  for (const group of groups) {
    const names = group.split(' ');
    const present = names.filter((n) => set.has(n)).sort();
    if (present.length > 1) {
      throw new UsageError(
        `if any flags in the group [${group}] are set none of the others can be; [${present.join(' ')}] were all set`,
      );
    }
  }
}

/** Typed accessors, so command code does not cast. @internal */
export function str(flags: ParsedFlags, name: string): string {
  const v = flags.values.get(name);
  return typeof v === 'string' ? v : '';
}

/** @internal */
export function int(flags: ParsedFlags, name: string): number {
  const v = flags.values.get(name);
  return typeof v === 'number' ? v : 0;
}

/** @internal */
export function bool(flags: ParsedFlags, name: string): boolean {
  return flags.values.get(name) === true;
}
