import { TemplateError } from './template-error.js';

/** A parameter declaration ("Parameters", AWS CloudFormation User Guide). */
export interface ParameterDeclaration {
  name: string;
  type: string;
  default?: string;
  allowedValues?: string[];
  allowedPattern?: string;
  minLength?: number;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  noEcho: boolean;
  constraintDescription?: string;
}

export interface TemplateResource {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  dependsOn: string[];
  condition?: string;
}

export interface TemplateOutput {
  name: string;
  value: unknown;
  description?: string;
  condition?: string;
}

export interface Template {
  description?: string;
  parameters: ParameterDeclaration[];
  mappings: Record<string, unknown>;
  conditions: Record<string, unknown>;
  resources: TemplateResource[];
  outputs: TemplateOutput[];
}

const TOP_LEVEL = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Mappings', 'Conditions', 'Resources', 'Outputs', 'Transform', 'Rules']);
const RESOURCE_KEYS = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata']);
// "The logical ID must be alphanumeric (A-Za-z0-9) and unique within the template." (Resources, CFN User Guide)
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(v: unknown, where: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new TemplateError(where, 'must be a string');
}

function optionalNumber(v: unknown, where: string): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new TemplateError(where, 'must be a number');
  return n;
}

function readParameters(raw: unknown): ParameterDeclaration[] {
  if (raw === undefined) return [];
  if (!isRecord(raw)) throw new TemplateError('Parameters', 'must be a mapping');
  return Object.entries(raw).map(([name, decl]) => {
    const where = `Parameters.${name}`;
    if (!LOGICAL_ID.test(name)) throw new TemplateError(where, 'a parameter name must be alphanumeric');
    if (!isRecord(decl)) throw new TemplateError(where, 'must be a mapping');
    if (typeof decl.Type !== 'string') throw new TemplateError(`${where}.Type`, 'is required');
    const allowed = decl.AllowedValues;
    if (allowed !== undefined && !Array.isArray(allowed)) throw new TemplateError(`${where}.AllowedValues`, 'must be a list');
    const def = decl.Default;
    const p: ParameterDeclaration = {
      name,
      type: decl.Type,
      noEcho: decl.NoEcho === true || decl.NoEcho === 'true',
      ...(def !== undefined ? { default: Array.isArray(def) ? def.map(String).join(',') : optionalString(def, `${where}.Default`)! } : {}),
      ...(allowed ? { allowedValues: allowed.map((a, i) => optionalString(a, `${where}.AllowedValues.${i}`)!) } : {}),
    };
    const pattern = optionalString(decl.AllowedPattern, `${where}.AllowedPattern`);
    if (pattern !== undefined) p.allowedPattern = pattern;
    const description = optionalString(decl.ConstraintDescription, `${where}.ConstraintDescription`);
    if (description !== undefined) p.constraintDescription = description;
    for (const [key, field] of [['MinLength', 'minLength'], ['MaxLength', 'maxLength'], ['MinValue', 'minValue'], ['MaxValue', 'maxValue']] as const) {
      const n = optionalNumber(decl[key], `${where}.${key}`);
      if (n !== undefined) p[field] = n;
    }
    return p;
  });
}

function readResources(raw: unknown): TemplateResource[] {
  if (!isRecord(raw) || Object.keys(raw).length === 0) throw new TemplateError('Resources', 'is required and must declare at least one resource');
  return Object.entries(raw).map(([logicalId, r]) => {
    const where = `Resources.${logicalId}`;
    if (!LOGICAL_ID.test(logicalId)) throw new TemplateError(where, 'a logical id must be alphanumeric (A-Za-z0-9)');
    if (!isRecord(r)) throw new TemplateError(where, 'must be a mapping');
    for (const key of Object.keys(r)) {
      if (!RESOURCE_KEYS.has(key)) throw new TemplateError(`${where}.${key}`, `unsupported resource attribute (supported: ${[...RESOURCE_KEYS].join(', ')})`);
    }
    if (typeof r.Type !== 'string') throw new TemplateError(`${where}.Type`, 'is required');
    const props = r.Properties ?? {};
    if (!isRecord(props)) throw new TemplateError(`${where}.Properties`, 'must be a mapping');
    const dependsOn = r.DependsOn === undefined ? [] : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn];
    dependsOn.forEach((d, i) => {
      if (typeof d !== 'string') throw new TemplateError(`${where}.DependsOn.${i}`, 'must be a logical id');
    });
    const condition = optionalString(r.Condition, `${where}.Condition`);
    return { logicalId, type: r.Type, properties: props, dependsOn: dependsOn as string[], ...(condition !== undefined ? { condition } : {}) };
  });
}

function readOutputs(raw: unknown): TemplateOutput[] {
  if (raw === undefined) return [];
  if (!isRecord(raw)) throw new TemplateError('Outputs', 'must be a mapping');
  return Object.entries(raw).map(([name, o]) => {
    const where = `Outputs.${name}`;
    if (!isRecord(o) || !('Value' in o)) throw new TemplateError(`${where}.Value`, 'is required');
    const description = optionalString(o.Description, `${where}.Description`);
    const condition = optionalString(o.Condition, `${where}.Condition`);
    return { name, value: o.Value, ...(description !== undefined ? { description } : {}), ...(condition !== undefined ? { condition } : {}) };
  });
}

/** Checks the template's sections (Template anatomy, CFN User Guide) and reads them. */
export function readTemplate(raw: unknown): Template {
  if (!isRecord(raw)) throw new TemplateError('', 'the template must be a mapping (a YAML or JSON object)');
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL.has(key)) throw new TemplateError(key, 'unknown template section');
  }
  if (raw.Transform !== undefined) throw new TemplateError('Transform', 'transforms (macros, AWS::Serverless) are not supported by mooring apply');
  const mappings = raw.Mappings ?? {};
  if (!isRecord(mappings)) throw new TemplateError('Mappings', 'must be a mapping');
  const conditions = raw.Conditions ?? {};
  if (!isRecord(conditions)) throw new TemplateError('Conditions', 'must be a mapping');
  const description = optionalString(raw.Description, 'Description');
  return {
    ...(description !== undefined ? { description } : {}),
    parameters: readParameters(raw.Parameters),
    mappings,
    conditions,
    resources: readResources(raw.Resources),
    outputs: readOutputs(raw.Outputs),
  };
}
