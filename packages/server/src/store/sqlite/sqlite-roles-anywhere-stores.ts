import type Database from 'better-sqlite3';
import type { Crl, CrlVersion } from '../../core/roles-anywhere/crl.js';
import type { Page, PageRequest } from '../../core/roles-anywhere/page.js';
import type { Profile } from '../../core/roles-anywhere/profile.js';
import type { CrlStore, ProfileStore, SubjectStore, TrustAnchorStore } from '../../core/roles-anywhere/stores.js';
import type { Subject } from '../../core/roles-anywhere/subject.js';
import { reviveSubject } from '../rows/subject-rows.js';
import { Lru } from '../../core/session/lru.js';
import { applySubjectAttempt, attemptsBySubject, subjectFromFirstAttempt, type SubjectAttemptWrite } from '../../core/roles-anywhere/subject-attempt.js';
import type { ResourceTag } from '../../core/roles-anywhere/tag.js';
import type { TrustAnchor } from '../../core/roles-anywhere/trust-anchor.js';
import { withRelaxedSync, type SqliteDatabase } from './database.js';
import { DocumentTable, jsonCodec } from './document-table.js';

/** What the audit store calls inside its transaction to apply CreateSession's subject attempts. */
export interface SubjectAttemptApplier {
  applyAttemptsSync(attempts: readonly SubjectAttemptWrite[]): unknown;
}

export class SqliteTrustAnchorStore implements TrustAnchorStore {
  private readonly t: DocumentTable<TrustAnchor>;
  constructor(db: SqliteDatabase) {
    const c = jsonCodec<TrustAnchor>(['createdAt', 'updatedAt']);
    this.t = new DocumentTable(db, 'trust_anchors', c.toRow, c.fromRow);
  }
  async insertTrustAnchor(ta: TrustAnchor) { this.t.insert(ta.trustAnchorId, ta); }
  async getTrustAnchor(id: string) { return this.t.get(id); }
  async saveTrustAnchor(ta: TrustAnchor) { return this.t.replace(ta.trustAnchorId, ta); }
  /** The CRLs go with it through `crls.trust_anchor_id … ON DELETE CASCADE` (migration 003). */
  async deleteTrustAnchor(id: string) { return this.t.delete(id); }
  async listTrustAnchors(page: PageRequest): Promise<Page<TrustAnchor> | 'bad-token'> { return this.t.list(page); }
  async countTrustAnchors() { return this.t.count(); }
}

export class SqliteProfileStore implements ProfileStore {
  private readonly t: DocumentTable<Profile>;
  constructor(db: SqliteDatabase) {
    const c = jsonCodec<Profile>(['createdAt', 'updatedAt']);
    this.t = new DocumentTable(db, 'profiles', c.toRow, c.fromRow);
  }
  async insertProfile(p: Profile) { this.t.insert(p.profileId, p); }
  async getProfile(id: string) { return this.t.get(id); }
  async saveProfile(p: Profile) { return this.t.replace(p.profileId, p); }
  async deleteProfile(id: string) { return this.t.delete(id); }
  async listProfiles(page: PageRequest): Promise<Page<Profile> | 'bad-token'> { return this.t.list(page); }
  async countProfiles() { return this.t.count(); }
}

/** Subjects whose last written document this process remembers (bounded; see SqliteSubjectStore). */
const SUBJECT_CACHE_MAX = 10_000;

type Ids = { subjectId: string; subjectArn: string };

export class SqliteSubjectStore implements SubjectStore, SubjectAttemptApplier {
  private readonly t: DocumentTable<Subject>;
  /**
   * The document this process last wrote or read per subject id, with its parsed form. A row
   * whose `doc` is byte-identical to the remembered one is not parsed again; any other writer
   * (another process, setSubjectTags) changes the text and so misses the cache. The parsed
   * object is never handed out or mutated: attempts build a new one from it.
   */
  private readonly recent = new Lru<{ doc: string; subject: Subject }>(SUBJECT_CACHE_MAX);
  /** DN → ids. Subjects are never deleted (there is no DeleteSubject), so this cannot go stale. */
  private readonly ids = new Lru<Ids>(SUBJECT_CACHE_MAX);
  /** Prepared once: these run inside every audit group commit (compiling SQL per call costs more). */
  private readonly stmt: { docById: Database.Statement; docByDn: Database.Statement; update: Database.Statement; insert: Database.Statement };

