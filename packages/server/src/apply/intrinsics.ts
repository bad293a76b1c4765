import type { ParameterValue } from './parameters.js';
import { isRecord } from './template.js';
import { TemplateError } from './template-error.js';

/**
 * Intrinsic functions ("Intrinsic function reference", AWS CloudFormation User Guide), evaluated
 * against parameters, pseudo parameters, mappings, conditions and resource attributes.
 * Supported: Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::Equals,
 * Fn::Not, Fn::And, Fn::Or, Condition, Fn::FindInMap, Fn::Base64. Anything else is an error.
 */

/** A value that exists only once a resource has been created (dry runs, static checks). */
export class Unknown {
  constructor(readonly description: string) {}
  toString(): string {
    return `(known after apply: ${this.description})`;
  }
}

/** `AWS::NoValue`: removes the property or list item that evaluates to it. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export interface EvaluationContext {
  parameters: ReadonlyMap<string, ParameterValue>;
  pseudo: Readonly<Record<string, string | string[]>>;
  mappings: Record<string, unknown>;
  condition(name: string, where: string): boolean;
  /** `Ref` (attribute undefined) or `Fn::GetAtt` of a resource; throws TemplateError when invalid. */
  attribute(logicalId: string, attribute: string | undefined, where: string): string | Unknown;
}

const UNSUPPORTED = new Set(['Fn::ImportValue', 'Fn::GetAZs', 'Fn::Cidr', 'Fn::Transform', 'Fn::Length', 'Fn::ToJsonString', 'Fn::ForEach']);

/** The name of the intrinsic function a value is, if it is one (a one-key mapping `Ref` / `Fn::*`). */
export function intrinsicName(v: unknown, allowCondition = false): string | undefined {
  if (!isRecord(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const k = keys[0]!;
  return k === 'Ref' || k.startsWith('Fn::') || (allowCondition && k === 'Condition') ? k : undefined;
}

function asList(v: unknown, where: string, fn: string, min: number, max = min): unknown[] {
  if (!Array.isArray(v) || v.length < min || v.length > max) {
    throw new TemplateError(where, `${fn} takes a list of ${min === max ? min : `${min} to ${max}`} arguments`);
  }
  return v;
}

function str(v: unknown, where: string, what: string): string | Unknown {
  if (v instanceof Unknown || typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new TemplateError(where, `${what} must evaluate to a string`);
}

/** Splits a Fn::Sub template into literal text and `${Name}` / `${Name.Attr}` variables (`${!x}` is a literal `${x}`). */
export function subVariables(template: string): Array<{ literal: string } | { variable: string }> {
  const parts: Array<{ literal: string } | { variable: string }> = [];
  const re = /\$\{([^}]*)\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    parts.push({ literal: template.slice(last, m.index) });
    const inner = m[1]!;
    parts.push(inner.startsWith('!') ? { literal: `\${${inner.slice(1)}}` } : { variable: inner.trim() });
    last = re.lastIndex;
  }
  parts.push({ literal: template.slice(last) });
  return parts;
}

function ref(name: string, ctx: EvaluationContext, where: string): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name in ctx.pseudo) return ctx.pseudo[name];
  if (ctx.parameters.has(name)) return ctx.parameters.get(name);
  return ctx.attribute(name, undefined, where);
}

function evaluateSub(arg: unknown, ctx: EvaluationContext, where: string): string | Unknown {
  const [template, vars] = typeof arg === 'string' ? [arg, {}] : (asList(arg, where, 'Fn::Sub', 1, 2) as [unknown, unknown?]);
  if (typeof template !== 'string') throw new TemplateError(where, 'Fn::Sub: the first argument must be a string');
  const bound = vars === undefined ? {} : vars;
  if (!isRecord(bound)) throw new TemplateError(where, 'Fn::Sub: the second argument must be a mapping of variables');
  let out = '';
  let unknown: Unknown | undefined;
  for (const part of subVariables(template)) {
    if ('literal' in part) {
      out += part.literal;
      continue;
    }
    let v: unknown;
    if (part.variable in bound) v = evaluate(bound[part.variable], ctx, `${where}.${part.variable}`);
    else {
      const dot = part.variable.indexOf('.');
      v = dot < 0 ? ref(part.variable, ctx, where) : ctx.attribute(part.variable.slice(0, dot), part.variable.slice(dot + 1), where);
    }
    const s = str(v, where, `\${${part.variable}}`);
    if (s instanceof Unknown) unknown = s;
    else out += s;
  }
  return unknown ?? out;
}

function bool(v: unknown, where: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new TemplateError(where, 'a condition must evaluate to true or false');
}

