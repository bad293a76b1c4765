import { MODEL_OPERATIONS, MODEL_SHAPES, type ModelShape } from './rolesanywhere-model.js';
import { validationError } from './service-error.js';

/**
 * Validates an operation's input against the botocore model table (rolesanywhere-model.ts) and
 * reports every violation in one Coral message (service-spec §0):
 *   1 validation error detected: Value '50000' at 'durationSeconds' failed to satisfy constraint:
 *   Member must have value less than or equal to 43200
 * Member paths follow Coral: nested members joined with '.', list items as `name.N.member`
 * (1-based). Values of `sensitive` shapes (tag keys and values) are never echoed. Unknown members
 * are ignored, as AWS ignores them. Patterns are Java regexes matched in full.
 */
export function assertValidInput(operation: string, input: Record<string, unknown>): void {
  const op = MODEL_OPERATIONS[operation];
  if (!op) throw new Error(`unknown operation ${operation}`);
  const found: string[] = [];
  checkStructure(op.input, input, '', found);
  if (found.length === 0) return;
  const n = found.length;
  throw validationError(`${n} validation error${n === 1 ? '' : 's'} detected: ${found.join('; ')}`);
}

/** The decoded bytes of a blob member (base64 in JSON, service-spec §0); validated before. */
export function blobBytes(value: unknown): Buffer {
  return Buffer.from(value as string, 'base64');
}

const compiled = new Map<string, RegExp>();
function fullMatch(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 's');
    compiled.set(pattern, re);
  }
  return re;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function report(found: string[], path: string, value: unknown, shape: ModelShape, why: string): void {
  const where = holdsSensitive(shape) ? `Value at '${path}'` : `Value '${describe(value)}' at '${path}'`;
  found.push(`${where} failed to satisfy constraint: ${why}`);
}

/**
 * Whether a value of `shape` may contain a sensitive one: a list of tags echoes its keys and
 * values as surely as one tag does. Also true for any value the caller sent where such a shape
 * was expected (a `tags` object instead of a list), since what it holds is unknown.
 */
function holdsSensitive(shape: ModelShape, seen = new Set<ModelShape>()): boolean {
  const known = SENSITIVE.get(shape);
  if (known !== undefined) return known;
  if (shape.sensitive) return true;
  if (seen.has(shape)) return false;
  seen.add(shape);
  const inner = [shape.member, shape.key, shape.value, ...Object.values(shape.members ?? {})]
    .filter((m): m is { shape: string } => m !== undefined)
    .map((m) => MODEL_SHAPES[m.shape])
    .filter((s): s is ModelShape => s !== undefined);
  const result = inner.some((s) => holdsSensitive(s, seen));
  SENSITIVE.set(shape, result);
  return result;
}

const SENSITIVE = new WeakMap<ModelShape, boolean>();

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function checkValue(shapeName: string, value: unknown, path: string, found: string[]): void {
  const shape = MODEL_SHAPES[shapeName];
  if (!shape) throw new Error(`model shape ${shapeName} missing`);
  switch (shape.type) {
    case 'structure':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return report(found, path, value, shape, 'Member must be a structure');
      return checkStructure(shapeName, value as Record<string, unknown>, `${path}.`, found);
    case 'list': {
      if (!Array.isArray(value)) return report(found, path, value, shape, 'Member must be a list');
      if (shape.min !== undefined && value.length < shape.min) report(found, path, value, shape, `Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) report(found, path, value, shape, `Member must have length less than or equal to ${shape.max}`);
      value.forEach((item, i) => {
        const itemPath = `${path}.${i + 1}.member`;
        if (item === null || item === undefined) found.push(`Value 'null' at '${itemPath}' failed to satisfy constraint: Member must not be null`);
        else checkValue(shape.member!.shape, item, itemPath, found);
      });
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return report(found, path, value, shape, 'Member must be a map');
      const entries = Object.entries(value as Record<string, unknown>);
      if (shape.min !== undefined && entries.length < shape.min) report(found, path, value, shape, `Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && entries.length > shape.max) report(found, path, value, shape, `Member must have length less than or equal to ${shape.max}`);
      for (const [k, v] of entries) {
        checkValue(shape.key!.shape, k, `${path}.${k}.key`, found);
        checkValue(shape.value!.shape, v, `${path}.${k}.value`, found);
      }
      return;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return report(found, path, value, shape, 'Member must be an integer');
      if (shape.min !== undefined && value < shape.min) report(found, path, value, shape, `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) report(found, path, value, shape, `Member must have value less than or equal to ${shape.max}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') report(found, path, value, shape, 'Member must be a boolean');
      return;
    case 'blob': {
      if (typeof value !== 'string' || value.length % 4 === 1 || !BASE64.test(value.replace(/\s+/g, '')))
        return report(found, path, '***', shape, 'Member must be a base64-encoded blob');
      const n = blobBytes(value).length;
      // Coral prints blob values as Java ByteBuffers; we print the decoded size instead.
      const shown = `<${n} bytes>`;
      if (shape.min !== undefined && n < shape.min) report(found, path, shown, shape, `Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max) report(found, path, shown, shape, `Member must have length less than or equal to ${shape.max}`);
      return;
    }
    case 'timestamp':
      return;
    default: {
      if (typeof value !== 'string') return report(found, path, value, shape, 'Member must be a string');
      if (shape.min !== undefined && value.length < shape.min) report(found, path, value, shape, `Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) report(found, path, value, shape, `Member must have length less than or equal to ${shape.max}`);
      if (shape.enum && !shape.enum.includes(value)) report(found, path, value, shape, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      if (shape.pattern && !fullMatch(shape.pattern).test(value))
        report(found, path, value, shape, `Member must satisfy regular expression pattern: ${shape.pattern}`);
    }
  }
}

function checkStructure(shapeName: string, value: Record<string, unknown>, prefix: string, found: string[]): void {
  const shape = MODEL_SHAPES[shapeName]!;
  const required = new Set(shape.required ?? []);
  let set = 0;
  for (const [name, member] of Object.entries(shape.members ?? {})) {
    const v = value[name];
    const path = `${prefix}${name}`;
    if (v === undefined || v === null) {
      if (required.has(name)) found.push(`Value 'null' at '${path}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    set++;
    checkValue(member.shape, v, path, found);
  }
  // A union has exactly one member set (Smithy @union; SourceData in this model).
  if (shape.union && set !== 1) found.push(`Value '${describe(value)}' at '${prefix.slice(0, -1)}' failed to satisfy constraint: Exactly one member must be set`);
}
