import type { ParameterDeclaration } from './template.js';
import { TemplateError } from './template-error.js';

/** A parameter's value as `Ref` returns it: a string, or a list for the list types. */
export type ParameterValue = string | string[];

export interface ResolvedParameters {
  values: Map<string, ParameterValue>;
  /** NoEcho parameters: their values are masked wherever apply prints a value. */
  secret: Set<string>;
}

const SUPPORTED_TYPES = new Set(['String', 'Number', 'List<Number>', 'CommaDelimitedList']);

/** Parses `--parameter` arguments: `Key=Value` (also `ParameterKey=K,ParameterValue=V`, as the AWS CLI writes them). */
export function parseParameterArguments(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const arg of args) {
    const cli = /^ParameterKey=([^,]+),ParameterValue=(.*)$/s.exec(arg);
    const eq = arg.indexOf('=');
    const [key, value] = cli ? [cli[1]!, cli[2]!] : eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [undefined, undefined];
    if (key === undefined || value === undefined) throw new TemplateError('--parameter', `"${arg}" is not KEY=VALUE`);
    out.set(key, value);
  }
  return out;
}

function check(decl: ParameterDeclaration, value: string): void {
  const where = `Parameters.${decl.name}`;
  const fail = (why: string): never => {
    throw new TemplateError(where, decl.constraintDescription ?? why);
  };
  const items = decl.type === 'String' || decl.type === 'Number' ? [value] : value.split(',').map((s) => s.trim());
  for (const item of items) {
    if (decl.type.includes('Number') && (item.trim() === '' || !Number.isFinite(Number(item)))) fail(`value "${item}" is not a number`);
    if (decl.allowedValues && !decl.allowedValues.includes(item)) {
      fail(`value ${decl.noEcho ? '(hidden)' : `"${item}"`} is not one of the AllowedValues [${decl.allowedValues.join(', ')}]`);
    }
    // AllowedPattern must match the whole value ("Parameters", CFN User Guide).
    if (decl.allowedPattern !== undefined && !new RegExp(`^(?:${decl.allowedPattern})$`, 's').test(item)) {
      fail(`value does not match AllowedPattern ${decl.allowedPattern}`);
    }
    if (decl.minLength !== undefined && item.length < decl.minLength) fail(`value is shorter than MinLength ${decl.minLength}`);
    if (decl.maxLength !== undefined && item.length > decl.maxLength) fail(`value is longer than MaxLength ${decl.maxLength}`);
    if (decl.minValue !== undefined && Number(item) < decl.minValue) fail(`value is less than MinValue ${decl.minValue}`);
    if (decl.maxValue !== undefined && Number(item) > decl.maxValue) fail(`value is greater than MaxValue ${decl.maxValue}`);
  }
}

/** Binds the template's parameters to the given values or their defaults, checking every constraint. */
export function resolveParameters(declarations: readonly ParameterDeclaration[], given: ReadonlyMap<string, string>): ResolvedParameters {
  const byName = new Map(declarations.map((d) => [d.name, d]));
  for (const key of given.keys()) {
    if (!byName.has(key)) throw new TemplateError(`--parameter ${key}`, `the template declares no parameter "${key}" (declared: ${[...byName.keys()].join(', ') || 'none'})`);
  }
  const values = new Map<string, ParameterValue>();
  const secret = new Set<string>();
  for (const decl of declarations) {
    if (!SUPPORTED_TYPES.has(decl.type)) {
      throw new TemplateError(`Parameters.${decl.name}.Type`, `unsupported parameter type "${decl.type}" (supported: ${[...SUPPORTED_TYPES].join(', ')})`);
    }
    const value = given.get(decl.name) ?? decl.default;
    if (value === undefined) throw new TemplateError(`Parameters.${decl.name}`, 'no value: pass --parameter ' + `${decl.name}=VALUE or give it a Default`);
    check(decl, value);
    values.set(decl.name, decl.type === 'String' || decl.type === 'Number' ? value : value.split(',').map((s) => s.trim()));
    if (decl.noEcho) secret.add(decl.name);
  }
  return { values, secret };
}
