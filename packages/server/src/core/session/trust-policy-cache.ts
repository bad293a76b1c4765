import { parsePolicyDocument } from '../policy/index.js';
import type { ParsePolicyResult } from '../policy/policy-types.js';

/**
 * Parsed trust policies keyed by their exact text. CreateSession evaluates the role's trust
 * policy on every call (service-spec §6.5); parsing the same JSON again each time is pure
 * waste (issue [scale]: no re-parsing on the hot path). The key is the document itself, so an
 * UpdateAssumeRolePolicy is a new key and can never be served a stale parse; the evaluation
 * (conditions, time, source IP, tags) still runs on every call. Results are treated as
 * read-only by the evaluator. Bounded: the oldest entry goes first.
 */
export class TrustPolicyCache {
  private readonly m = new Map<string, ParsePolicyResult>();
  constructor(private readonly max = 1000) {}

  parse(text: string): ParsePolicyResult {
    const hit = this.m.get(text);
    if (hit) return hit;
    const parsed = parsePolicyDocument(text, 'trust');
    if (this.m.size >= this.max) this.m.delete(this.m.keys().next().value as string);
    this.m.set(text, parsed);
    return parsed;
  }
}
