import { sha256Hex } from '@mooring/protocol';
import type { CredentialSummary, InstanceProperty, Subject } from '../../core/roles-anywhere/subject.js';

/**
 * A credential summary as both adapters store it: the certificate's PEM lives once in the
 * `subject_certificates` table, keyed by the SHA-256 of the PEM text, and the subject document
 * holds only that key. CreateSession rewrites the subject document on every attempt (seenAt,
 * lastSeenAt, the order of the history), and with up to `subjectHistory` PEMs inline (~1 KB
 * each) that rewrite was ~10 KB of JSON and several overflow pages per group commit for a DN
 * with many certificates (issue [scale] item 5). A certificate's bytes never change, so they are
 * written once, on its first attempt.
 *
 * `x509CertificateData` instead of `certificateSha256`: a document written before the
 * certificates table existed (or by an older replica); it stays readable as it is, and the
 * entry goes when it falls out of the history.
 */
export type StoredCredential = Omit<CredentialSummary, 'x509CertificateData'> & ({ certificateSha256: string } | { x509CertificateData: string });

/** A subject document as stored (see StoredCredential). */
export type StoredSubject = Omit<Subject, 'credentials'> & { credentials: StoredCredential[] };

/** A certificate body to write once (INSERT … ON CONFLICT DO NOTHING) with the document that refers to it. */
export interface CertificateBody {
  sha256: string;
  pem: string;
}

/** The stored form of a credential summary and the certificate body it refers to. */
export function storedCredential(c: CredentialSummary): { credential: StoredCredential; certificate: CertificateBody } {
  const { x509CertificateData: pem, ...rest } = c;
  const sha256 = sha256Hex(pem);
  return { credential: { ...rest, certificateSha256: sha256 }, certificate: { sha256, pem } };
}

/** The stored form of a whole subject (a new subject, tests) and the bodies it refers to. */
export function storedSubject(s: Subject): { subject: StoredSubject; certificates: CertificateBody[] } {
  const split = s.credentials.map(storedCredential);
  return { subject: { ...s, credentials: split.map((x) => x.credential) }, certificates: split.map((x) => x.certificate) };
}

/** A stored subject document (JSON text, as both adapters store it) back to its typed, stored form. */
export function reviveStoredSubject(doc: string): StoredSubject {
  const s = JSON.parse(doc) as StoredSubject;
  s.createdAt = new Date(s.createdAt);
  s.updatedAt = new Date(s.updatedAt);
  s.lastSeenAt = new Date(s.lastSeenAt);
  s.credentials = s.credentials.map((c) => ({ ...c, seenAt: new Date(c.seenAt) }));
  if (s.instanceProperties) s.instanceProperties = s.instanceProperties.map((p: InstanceProperty) => ({ ...p, seenAt: new Date(p.seenAt) }));
  return s;
}

/** Does the stored subject already refer to this certificate body (so the body is already stored)? */
export function refersToCertificate(s: StoredSubject, sha256: string): boolean {
  return s.credentials.some((c) => 'certificateSha256' in c && c.certificateSha256 === sha256);
}

/** The certificate keys a stored subject refers to (documents with inline PEMs refer to none). */
export function certificateKeys(s: StoredSubject): string[] {
  const out: string[] = [];
  for (const c of s.credentials) if ('certificateSha256' in c) out.push(c.certificateSha256);
  return out;
}

/**
 * The API form of a stored subject, each credential with its PEM. A body that is missing (which
 * the write path cannot produce: the body commits in the same transaction as the first document
 * that refers to it) is an error, not an empty string that would look like data.
 */
export function hydrateSubject(s: StoredSubject, pemOf: (sha256: string) => string | undefined): Subject {
  const credentials = s.credentials.map((c): CredentialSummary => {
    if (!('certificateSha256' in c)) return { ...c };
    const { certificateSha256: sha256, ...rest } = c;
    const pem = pemOf(sha256);
    if (pem === undefined) throw new Error(`subject ${s.subjectId}: certificate ${sha256} is missing from subject_certificates`);
    return { ...rest, x509CertificateData: pem };
  });
  // New arrays: the stores keep the stored form cached, and what they hand out must not alias it.
  const out: Subject = { ...s, credentials };
  if (s.instanceProperties) out.instanceProperties = [...s.instanceProperties];
  if (s.tags) out.tags = [...s.tags];
  return out;
}
