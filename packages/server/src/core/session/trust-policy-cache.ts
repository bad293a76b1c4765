import { parsePolicyDocument } from '../policy/index.js';
import type { ParsePolicyResult } from '../policy/policy-types.js';
import { Lru } from './lru.js';

/**
 * Parsed trust policies keyed by their exact text. CreateSession evaluates the role's trust
 * policy on every call (service-spec §6.5); parsing the same JSON again each time is pure
 * waste (issue [scale]: no re-parsing on the hot path). The key is the document itself, so an
 * UpdateAssumeRolePolicy is a new key and can never be served a stale parse; the evaluation
 * (conditions, time, source IP, tags) still runs on every call. Results are treated as
 * read-only by the evaluator. Bounded: the least recently used entry goes first.
 */
export class TrustPolicyCache {
  private readonly m: Lru<ParsePolicyResult>;
  constructor(max = 1000) {
    this.m = new Lru(max);
  }

  parse(text: string): ParsePolicyResult {
    const hit = this.m.get(text);
    if (hit) return hit;
    const parsed = parsePolicyDocument(text, 'trust');
    this.m.set(text, parsed);
    return parsed;
  }
}
