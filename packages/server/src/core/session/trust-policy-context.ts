import type { ContextValue } from '../policy/index.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { TrustAnchor } from '../roles-anywhere/trust-anchor.js';
import type { SessionTag } from './session-tags.js';

/**
 * Condition keys present while the role's trust policy is evaluated for CreateSession
 * (service-spec §6.5, §4.7): principal tags from the certificate, the trust anchor as
 * aws:SourceArn / aws:SourceAccount, sts:SourceIdentity, plus the global keys.
 * aws:RequestTag/* and aws:TagKeys are populated too (harmless, and TagSession conditions use them).
 */
export function trustPolicyContext(input: {
  config: ServiceConfig;
  ta: TrustAnchor;
  tags: readonly SessionTag[];
  sourceIdentity: string;
  sessionName: string;
  now: Date;
  sourceIp: string;
}): Record<string, ContextValue> {
  const ctx: Record<string, ContextValue> = {
    'aws:SourceArn': input.ta.trustAnchorArn,
    'aws:SourceAccount': input.config.accountId,
    'sts:SourceIdentity': input.sourceIdentity,
    'sts:RoleSessionName': input.sessionName,
    'aws:CurrentTime': input.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(input.now.getTime() / 1000)),
    'aws:SourceIp': input.sourceIp,
    'aws:SecureTransport': 'true',
    'aws:TagKeys': input.tags.map((t) => t.key),
  };
  for (const t of input.tags) {
    ctx[`aws:PrincipalTag/${t.key}`] = t.value;
    ctx[`aws:RequestTag/${t.key}`] = t.value;
  }
  return ctx;
}
