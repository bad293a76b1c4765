import { isoMicros } from '@mooring/protocol';
import type { Crl } from '../core/roles-anywhere/crl.js';
import type { Profile } from '../core/roles-anywhere/profile.js';
import type { Subject } from '../core/roles-anywhere/subject.js';
import type { TrustAnchor } from '../core/roles-anywhere/trust-anchor.js';

/**
 * Domain → wire JSON (botocore rolesanywhere model, service-spec §3). Timestamps carry
 * microseconds and 'Z' (§0); optional members never set are omitted (§3.2).
 */
export function trustAnchorDetail(ta: TrustAnchor): Record<string, unknown> {
  return {
    trustAnchorId: ta.trustAnchorId,
    trustAnchorArn: ta.trustAnchorArn,
    name: ta.name,
    source: ta.source,
    enabled: ta.enabled,
    createdAt: isoMicros(ta.createdAt),
    updatedAt: isoMicros(ta.updatedAt),
    notificationSettings: ta.notificationSettings,
  };
}

export function profileDetail(p: Profile): Record<string, unknown> {
  const out: Record<string, unknown> = {
    profileId: p.profileId,
    profileArn: p.profileArn,
    name: p.name,
    enabled: p.enabled,
    createdBy: p.createdBy,
    roleArns: p.roleArns,
    createdAt: isoMicros(p.createdAt),
    updatedAt: isoMicros(p.updatedAt),
    durationSeconds: p.durationSeconds,
    acceptRoleSessionName: p.acceptRoleSessionName,
    attributeMappings: p.attributeMappings,
  };
  if (p.requireInstanceProperties !== undefined) out.requireInstanceProperties = p.requireInstanceProperties;
  if (p.sessionPolicy !== undefined) out.sessionPolicy = p.sessionPolicy;
  if (p.managedPolicyArns !== undefined) out.managedPolicyArns = p.managedPolicyArns;
  return out;
}

export function subjectSummary(s: Subject): Record<string, unknown> {
  return {
    subjectArn: s.subjectArn,
    subjectId: s.subjectId,
    enabled: s.enabled,
    x509Subject: s.x509Subject,
    lastSeenAt: isoMicros(s.lastSeenAt),
    createdAt: isoMicros(s.createdAt),
    updatedAt: isoMicros(s.updatedAt),
  };
}

export function subjectDetail(s: Subject): Record<string, unknown> {
  return {
    ...subjectSummary(s),
    credentials: s.credentials.map((c) => ({ ...c, seenAt: isoMicros(c.seenAt) })),
    instanceProperties: (s.instanceProperties ?? []).map((p) => ({ seenAt: isoMicros(p.seenAt), properties: p.properties, failed: p.failed })),
  };
}

/** CrlDetail (service-spec §3.4): `crlData` is the imported bytes, base64 again (§0). */
export function crlDetail(c: Crl): Record<string, unknown> {
  return {
    crlId: c.crlId,
    crlArn: c.crlArn,
    name: c.name,
    enabled: c.enabled,
    crlData: c.crlData.toString('base64'),
    trustAnchorArn: c.trustAnchorArn,
    createdAt: isoMicros(c.createdAt),
    updatedAt: isoMicros(c.updatedAt),
  };
}
