import type { ContextValue } from './policy-types.js';

/**
 * Case-insensitive view of the request context. IAM: "Condition key names are not case-sensitive"
 * (IAM JSON policy reference, Condition element). Values keep their case.
 */
export interface ContextLookup {
  /** undefined when absent; an empty array when present with no values. */
  get(key: string): string[] | undefined;
}

export function createContextLookup(context: Record<string, ContextValue>): ContextLookup {
  const map = new Map<string, string[]>();
  for (const [key, value] of Object.entries(context)) {
    map.set(key.toLowerCase(), typeof value === 'string' ? [value] : [...value]);
  }
  return { get: (key) => map.get(key.toLowerCase()) };
}
