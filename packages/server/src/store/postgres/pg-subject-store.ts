import type { PoolClient } from 'pg';
import type { Page, PageRequest } from '../../core/roles-anywhere/page.js';
import type { SubjectStore } from '../../core/roles-anywhere/stores.js';
import type { Subject } from '../../core/roles-anywhere/subject.js';
import { applySubjectAttempt, attemptsBySubject, subjectFromFirstAttempt, type SubjectAttemptWrite } from '../../core/roles-anywhere/subject-attempt.js';
import type { ResourceTag } from '../../core/roles-anywhere/tag.js';
import { Lru } from '../../core/session/lru.js';
import { certificateKeys, hydrateSubject, refersToCertificate, reviveStoredSubject, storedCredential, storedSubject, type CertificateBody, type StoredSubject } from '../rows/subject-rows.js';
import type { PgDatabase } from './pg-database.js';
import { PgDocumentTable } from './pg-document-table.js';

type Ids = { subjectId: string; subjectArn: string };

/** DNs whose ids this replica remembers; subjects are never deleted, so entries cannot go stale. */
const SUBJECT_IDS_MAX = 10_000;
/** Certificate bodies remembered by key: immutable content, so a cached body cannot go stale. */
const PEM_CACHE_MAX = 10_000;

/**
 * Subjects (service-spec §8) in `subjects` with their credentials' certificates in
 * `subject_certificates`, once per certificate (store/rows/subject-rows.ts). Every write is a
 * patch applied under a row lock, so CreateSessions of one certificate on several replicas, and
 * TagResource, serialise instead of overwriting.
 */
export class PgSubjectStore implements SubjectStore {
  private readonly t: PgDocumentTable<StoredSubject>;
  private readonly ids = new Lru<Ids>(SUBJECT_IDS_MAX);
  private readonly pems = new Lru<string>(PEM_CACHE_MAX);
  constructor(private readonly db: PgDatabase) {
    this.t = new PgDocumentTable(db, 'subjects', undefined, { toDoc: (v) => JSON.stringify(v), fromDoc: reviveStoredSubject, readIdentity: (v) => v.createdAt });
  }

  async ensureSubject(input: Parameters<SubjectStore['ensureSubject']>[0]): Promise<Ids & { created: boolean }> {
    const known = this.ids.get(input.x509Subject);
    if (known) return { ...known, created: false };
    const r = await this.db.tx((c) => this.ensureIn(c, input.x509Subject, input.newSubject, input.attempt));
    this.ids.set(input.x509Subject, { subjectId: r.subjectId, subjectArn: r.subjectArn });
    return r;
  }

  async recordAttempt(input: Parameters<SubjectStore['recordAttempt']>[0]): Promise<Subject> {
    const attempt = { credential: input.credential, now: input.now, keep: input.keep, ...(input.instanceProperties ? { instanceProperties: input.instanceProperties } : {}) };
    const stored = await this.db.tx(async (c) => {
      const r = await this.ensureIn(c, input.x509Subject, input.newSubject, attempt);
      if (r.created) return r.subject!;
      return (await this.applyAttempts(c, [{ subjectId: r.subjectId, ...attempt }])).get(r.subjectId)!;
    });
    return (await this.hydrate([stored]))[0]!;
  }

