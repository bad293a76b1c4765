import type { IamApi } from '../api/iam-api.js';
import type { RolesAnywhereApi } from '../api/rolesanywhere-api.js';
import type { Schema } from '../property-schema.js';
import { isRecord } from '../template.js';

/**
 * Ownership tags: a resource belongs to the stack named by `mooring:apply/stack-name` and is the
 * template resource named by `mooring:apply/logical-id`. Matching by tags (not by name) is what
 * makes a second apply find what the first one created, including resources with generated names.
 */
export const TAG_STACK = 'mooring:apply/stack-name';
export const TAG_LOGICAL_ID = 'mooring:apply/logical-id';
export const TAG_PREFIX = 'mooring:apply/';

export interface Apis {
  ra: RolesAnywhereApi;
  iam: IamApi;
}

export interface ApplyTarget {
  stack: string;
  logicalId: string;
}

/** A resource as it is on the server, with its properties in the template's (normalized) shape. */
export interface LiveResource {
  logicalId: string;
  physicalId: string;
  /** What `Ref` returns. */
  ref: string;
  /** What `Fn::GetAtt` returns, by attribute name. */
  attributes: Record<string, string>;
  state: Record<string, unknown>;
}

export interface OwnedResource {
  logicalId: string;
  physicalId: string;
}

export interface PropertyChange {
  property: string;
  from: unknown;
  to: unknown;
  /** Only a replacement (delete, then create) can apply this change. */
  replace: boolean;
}

export type Props = Record<string, unknown>;

/** One CloudFormation resource type, mapped onto Mooring's APIs. */
export interface ResourceHandler {
  readonly type: string;
  readonly schema: Extract<Schema, { type: 'object' }>;
  /** Attributes for Fn::GetAtt (the resource schema's readOnlyProperties, as CloudFormation names them). */
  readonly attributes: readonly string[];
  /** Validated properties → the comparable desired state (defaults filled in; unmanaged members left out). */
  normalize(props: Props, target: ApplyTarget): Props;
  listOwned(apis: Apis, stack: string): Promise<OwnedResource[]>;
  read(apis: Apis, owned: OwnedResource): Promise<LiveResource>;
  diff(desired: Props, live: LiveResource): PropertyChange[];
  create(apis: Apis, desired: Props, target: ApplyTarget): Promise<LiveResource>;
  update(apis: Apis, live: LiveResource, desired: Props, changes: readonly PropertyChange[]): Promise<LiveResource>;
  delete(apis: Apis, live: LiveResource): Promise<void>;
  /** Replacement; the default is delete then create. */
  replace?(apis: Apis, live: LiveResource, desired: Props, target: ApplyTarget): Promise<LiveResource>;
}

/** JSON with sorted keys: equal values compare equal whatever their member order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** Compares every member of `desired` with the live state; `createOnly` members need a replacement. */
export function diffProperties(desired: Props, state: Props, createOnly: ReadonlySet<string> = new Set()): PropertyChange[] {
  const changes: PropertyChange[] = [];
  for (const [property, to] of Object.entries(desired)) {
    const from = state[property];
    if (canonical(from) !== canonical(to)) changes.push({ property, from, to, replace: createOnly.has(property) });
  }
  return changes;
}

export interface CfnTag {
  Key: string;
  Value: string;
}

/** Template tags in a comparable order; ownership tags are not the user's to set. */
export function userTags(tags: unknown): CfnTag[] {
  const list = Array.isArray(tags) ? (tags as CfnTag[]) : [];
  return list.filter((t) => !t.Key.startsWith(TAG_PREFIX)).sort((a, b) => a.Key.localeCompare(b.Key));
}

export function ownershipTags(target: ApplyTarget): CfnTag[] {
  return [
    { Key: TAG_STACK, Value: target.stack },
    { Key: TAG_LOGICAL_ID, Value: target.logicalId },
  ];
}

/** The logical id a resource's tags give it in `stack`, if it belongs to that stack. */
export function ownerLogicalId(tags: ReadonlyArray<{ key?: string; value?: string; Key?: string; Value?: string }>, stack: string): string | undefined {
  const get = (k: string) => tags.find((t) => (t.key ?? t.Key) === k);
  const s = get(TAG_STACK);
  const l = get(TAG_LOGICAL_ID);
  return s && (s.value ?? s.Value) === stack ? ((l?.value ?? l?.Value) || undefined) : undefined;
}

/**
 * The stack's resources of one Roles Anywhere type: list them all, keep those whose ownership
 * tags name this stack. Shared by the trust-anchor, profile and CRL handlers.
 */
export async function listOwnedRolesAnywhere<T>(
  apis: Apis,
  stack: string,
  list: { operation: string; path: string; key: string },
  ids: (item: T) => { arn: string; id: string },
): Promise<OwnedResource[]> {
  const all = await apis.ra.listAll<T>(list.operation, list.path, list.key);
  const owned: OwnedResource[] = [];
  for (const item of all) {
    const { arn, id } = ids(item);
    const logicalId = ownerLogicalId(await apis.ra.listTags(arn), stack);
    if (logicalId) owned.push({ logicalId, physicalId: id });
  }
  return owned;
}

/** Tag changes as (set, remove) lists. */
export function tagDelta(from: unknown, to: unknown): { set: CfnTag[]; remove: string[] } {
  const before = new Map(userTags(from).map((t) => [t.Key, t.Value]));
  const after = userTags(to);
  return {
    set: after.filter((t) => before.get(t.Key) !== t.Value),
    remove: [...before.keys()].filter((k) => !after.some((t) => t.Key === k)),
  };
}

/** A name generated for a resource that does not set one, like CloudFormation's `stack-LogicalId` (without the random suffix, so it is stable). */
export function generatedName(target: ApplyTarget, max: number): string {
  return `${target.stack}-${target.logicalId}`.slice(0, max);
}

/** Tag schema shared by the Roles Anywhere resource types ([CFN] Tag definition). */
export const RA_TAG_SCHEMA: Schema = {
  type: 'array',
  max: 200,
  items: {
    type: 'object',
    required: ['Key', 'Value'],
    properties: {
      Key: { type: 'string', min: 1, max: 128, pattern: /^[ a-zA-Z0-9_.:/=+@-]*$/ },
      Value: { type: 'string', min: 0, max: 256, pattern: /^[ a-zA-Z0-9_.:/=+@-]*$/ },
    },
  },
};
