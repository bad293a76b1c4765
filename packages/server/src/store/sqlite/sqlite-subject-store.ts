import type Database from 'better-sqlite3';
import type { PageRequest } from '../../core/roles-anywhere/page.js';
import type { SubjectStore } from '../../core/roles-anywhere/stores.js';
import type { Subject } from '../../core/roles-anywhere/subject.js';
import { applySubjectAttempt, attemptsBySubject, subjectFromFirstAttempt, type SubjectAttemptWrite } from '../../core/roles-anywhere/subject-attempt.js';
import type { ResourceTag } from '../../core/roles-anywhere/tag.js';
import { Lru } from '../../core/session/lru.js';
import { hydrateSubject, refersToCertificate, reviveStoredSubject, storedCredential, storedSubject, type CertificateBody, type StoredSubject } from '../rows/subject-rows.js';
import { withRelaxedSync, type SqliteDatabase } from './database.js';
import { DocumentTable } from './document-table.js';

/** What the audit store calls inside its transaction to apply CreateSession's subject attempts. */
export interface SubjectAttemptApplier {
  applyAttemptsSync(attempts: readonly SubjectAttemptWrite[]): unknown;
}

/** Subjects whose last written document this process remembers (bounded; see SqliteSubjectStore). */
const SUBJECT_CACHE_MAX = 10_000;
/** Certificate bodies remembered by key: immutable content, so a cached body cannot go stale. */
const PEM_CACHE_MAX = 10_000;

type Ids = { subjectId: string; subjectArn: string };

/**
 * Subjects (service-spec §8) in `subjects` (one JSON document per DN) with their credentials'
 * certificates in `subject_certificates`, once per certificate (store/rows/subject-rows.ts).
 */
export class SqliteSubjectStore implements SubjectStore, SubjectAttemptApplier {
  private readonly t: DocumentTable<Subject>;
  /**
   * The document this process last wrote or read per subject id, with its parsed (stored) form.
   * A row whose `doc` is byte-identical to the remembered one is not parsed again; any other
   * writer (another process, setSubjectTags) changes the text and so misses the cache. The
   * parsed object is never handed out or mutated: attempts build a new one from it.
   */
  private readonly recent = new Lru<{ doc: string; subject: StoredSubject }>(SUBJECT_CACHE_MAX);
  /** DN → ids. Subjects are never deleted (there is no DeleteSubject), so this cannot go stale. */
  private readonly ids = new Lru<Ids>(SUBJECT_CACHE_MAX);
  private readonly pems = new Lru<string>(PEM_CACHE_MAX);
  /** Prepared once: these run inside every audit group commit (compiling SQL per call costs more). */
  private readonly stmt: {
    docById: Database.Statement;
    docByDn: Database.Statement;
    update: Database.Statement;
    insert: Database.Statement;
    insertCertificate: Database.Statement;
    pemByKey: Database.Statement;
  };

  constructor(private readonly db: SqliteDatabase) {
    // Read side only: every write goes through the statements below (certificates go with it).
    const writeElsewhere = (): string => { throw new Error('subjects are written by SqliteSubjectStore only'); };
    this.t = new DocumentTable(db, 'subjects', writeElsewhere, (doc) => this.hydrate(reviveStoredSubject(doc)));
    this.stmt = {
      docById: db.prepare('SELECT doc FROM subjects WHERE id = ?'),
      docByDn: db.prepare('SELECT doc FROM subjects WHERE x509_subject = ?'),
      update: db.prepare('UPDATE subjects SET doc = ? WHERE id = ?'),
      insert: db.prepare('INSERT INTO subjects (id, x509_subject, doc) VALUES (?, ?, ?)'),
      // A body already there is the same bytes (the key is their hash): nothing to write.
      insertCertificate: db.prepare('INSERT OR IGNORE INTO subject_certificates (sha256, pem) VALUES (?, ?)'),
      pemByKey: db.prepare('SELECT pem FROM subject_certificates WHERE sha256 = ?').pluck(),
    };
  }

  /**
   * Durability of the writes here: they commit with `synchronous = NORMAL`, i.e. without their
   * own fsync. In WAL mode such a commit is atomic and survives a process crash; only an OS crash
   * or power loss before the next fsync of the WAL can roll it back (sqlite.org/pragma.html#pragma_synchronous,
   * sqlite.org/wal.html). CreateSession, the caller, then records the attempt's audit event on
   * this same connection with `synchronous = FULL` before it answers; that commit fsyncs the WAL,
   * which holds these frames before it, so a new subject is durable before the response. Later
   * attempts on the subject do not come here at all: they travel with the audit record
   * (applyAttemptsSync, inside the audit transaction).
   */
  async ensureSubject(input: Parameters<SubjectStore['ensureSubject']>[0]): Promise<Ids & { created: boolean }> {
    const known = this.ids.get(input.x509Subject);
    if (known) return { ...known, created: false };
    return withRelaxedSync(this.db, () => this.db.transaction(() => this.ensureSync(input.x509Subject, input.newSubject, input.attempt))());
  }

