import type { CredentialSummary, InstanceProperty, Subject } from './subject.js';

/**
 * One authentication attempt to record on a subject that already exists (service-spec §8).
 * CreateSession hands it to the audit sink with the attempt's audit event, so the subject
 * update and the audit record commit in ONE transaction per group (issue [scale] item 5:
 * subject and audit writes batched without weakening the durability rule).
 */
export interface SubjectAttemptWrite {
  subjectId: string;
  credential: CredentialSummary;
  instanceProperties?: InstanceProperty;
  now: Date;
  /** Credential summaries / instance-property reports kept, newest first. */
  keep: number;
}

/** The subject created by its first attempt. */
export function subjectFromFirstAttempt(
  ids: { subjectId: string; subjectArn: string },
  x509Subject: string,
  a: Omit<SubjectAttemptWrite, 'subjectId'>,
): Subject {
  return {
    ...ids,
    x509Subject,
    enabled: true,
    createdAt: a.now,
    updatedAt: a.now,
    lastSeenAt: a.now,
    credentials: [a.credential],
    instanceProperties: a.instanceProperties ? [a.instanceProperties] : [],
  };
}

/** What a subject's attempt history is made of, whatever form its credentials take (stored or API). */
interface AttemptHistory<C> {
  credentials: C[];
  instanceProperties?: InstanceProperty[];
  updatedAt: Date;
  lastSeenAt: Date;
}

/**
 * `s` after the attempt, as a new object (`s` is not changed): the most recent attempt per
 * serial, newest first, at most `keep`; instance-property reports newest first, at most `keep`
 * (service-spec §8). Generic in the credential's form so the stores can apply attempts to the
 * stored document (certificates by reference, store/rows/subject-rows.ts) without its PEMs.
 */
export function applySubjectAttempt<C extends { serialNumber: string }, S extends AttemptHistory<C>>(
  s: S,
  a: { credential: C; instanceProperties?: InstanceProperty; now: Date; keep: number },
): S {
  const others = s.credentials.filter((c) => c.serialNumber !== a.credential.serialNumber);
  const next: S = { ...s, credentials: [a.credential, ...others].slice(0, a.keep), updatedAt: a.now, lastSeenAt: a.now };
  if (a.instanceProperties) next.instanceProperties = [a.instanceProperties, ...(s.instanceProperties ?? [])].slice(0, a.keep);
  return next;
}

/** Attempts grouped per subject, in arrival order, so each subject is read and written once per batch. */
export function attemptsBySubject(attempts: readonly SubjectAttemptWrite[]): Map<string, SubjectAttemptWrite[]> {
  const out = new Map<string, SubjectAttemptWrite[]>();
  for (const a of attempts) {
    const list = out.get(a.subjectId);
    if (list) list.push(a);
    else out.set(a.subjectId, [a]);
  }
  return out;
}
