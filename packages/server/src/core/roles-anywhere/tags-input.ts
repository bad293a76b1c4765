import { ServiceError } from '../errors/service-error.js';
import type { ResourceTag } from './tag.js';

/**
 * Merges validated wire tags into a resource's tags: a key already present gets the new value
 * (TagResource semantics; within one request the last occurrence wins). More than `max` tags on
 * one resource is TooManyTagsException "Too many tags." (service-spec §1, §3.7), for creates too.
 */
export function mergeTags(current: readonly ResourceTag[], raw: unknown, max: number): ResourceTag[] {
  const byKey = new Map(current.map((t) => [t.key, t.value]));
  for (const t of (raw ?? []) as Array<{ key: string; value: string }>) {
    // The aws: prefix is reserved for AWS (AWS tagging rules), in any case.
    if (t.key.toLowerCase().startsWith('aws:')) throw new ServiceError('ValidationException', "Tag keys starting with 'aws:' are reserved for internal use.", 'reserved-tag-key');
    byKey.delete(t.key); // re-insert so the order reflects the latest write
    byKey.set(t.key, t.value);
  }
  if (byKey.size > max) throw new ServiceError('TooManyTagsException', 'Too many tags.', 'too-many-tags');
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** Tags of a create request (already validated against the model). */
export function parseTags(raw: unknown, max: number): ResourceTag[] {
  return mergeTags([], raw, max);
}
