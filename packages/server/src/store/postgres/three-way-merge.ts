/**
 * Three-way merge of JSON documents, for saves that raced: `base` is what the writer read,
 * `mine` what it wants to store, `theirs` what another writer committed meanwhile. The result
 * keeps both writers' changes wherever they touched different things:
 * - a value only one side changed takes that side's value;
 * - objects changed on both sides merge member by member;
 * - arrays of `{ key }` items (resource tags) or of strings (role ARNs) changed on both sides
 *   merge as keyed sets: my additions, changes and removals applied to theirs, in their order;
 * - anything else changed on both sides takes mine (the later commit wins that one value).
 * Pure and total: JSON in, JSON out.
 */
export function threeWayMerge(base: unknown, mine: unknown, theirs: unknown): unknown {
  if (same(mine, base)) return theirs;
  if (same(theirs, base) || same(theirs, mine)) return mine;
  if (isObject(base) && isObject(mine) && isObject(theirs)) {
    const out: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(theirs), ...Object.keys(mine)])) {
      const v = threeWayMerge(base[k], mine[k], theirs[k]);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(mine) && Array.isArray(theirs)) {
    const keyOf = keyFunction([...base, ...mine, ...theirs]);
    if (keyOf) return mergeKeyed(base, mine, theirs, keyOf);
  }
  return mine;
}

function mergeKeyed(base: unknown[], mine: unknown[], theirs: unknown[], keyOf: (v: unknown) => string): unknown[] {
  const b = new Map(base.map((v) => [keyOf(v), v]));
  const m = new Map(mine.map((v) => [keyOf(v), v]));
  const out = new Map(theirs.map((v) => [keyOf(v), v]));
  for (const k of b.keys()) if (!m.has(k)) out.delete(k); // I removed it
  for (const [k, v] of m) if (!b.has(k) || !same(b.get(k), v)) out.set(k, v); // I added or changed it
  return [...out.values()];
}

/** Strings key themselves; `{ key: string }` items (tags) key by `key`; otherwise not keyed. */
function keyFunction(items: unknown[]): ((v: unknown) => string) | undefined {
  if (items.every((v) => typeof v === 'string')) return (v) => v as string;
  if (items.every((v) => isObject(v) && typeof v.key === 'string')) return (v) => (v as { key: string }).key;
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => same(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => same(ao[k], bo[k]));
}
