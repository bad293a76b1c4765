import type { CredentialSummary, InstanceProperty, Subject } from '../../core/roles-anywhere/subject.js';

/** A subject document (JSON text, as both adapters store it) back to its typed form. */
export function reviveSubject(doc: string): Subject {
  const s = JSON.parse(doc) as Subject;
  s.createdAt = new Date(s.createdAt);
  s.updatedAt = new Date(s.updatedAt);
  s.lastSeenAt = new Date(s.lastSeenAt);
  s.credentials = s.credentials.map((c: CredentialSummary) => ({ ...c, seenAt: new Date(c.seenAt) }));
  if (s.instanceProperties) s.instanceProperties = s.instanceProperties.map((p: InstanceProperty) => ({ ...p, seenAt: new Date(p.seenAt) }));
  return s;
}
