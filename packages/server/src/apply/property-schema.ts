import { Unknown } from './intrinsics.js';
import { isRecord } from './template.js';
import { TemplateError } from './template-error.js';

/**
 * A small subset of JSON Schema, enough for the CloudFormation resource schemas of the types
 * apply supports (cfn-lint's bundled AWS::RolesAnywhere::* and AWS::IAM::* schemas). Values are
 * coerced as CloudFormation does: "3600" is a number, "true" a boolean (parameters are strings).
 */
export type Schema =
  | { type: 'string'; min?: number; max?: number; pattern?: RegExp; enum?: readonly string[] }
  | { type: 'number' | 'integer'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'array'; items: Schema; min?: number; max?: number }
  | { type: 'object'; properties: Readonly<Record<string, Schema>>; required?: readonly string[]; unsupported?: Readonly<Record<string, string>> }
  /** A policy document: a JSON object, or a string holding one; validated to an object. */
  | { type: 'policy' };

function fail(where: string, message: string): never {
  throw new TemplateError(where, message);
}

/** Validates (and coerces) a value against a schema; unknown values (dry runs) pass through. */
export function validate(value: unknown, schema: Schema, where: string): unknown {
  if (value instanceof Unknown) return value;
  switch (schema.type) {
    case 'string': {
      const s = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
      if (typeof s !== 'string') fail(where, 'must be a string');
      if (schema.min !== undefined && s.length < schema.min) fail(where, `must be at least ${schema.min} characters long`);
      if (schema.max !== undefined && s.length > schema.max) fail(where, `must be at most ${schema.max} characters long`);
      if (schema.pattern && !schema.pattern.test(s)) fail(where, `"${s.length > 80 ? `${s.slice(0, 80)}…` : s}" does not match ${schema.pattern.source}`);
      if (schema.enum && !schema.enum.includes(s)) fail(where, `"${s}" is not one of ${schema.enum.join(', ')}`);
      return s;
    }
    case 'number':
    case 'integer': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) fail(where, 'must be a number');
      if (schema.type === 'integer' && !Number.isInteger(n)) fail(where, 'must be an integer');
      if (schema.min !== undefined && n < schema.min) fail(where, `must be at least ${schema.min}`);
      if (schema.max !== undefined && n > schema.max) fail(where, `must be at most ${schema.max}`);
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return fail(where, 'must be true or false');
    case 'array': {
      if (!Array.isArray(value)) fail(where, 'must be a list');
      if (schema.min !== undefined && value.length < schema.min) fail(where, `must have at least ${schema.min} items`);
      if (schema.max !== undefined && value.length > schema.max) fail(where, `must have at most ${schema.max} items`);
      return value.map((v, i) => validate(v, schema.items, `${where}.${i}`));
    }
    case 'object': {
      if (!isRecord(value)) fail(where, 'must be a mapping');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const reason = schema.unsupported?.[k];
        if (reason) fail(`${where}.${k}`, reason);
        const s = schema.properties[k];
        if (!s) fail(`${where}.${k}`, `unknown property (supported: ${Object.keys(schema.properties).join(', ')})`);
        out[k] = validate(v, s, `${where}.${k}`);
      }
      for (const r of schema.required ?? []) {
        if (!(r in out)) fail(`${where}.${r}`, 'required property is missing');
      }
      return out;
    }
    case 'policy': {
      let doc = value;
      if (typeof value === 'string') {
        try {
          doc = JSON.parse(value) as unknown;
        } catch {
          fail(where, 'must be a JSON policy document');
        }
      }
      if (!isRecord(doc)) fail(where, 'must be a policy document (a mapping with Version and Statement)');
      if (!('Statement' in doc)) fail(`${where}.Statement`, 'required property is missing');
      return doc;
    }
  }
}
