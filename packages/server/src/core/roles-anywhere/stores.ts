import type { Crl, CrlVersion } from './crl.js';
import type { Page, PageRequest } from './page.js';
import type { Profile } from './profile.js';
import type { SubjectAttemptWrite } from './subject-attempt.js';
import type { CredentialSummary, InstanceProperty, Subject } from './subject.js';
import type { ResourceTag } from './tag.js';
import type { TrustAnchor } from './trust-anchor.js';

/**
 * Storage ports for Roles Anywhere resources. Small and domain-named (style-anchors §8.2):
 * validation, limits and wording live in the services; atomicity lives in the adapters.
 * `nextToken` values are produced and understood by the adapter only; an unknown token is
 * reported as 'bad-token' so the service can answer ValidationException.
 */
export interface TrustAnchorStore {
  insertTrustAnchor(ta: TrustAnchor): Promise<void>;
  getTrustAnchor(id: string): Promise<TrustAnchor | undefined>;
  /** Replaces the stored record; undefined when the anchor no longer exists. */
  saveTrustAnchor(ta: TrustAnchor): Promise<TrustAnchor | undefined>;
  /** Deletes the anchor AND its CRLs in one transaction (our documented cascade, service-spec §14.13). */
  deleteTrustAnchor(id: string): Promise<TrustAnchor | undefined>;
  listTrustAnchors(page: PageRequest): Promise<Page<TrustAnchor> | 'bad-token'>;
  countTrustAnchors(): Promise<number>;
}

export interface ProfileStore {
  insertProfile(p: Profile): Promise<void>;
  getProfile(id: string): Promise<Profile | undefined>;
  saveProfile(p: Profile): Promise<Profile | undefined>;
  deleteProfile(id: string): Promise<Profile | undefined>;
  listProfiles(page: PageRequest): Promise<Page<Profile> | 'bad-token'>;
  countProfiles(): Promise<number>;
}

export interface SubjectStore {
  /**
   * Records an authentication attempt for the subject DN, creating the subject on first
   * sight (service-spec §8) and keeping the most recent `keep` credential summaries.
   */
  recordAttempt(input: {
    x509Subject: string;
    newSubject: () => { subjectId: string; subjectArn: string };
    credential: CredentialSummary;
    instanceProperties?: InstanceProperty;
    now: Date;
    keep: number;
  }): Promise<Subject>;
  /**
   * The subject for the DN: the existing one, or a new one created with this first attempt
   * (`created: true`; the attempt is then already recorded). Subjects are never deleted, so a
   * DN's id can be remembered. CreateSession uses this, then hands later attempts to the audit
   * sink (SubjectAttemptWrite) so they commit with the audit record.
   */
  ensureSubject(input: {
    x509Subject: string;
    newSubject: () => { subjectId: string; subjectArn: string };
    attempt: Omit<SubjectAttemptWrite, 'subjectId'>;
  }): Promise<{ subjectId: string; subjectArn: string; created: boolean }>;
  getSubject(id: string): Promise<Subject | undefined>;
  listSubjects(page: PageRequest): Promise<Page<Subject> | 'bad-token'>;
  /** Replaces the subject's resource tags atomically (attempts may update the same row); false when gone. */
  setSubjectTags(id: string, tags: ResourceTag[]): Promise<boolean>;
}

export interface CrlStore {
  insertCrl(crl: Crl): Promise<void>;
  getCrl(id: string): Promise<Crl | undefined>;
  saveCrl(crl: Crl): Promise<Crl | undefined>;
  deleteCrl(id: string): Promise<Crl | undefined>;
  listCrls(page: PageRequest): Promise<Page<Crl> | 'bad-token'>;
  countCrlsForTrustAnchor(trustAnchorId: string): Promise<number>;
  /**
   * Ids and versions of the ENABLED CRLs of a trust anchor: the CreateSession hot path reads only
   * this small row set and fetches a CRL document only when its version is not cached.
   */
  enabledCrlVersions(trustAnchorId: string): Promise<CrlVersion[]>;
}
