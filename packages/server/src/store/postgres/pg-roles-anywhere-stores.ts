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
import { jsonCodec } from '../sqlite/document-table.js';
import type { PoolClient } from 'pg';
import type { PgDatabase } from './pg-database.js';
import { PgDocumentTable, type DocumentCodec } from './pg-document-table.js';

function datedCodec<T extends { createdAt: Date }>(dateFields: readonly string[]): DocumentCodec<T> {
  const c = jsonCodec<T>(dateFields);
  return { toDoc: c.toRow, fromDoc: c.fromRow, readIdentity: (v) => v.createdAt };
}

export class PgTrustAnchorStore implements TrustAnchorStore {
  private readonly t: PgDocumentTable<TrustAnchor>;
  constructor(db: PgDatabase) {
    this.t = new PgDocumentTable(db, 'trust_anchors', 'trust-anchor', datedCodec<TrustAnchor>(['createdAt', 'updatedAt']));
  }
  insertTrustAnchor(ta: TrustAnchor) { return this.t.insert(ta.trustAnchorId, ta); }
  getTrustAnchor(id: string) { return this.t.get(id); }
  saveTrustAnchor(ta: TrustAnchor) { return this.t.replace(ta.trustAnchorId, ta); }
  /** The CRLs go with it (`crls.trust_anchor_id … ON DELETE CASCADE`), in the same statement. */
  deleteTrustAnchor(id: string) { return this.t.delete(id); }
  listTrustAnchors(page: PageRequest): Promise<Page<TrustAnchor> | 'bad-token'> { return this.t.list(page); }
  countTrustAnchors() { return this.t.count(); }
}

export class PgProfileStore implements ProfileStore {
  private readonly t: PgDocumentTable<Profile>;
  constructor(db: PgDatabase) {
    this.t = new PgDocumentTable(db, 'profiles', 'profile', datedCodec<Profile>(['createdAt', 'updatedAt']));
  }
  insertProfile(p: Profile) { return this.t.insert(p.profileId, p); }
  getProfile(id: string) { return this.t.get(id); }
  saveProfile(p: Profile) { return this.t.replace(p.profileId, p); }
  deleteProfile(id: string) { return this.t.delete(id); }
  listProfiles(page: PageRequest): Promise<Page<Profile> | 'bad-token'> { return this.t.list(page); }
  countProfiles() { return this.t.count(); }
}

/** The document form of a CRL: the exact imported bytes as base64 (service-spec §0, §7), as in SQLite. */
type CrlRow = Omit<Crl, 'crlData'> & { crlData: string };

export class PgCrlStore implements CrlStore {
  private readonly t: PgDocumentTable<Crl>;
  constructor(private readonly db: PgDatabase) {
    const dates = jsonCodec<CrlRow>(['createdAt', 'updatedAt', 'thisUpdate', 'nextUpdate']);
    this.t = new PgDocumentTable<Crl>(db, 'crls', 'crl', {
      toDoc: (c) => JSON.stringify({ ...c, crlData: c.crlData.toString('base64') }),
      fromDoc: (doc) => {
        const row = dates.fromRow(doc);
        return { ...row, crlData: Buffer.from(row.crlData, 'base64') };
      },
      readIdentity: (c) => c.createdAt,
      // `enabled` is a column so the hot path reads (id, version) of enabled CRLs without documents.
      columns: (c) => ({ trust_anchor_id: c.trustAnchorId, enabled: c.enabled }),
    });
  }
  insertCrl(crl: Crl) { return this.t.insert(crl.crlId, crl); }
  getCrl(id: string) { return this.t.get(id); }
  saveCrl(crl: Crl) { return this.t.replace(crl.crlId, crl); }
  deleteCrl(id: string) { return this.t.delete(id); }
  listCrls(page: PageRequest): Promise<Page<Crl> | 'bad-token'> { return this.t.list(page); }
  async countCrlsForTrustAnchor(trustAnchorId: string): Promise<number> {
    const r = await this.db.query<{ n: string }>('SELECT COUNT(*) AS n FROM crls WHERE trust_anchor_id = $1', [trustAnchorId]);
    return Number(r.rows[0]!.n);
  }
  async enabledCrlVersions(trustAnchorId: string): Promise<CrlVersion[]> {
    const r = await this.db.query<{ id: string; version: number }>(
      'SELECT id, version FROM crls WHERE trust_anchor_id = $1 AND enabled ORDER BY seq',
      [trustAnchorId],
    );
    return r.rows.map((row) => ({ crlId: row.id, version: row.version }));
  }
}

