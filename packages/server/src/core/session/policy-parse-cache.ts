import { parsePolicyDocument } from '../policy/index.js';
import type { ParsePolicyResult, PolicyKind } from '../policy/policy-types.js';
import { Lru } from './lru.js';

/**
 * Parsed policies of one kind keyed by their exact text. CreateSession evaluates the role's
 * trust policy on every call (service-spec §6.5) and checks the profile's session policy before
 * issuing; parsing the same JSON again each time is pure waste (issue [scale]: no re-parsing on
 * the hot path). The key is the document itself, so a changed policy is a new key and can never
 * be served a stale parse; the evaluation (conditions, time, source IP, tags) still runs on
 * every call. Results are treated as read-only. Bounded: the least recently used entry goes first.
 */
export class PolicyParseCache {
  private readonly m: Lru<ParsePolicyResult>;
  constructor(
    private readonly kind: PolicyKind,
    max = 1000,
  ) {
    this.m = new Lru(max);
  }

  parse(text: string): ParsePolicyResult {
    const hit = this.m.get(text);
    if (hit) return hit;
    const parsed = parsePolicyDocument(text, this.kind);
    this.m.set(text, parsed);
    return parsed;
  }
}
