import { ValidationError } from '../../core/iam/iam-errors.js';
import type { Tag } from '../../core/iam/role.js';

/**
 * Reading Query-protocol members (botocore query serializer): scalars by name, lists as
 * `Name.member.N`, structures in lists as `Name.member.N.Field`. Typed members that do not
 * parse become IAM's ValidationError rather than a silent default.
 */
export type Params = ReadonlyMap<string, string>;

/** Integer members arrive as text; a non-number is a ValidationError like IAM's. */
export function int(params: Params, name: string, member: string): number | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  if (!/^-?\d{1,15}$/.test(raw.trim())) throw new ValidationError([{ member, value: raw, constraint: 'Member must be a number' }]);
  return Number(raw.trim());
}

/** Boolean members: botocore sends `true`/`false`. */
export function bool(params: Params, name: string, member: string): boolean | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (v !== 'true' && v !== 'false') throw new ValidationError([{ member, value: raw, constraint: 'Member must be a boolean' }]);
  return v === 'true';
}

/** `Name.member.N` → values ordered by N; `Name=` alone (botocore's empty list) → []. */
export function stringList(params: Params, name: string): string[] | undefined {
  const re = new RegExp(`^${name}\\.member\\.([1-9]\\d{0,8})$`);
  const found: Array<[number, string]> = [];
  for (const [k, v] of params) {
    const m = re.exec(k);
    if (m) found.push([Number(m[1]), v]);
  }
  if (found.length === 0) return params.has(name) ? [] : undefined;
  return found.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** `Tags.member.N.Key` / `Tags.member.N.Value`, ordered by N (Query list serialisation). */
export function tags(params: Params, name = 'Tags'): Tag[] | undefined {
  const re = new RegExp(`^${name}\\.member\\.([1-9]\\d{0,8})\\.(Key|Value)$`);
  const byIndex = new Map<number, { key?: string; value?: string }>();
  for (const [k, value] of params) {
    const m = re.exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    const entry = byIndex.get(i) ?? {};
    if (m[2] === 'Key') entry.key = value;
    else entry.value = value;
    byIndex.set(i, entry);
  }
  if (byIndex.size === 0) return params.has(name) ? [] : undefined;
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t as Tag);
}

/** Drops undefined members, so services see "absent" rather than "present but undefined". */
export function optional<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}
