import type { Page, PageRequest } from './page.js';
import type { Profile } from './profile.js';
import type { CredentialSummary, Subject } from './subject.js';
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
  recordAttempt(input: { x509Subject: string; newSubject: () => { subjectId: string; subjectArn: string }; credential: CredentialSummary; now: Date; keep: number }): Promise<Subject>;
  getSubject(id: string): Promise<Subject | undefined>;
  listSubjects(page: PageRequest): Promise<Page<Subject> | 'bad-token'>;
}