  /**
   * Applies attempts on existing subjects inside the caller's transaction (the audit batch's):
   * each subject row is locked, read and written once, in id order so that concurrent batches
   * on several replicas lock in the same order and cannot deadlock. Certificates the document
   * does not already refer to are offered to `subject_certificates` by the same statement as
   * the document's update (a data-modifying WITH), so the change costs no extra round trip.
   */
  async applyAttempts(c: PoolClient, attempts: readonly SubjectAttemptWrite[]): Promise<Map<string, StoredSubject>> {
    const out = new Map<string, StoredSubject>();
    const grouped = attemptsBySubject(attempts);
    for (const id of [...grouped.keys()].sort()) {
      const row = (await c.query<{ doc: string }>('SELECT doc FROM subjects WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) continue; // never deleted; if it were, the audit record must still commit
      let s = reviveStoredSubject(row.doc);
      const bodies: CertificateBody[] = [];
      for (const a of grouped.get(id)!) {
        const { credential, certificate } = storedCredential(a.credential);
        if (!refersToCertificate(s, certificate.sha256)) bodies.push(certificate);
        s = applySubjectAttempt(s, { ...a, credential });
      }
      await c.query(
        `WITH bodies AS (${INSERT_CERTIFICATES}) UPDATE subjects SET doc = $3, version = version + 1 WHERE id = $4`,
        [bodies.map((b) => b.sha256), bodies.map((b) => b.pem), JSON.stringify(s), id],
      );
      out.set(id, s);
    }
    return out;
  }

  private async ensureIn(c: PoolClient, x509Subject: string, newSubject: () => Ids, attempt: Omit<SubjectAttemptWrite, 'subjectId'>): Promise<Ids & { created: boolean; subject?: StoredSubject }> {
    const find = async () => (await c.query<{ doc: string }>('SELECT doc FROM subjects WHERE x509_subject = $1', [x509Subject])).rows[0];
    let row = await find();
    if (!row) {
      const { subject: s, certificates } = storedSubject(subjectFromFirstAttempt(newSubject(), x509Subject, attempt));
      // Another replica may create the same subject at the same moment: the unique DN wins
      // once, and the loser records its attempt on the winner's row instead. A body written
      // by the loser is the same bytes under the same key: nothing is left inconsistent.
      await writeCertificates(c, certificates);
      const ins = await c.query('INSERT INTO subjects (id, x509_subject, doc) VALUES ($1, $2, $3) ON CONFLICT (x509_subject) DO NOTHING', [s.subjectId, s.x509Subject, JSON.stringify(s)]);
      if (ins.rowCount === 1) return { subjectId: s.subjectId, subjectArn: s.subjectArn, created: true, subject: s };
      row = (await find())!;
    }
    const s = JSON.parse(row.doc) as Ids;
    return { subjectId: s.subjectId, subjectArn: s.subjectArn, created: false };
  }

  async getSubject(id: string): Promise<Subject | undefined> {
    const s = await this.t.get(id);
    return s ? (await this.hydrate([s]))[0] : undefined;
  }

  async listSubjects(page: PageRequest): Promise<Page<Subject> | 'bad-token'> {
    const p = await this.t.list(page);
    if (p === 'bad-token') return p;
    return { ...p, items: await this.hydrate(p.items) };
  }

  async setSubjectTags(id: string, tags: ResourceTag[]): Promise<boolean> {
    return this.db.tx(async (c) => {
      const row = (await c.query<{ doc: string }>('SELECT doc FROM subjects WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) return false;
      await c.query('UPDATE subjects SET doc = $1, version = version + 1 WHERE id = $2', [JSON.stringify({ ...JSON.parse(row.doc), tags }), id]);
      return true;
    });
  }

  /** The API form of stored subjects: the bodies not cached yet come in one query. */
  private async hydrate(subjects: readonly StoredSubject[]): Promise<Subject[]> {
    const missing = [...new Set(subjects.flatMap(certificateKeys))].filter((k) => this.pems.get(k) === undefined);
    if (missing.length > 0) {
      const r = await this.db.query<{ sha256: string; pem: string }>('SELECT sha256, pem FROM subject_certificates WHERE sha256 = ANY($1::text[])', [missing]);
      for (const row of r.rows) this.pems.set(row.sha256, row.pem);
    }
    return subjects.map((s) => hydrateSubject(s, (k) => this.pems.get(k)));
  }
}

/** Offers certificate bodies ($1 keys, $2 PEMs) to `subject_certificates`; one already there is the same bytes. */
const INSERT_CERTIFICATES = 'INSERT INTO subject_certificates (sha256, pem) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (sha256) DO NOTHING';

async function writeCertificates(c: PoolClient, bodies: readonly CertificateBody[]): Promise<void> {
  if (bodies.length === 0) return;
  await c.query(INSERT_CERTIFICATES, [bodies.map((b) => b.sha256), bodies.map((b) => b.pem)]);
}