type Ids = { subjectId: string; subjectArn: string };

/** DNs whose ids this replica remembers; subjects are never deleted, so entries cannot go stale. */
const SUBJECT_IDS_MAX = 10_000;

/**
 * Subjects: every write is a patch applied under a row lock, so CreateSessions of one
 * certificate on several replicas, and TagResource, serialise instead of overwriting.
 */
export class PgSubjectStore implements SubjectStore {
  private readonly t: PgDocumentTable<Subject>;
  private readonly ids = new Lru<Ids>(SUBJECT_IDS_MAX);
  constructor(private readonly db: PgDatabase) {
    this.t = new PgDocumentTable(db, 'subjects', undefined, { toDoc: (v) => JSON.stringify(v), fromDoc: reviveSubject, readIdentity: (v) => v.createdAt });
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
    return this.db.tx(async (c) => {
      const r = await this.ensureIn(c, input.x509Subject, input.newSubject, attempt);
      if (r.created) return r.subject!;
      return (await this.applyAttempts(c, [{ subjectId: r.subjectId, ...attempt }])).get(r.subjectId)!;
    });
  }

  /**
   * Applies attempts on existing subjects inside the caller's transaction (the audit batch's):
   * each subject row is locked, read and written once, in id order so that concurrent batches
   * on several replicas lock in the same order and cannot deadlock.
   */
  async applyAttempts(c: PoolClient, attempts: readonly SubjectAttemptWrite[]): Promise<Map<string, Subject>> {
    const out = new Map<string, Subject>();
    const grouped = attemptsBySubject(attempts);
    for (const id of [...grouped.keys()].sort()) {
      const row = (await c.query<{ doc: string }>('SELECT doc FROM subjects WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) continue; // never deleted; if it were, the audit record must still commit
      let s = reviveSubject(row.doc);
      for (const a of grouped.get(id)!) s = applySubjectAttempt(s, a);
      await c.query('UPDATE subjects SET doc = $1, version = version + 1 WHERE id = $2', [JSON.stringify(s), id]);
      out.set(id, s);
    }
    return out;
  }

  private async ensureIn(c: PoolClient, x509Subject: string, newSubject: () => Ids, attempt: Omit<SubjectAttemptWrite, 'subjectId'>): Promise<Ids & { created: boolean; subject?: Subject }> {
    const find = async () => (await c.query<{ doc: string }>('SELECT doc FROM subjects WHERE x509_subject = $1', [x509Subject])).rows[0];
    let row = await find();
    if (!row) {
      const s = subjectFromFirstAttempt(newSubject(), x509Subject, attempt);
      // Another replica may create the same subject at the same moment: the unique DN wins
      // once, and the loser records its attempt on the winner's row instead.
      const ins = await c.query('INSERT INTO subjects (id, x509_subject, doc) VALUES ($1, $2, $3) ON CONFLICT (x509_subject) DO NOTHING', [s.subjectId, s.x509Subject, JSON.stringify(s)]);
      if (ins.rowCount === 1) return { subjectId: s.subjectId, subjectArn: s.subjectArn, created: true, subject: s };
      row = (await find())!;
    }
    const s = JSON.parse(row.doc) as Ids;
    return { subjectId: s.subjectId, subjectArn: s.subjectArn, created: false };
  }

  getSubject(id: string) { return this.t.get(id); }
  listSubjects(page: PageRequest) { return this.t.list(page); }

  async setSubjectTags(id: string, tags: ResourceTag[]): Promise<boolean> {
    return this.db.tx(async (c) => {
      const row = (await c.query<{ doc: string }>('SELECT doc FROM subjects WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) return false;
      await c.query('UPDATE subjects SET doc = $1, version = version + 1 WHERE id = $2', [JSON.stringify({ ...JSON.parse(row.doc), tags }), id]);
      return true;
    });
  }
}
