import { checkConstraints, PATTERNS } from '../errors/constraints.js';
import type { ResourceTag } from './tag.js';

/** Validates a wire `tags` list (service-spec §1: key 1..128, value 0..256, same alphabet). */
export function parseTags(raw: unknown): ResourceTag[] {
  if (raw === undefined || raw === null) return [];
  const list = raw as Array<Record<string, unknown>>;
  return list.map((t, i) => {
    const invalid = checkConstraints({ [`tags.${i + 1}.member.key`]: t?.key, [`tags.${i + 1}.member.value`]: t?.value }, [
      { member: `tags.${i + 1}.member.key`, required: true, min: 1, max: 128, pattern: PATTERNS.tagKey.re, patternText: PATTERNS.tagKey.text },
      { member: `tags.${i + 1}.member.value`, required: true, min: 0, max: 256, pattern: PATTERNS.tagKey.re, patternText: PATTERNS.tagKey.text },
    ]);
    if (invalid) throw invalid;
    return { key: t.key as string, value: t.value as string };
  });
}