function evaluateFunction(fn: string, arg: unknown, ctx: EvaluationContext, where: string, inCondition: boolean): unknown {
  const at = `${where}.${fn}`;
  const ev = (v: unknown, i?: number) => evaluate(v, ctx, i === undefined ? at : `${at}.${i}`, inCondition);
  switch (fn) {
    case 'Ref':
      if (typeof arg !== 'string') throw new TemplateError(at, 'Ref takes a name');
      return ref(arg, ctx, at);
    case 'Fn::GetAtt': {
      const [res, attr] = typeof arg === 'string' ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)] : asList(arg, at, 'Fn::GetAtt', 2);
      const attrName = ev(attr);
      if (typeof res !== 'string' || typeof attrName !== 'string' || !res) throw new TemplateError(at, 'Fn::GetAtt takes [LogicalId, Attribute]');
      return ctx.attribute(res, attrName, at);
    }
    case 'Fn::Sub':
      return evaluateSub(arg, ctx, at);
    case 'Fn::Join': {
      const [sep, list] = asList(arg, at, 'Fn::Join', 2);
      const items = ev(list);
      if (typeof sep !== 'string') throw new TemplateError(at, 'Fn::Join: the delimiter must be a string');
      if (items instanceof Unknown) return items;
      if (!Array.isArray(items)) throw new TemplateError(at, 'Fn::Join: the second argument must be a list');
      const parts = items.map((x) => str(x, at, 'each joined value'));
      return parts.find((p) => p instanceof Unknown) ?? parts.join(sep);
    }
    case 'Fn::Select': {
      const [index, list] = asList(arg, at, 'Fn::Select', 2).map((x, i) => ev(x, i));
      if (list instanceof Unknown) return list;
      const i = Number(index);
      if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length) throw new TemplateError(at, `Fn::Select: index ${String(index)} is out of range`);
      return list[i];
    }
    case 'Fn::Split': {
      const [sep, source] = asList(arg, at, 'Fn::Split', 2).map((x, i) => ev(x, i));
      if (source instanceof Unknown) return source;
      if (typeof sep !== 'string' || typeof source !== 'string') throw new TemplateError(at, 'Fn::Split takes [delimiter, string]');
      return source.split(sep);
    }
    case 'Fn::If': {
      const [name, whenTrue, whenFalse] = asList(arg, at, 'Fn::If', 3);
      if (typeof name !== 'string') throw new TemplateError(at, 'Fn::If: the first argument must be a condition name');
      return ctx.condition(name, at) ? ev(whenTrue, 1) : ev(whenFalse, 2);
    }
    case 'Fn::Equals': {
      const [a, b] = asList(arg, at, 'Fn::Equals', 2).map((x, i) => ev(x, i));
      if (a instanceof Unknown || b instanceof Unknown) throw new TemplateError(at, 'Fn::Equals cannot compare resource attributes');
      return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
    }
    case 'Fn::Not':
      return !bool(ev(asList(arg, at, 'Fn::Not', 1)[0], 0), at);
    case 'Fn::And':
    case 'Fn::Or': {
      const values = asList(arg, at, fn, 2, 10).map((x, i) => bool(ev(x, i), at));
      return fn === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
    }
    case 'Condition':
      if (typeof arg !== 'string') throw new TemplateError(at, 'Condition takes a condition name');
      return ctx.condition(arg, at);
    case 'Fn::FindInMap': {
      const [map, top, second] = asList(arg, at, 'Fn::FindInMap', 3).map((x, i) => ev(x, i));
      const m = ctx.mappings[String(map)];
      const t = isRecord(m) ? m[String(top)] : undefined;
      const v = isRecord(t) ? t[String(second)] : undefined;
      if (v === undefined) throw new TemplateError(at, `Fn::FindInMap: Mappings.${String(map)}.${String(top)}.${String(second)} does not exist`);
      return v;
    }
    case 'Fn::Base64': {
      const s = str(ev(arg), at, 'Fn::Base64 input');
      return s instanceof Unknown ? s : Buffer.from(s, 'utf8').toString('base64');
    }
    default:
      throw new TemplateError(at, UNSUPPORTED.has(fn) ? `${fn} is not supported by mooring apply` : `unknown intrinsic function ${fn}`);
  }
}

/** Evaluates every intrinsic function inside a value; `AWS::NoValue` removes the member or item. */
/** `allowCondition`: inside the Conditions section, where `{"Condition": name}` is a function. */
export function evaluate(value: unknown, ctx: EvaluationContext, where: string, allowCondition = false): unknown {
  const fn = intrinsicName(value, allowCondition);
  if (fn !== undefined) return evaluateFunction(fn, (value as Record<string, unknown>)[fn], ctx, where, allowCondition);
  if (Array.isArray(value)) {
    return value.map((v, i) => evaluate(v, ctx, `${where}.${i}`, allowCondition)).filter((v) => v !== NO_VALUE);
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = evaluate(v, ctx, `${where}.${k}`, allowCondition);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }
  return value;
}

/** True when any part of an evaluated value is still unknown. */
export function containsUnknown(v: unknown): boolean {
  if (v instanceof Unknown) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isRecord(v)) return Object.values(v).some(containsUnknown);
  return false;
}