  /** Immediate form (tests, tools): ensure, then apply the attempt in the same transaction. */
  async recordAttempt(input: Parameters<SubjectStore['recordAttempt']>[0]): Promise<Subject> {
    const attempt = { credential: input.credential, now: input.now, keep: input.keep, ...(input.instanceProperties ? { instanceProperties: input.instanceProperties } : {}) };
    return withRelaxedSync(this.db, () =>
      this.db.transaction(() => {
        const r = this.ensureSync(input.x509Subject, input.newSubject, attempt);
        const s = r.created ? this.recent.get(r.subjectId)!.subject : this.applyAttemptsSync([{ subjectId: r.subjectId, ...attempt }]).get(r.subjectId)!;
        return this.hydrate(s);
      })(),
    );
  }

  /**
   * Applies attempts on existing subjects; each subject is read and written once however many
   * attempts it has, and only a certificate the document does not already refer to is offered
   * to `subject_certificates`. Call inside a write transaction (the audit store's); returns the
   * results in stored form. A subject that is not there (cannot happen: never deleted) is
   * skipped, not an error, so the audit record still commits.
   */
  applyAttemptsSync(attempts: readonly SubjectAttemptWrite[]): Map<string, StoredSubject> {
    const out = new Map<string, StoredSubject>();
    for (const [id, list] of attemptsBySubject(attempts)) {
      const row = this.stmt.docById.get(id) as { doc: string } | undefined;
      if (!row) continue;
      const cached = this.recent.get(id);
      let s = cached && cached.doc === row.doc ? cached.subject : reviveStoredSubject(row.doc);
      for (const a of list) {
        const { credential, certificate } = storedCredential(a.credential);
        if (!refersToCertificate(s, certificate.sha256)) this.writeCertificate(certificate);
        s = applySubjectAttempt(s, { ...a, credential });
      }
      const doc = JSON.stringify(s);
      this.stmt.update.run(doc, id);
      this.remember(s, doc);
      out.set(id, s);
    }
    return out;
  }

  private ensureSync(x509Subject: string, newSubject: () => Ids, attempt: Omit<SubjectAttemptWrite, 'subjectId'>): Ids & { created: boolean } {
    const row = this.stmt.docByDn.get(x509Subject) as { doc: string } | undefined;
    if (row) {
      const s = reviveStoredSubject(row.doc);
      this.remember(s, row.doc);
      return { subjectId: s.subjectId, subjectArn: s.subjectArn, created: false };
    }
    const { subject: s, certificates } = storedSubject(subjectFromFirstAttempt(newSubject(), x509Subject, attempt));
    for (const c of certificates) this.writeCertificate(c);
    const doc = JSON.stringify(s);
    this.stmt.insert.run(s.subjectId, s.x509Subject, doc);
    this.remember(s, doc);
    return { subjectId: s.subjectId, subjectArn: s.subjectArn, created: true };
  }

  private writeCertificate(c: CertificateBody): void {
    this.stmt.insertCertificate.run(c.sha256, c.pem);
  }

  private remember(subject: StoredSubject, doc: string): void {
    this.recent.set(subject.subjectId, { doc, subject });
    this.ids.set(subject.x509Subject, { subjectId: subject.subjectId, subjectArn: subject.subjectArn });
  }

  private hydrate(s: StoredSubject): Subject {
    return hydrateSubject(s, (key) => {
      let pem = this.pems.get(key);
      if (pem === undefined) {
        pem = this.stmt.pemByKey.get(key) as string | undefined;
        if (pem !== undefined) this.pems.set(key, pem);
      }
      return pem;
    });
  }

  async getSubject(id: string) { return this.t.get(id); }
  async listSubjects(page: PageRequest) { return this.t.list(page); }

  async setSubjectTags(id: string, tags: ResourceTag[]): Promise<boolean> {
    return this.db.transaction(() => {
      const row = this.stmt.docById.get(id) as { doc: string } | undefined;
      if (!row) return false;
      // The stored document as it is (certificates by reference); the subjects table has no
      // version column (migration 002), so not DocumentTable.replace.
      this.stmt.update.run(JSON.stringify({ ...(JSON.parse(row.doc) as StoredSubject), tags }), id);
      return true;
    })();
  }
}