  constructor(private readonly db: SqliteDatabase) {
    this.t = new DocumentTable(db, 'subjects', (v) => JSON.stringify(v), reviveSubject);
    this.stmt = {
      docById: db.prepare('SELECT doc FROM subjects WHERE id = ?'),
      docByDn: db.prepare('SELECT doc FROM subjects WHERE x509_subject = ?'),
      update: db.prepare('UPDATE subjects SET doc = ? WHERE id = ?'),
      insert: db.prepare('INSERT INTO subjects (id, x509_subject, doc) VALUES (?, ?, ?)'),
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
        return { ...s, credentials: [...s.credentials], ...(s.instanceProperties ? { instanceProperties: [...s.instanceProperties] } : {}) };
      })(),
    );
  }

  /**
   * Applies attempts on existing subjects; each subject is read and written once however many
   * attempts it has. Call inside a write transaction (the audit store's); returns the results.
   * A subject that is not there (cannot happen: never deleted) is skipped, not an error, so the
   * audit record still commits.
   */
  applyAttemptsSync(attempts: readonly SubjectAttemptWrite[]): Map<string, Subject> {
    const out = new Map<string, Subject>();
    for (const [id, list] of attemptsBySubject(attempts)) {
      const row = this.stmt.docById.get(id) as { doc: string } | undefined;
      if (!row) continue;
      const cached = this.recent.get(id);
      let s = cached && cached.doc === row.doc ? cached.subject : reviveSubject(row.doc);
      for (const a of list) s = applySubjectAttempt(s, a);
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
      const s = reviveSubject(row.doc);
      this.remember(s, row.doc);
      return { subjectId: s.subjectId, subjectArn: s.subjectArn, created: false };
    }
    const s = subjectFromFirstAttempt(newSubject(), x509Subject, attempt);
    const doc = JSON.stringify(s);
    this.stmt.insert.run(s.subjectId, s.x509Subject, doc);
    this.remember(s, doc);
    return { subjectId: s.subjectId, subjectArn: s.subjectArn, created: true };
  }

  private remember(subject: Subject, doc: string): void {
    this.recent.set(subject.subjectId, { doc, subject });
    this.ids.set(subject.x509Subject, { subjectId: subject.subjectId, subjectArn: subject.subjectArn });
  }

  async getSubject(id: string) { return this.t.get(id); }
  async listSubjects(page: PageRequest) { return this.t.list(page); }

  async setSubjectTags(id: string, tags: ResourceTag[]): Promise<boolean> {
    return this.db.transaction(() => {
      const s = this.t.get(id);
      if (!s) return false;
      // The subjects table has no version column (migration 002), so not DocumentTable.replace.
      this.stmt.update.run(JSON.stringify({ ...s, tags }), id);
      return true;
    })();
  }
}

/** The document form of a CRL: the exact imported bytes as base64 (service-spec §0, §7). */
type CrlRow = Omit<Crl, 'crlData'> & { crlData: string };

export class SqliteCrlStore implements CrlStore {
  private readonly t: DocumentTable<Crl>;
  constructor(private readonly db: SqliteDatabase) {
    const dates = jsonCodec<CrlRow>(['createdAt', 'updatedAt', 'thisUpdate', 'nextUpdate']);
    this.t = new DocumentTable<Crl>(
      db,
      'crls',
      (c) => JSON.stringify({ ...c, crlData: c.crlData.toString('base64') }),
      (doc) => {
        const row = dates.fromRow(doc);
        return { ...row, crlData: Buffer.from(row.crlData, 'base64') };
      },
    );
  }
  async insertCrl(crl: Crl) {
    this.db
      .prepare('INSERT INTO crls (id, trust_anchor_id, enabled, doc) VALUES (?, ?, ?, ?)')
      .run(crl.crlId, crl.trustAnchorId, crl.enabled ? 1 : 0, JSON.stringify({ ...crl, crlData: crl.crlData.toString('base64') }));
  }
  async getCrl(id: string) { return this.t.get(id); }
  async saveCrl(crl: Crl) {
    const r = this.db
      .prepare('UPDATE crls SET doc = ?, enabled = ?, version = version + 1 WHERE id = ?')
      .run(JSON.stringify({ ...crl, crlData: crl.crlData.toString('base64') }), crl.enabled ? 1 : 0, crl.crlId);
    return r.changes === 1 ? crl : undefined;
  }
  async deleteCrl(id: string) { return this.t.delete(id); }
  async listCrls(page: PageRequest): Promise<Page<Crl> | 'bad-token'> { return this.t.list(page); }
  async countCrlsForTrustAnchor(trustAnchorId: string): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM crls WHERE trust_anchor_id = ?').get(trustAnchorId) as { n: number }).n;
  }
  async enabledCrlVersions(trustAnchorId: string): Promise<CrlVersion[]> {
    return (this.db.prepare('SELECT id, version FROM crls WHERE trust_anchor_id = ? AND enabled = 1 ORDER BY seq').all(trustAnchorId) as Array<{ id: string; version: number }>)
      .map((r) => ({ crlId: r.id, version: r.version }));
  }
}
