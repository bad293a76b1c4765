import type { Crl, CrlVersion } from '../../core/roles-anywhere/crl.js';
import type { Page, PageRequest } from '../../core/roles-anywhere/page.js';
import type { Profile } from '../../core/roles-anywhere/profile.js';
import type { CrlStore, ProfileStore, SubjectStore, TrustAnchorStore } from '../../core/roles-anywhere/stores.js';
import type { CredentialSummary, InstanceProperty, Subject } from '../../core/roles-anywhere/subject.js';
import type { ResourceTag } from '../../core/roles-anywhere/tag.js';
import type { TrustAnchor } from '../../core/roles-anywhere/trust-anchor.js';
import { jsonCodec } from '../sqlite/document-table.js';
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

function reviveSubject(doc: string): Subject {
  const s = JSON.parse(doc) as Subject;
  s.createdAt = new Date(s.createdAt);
  s.updatedAt = new Date(s.updatedAt);
  s.lastSeenAt = new Date(s.lastSeenAt);
  s.credentials = s.credentials.map((c: CredentialSummary) => ({ ...c, seenAt: new Date(c.seenAt) }));
  if (s.instanceProperties) s.instanceProperties = s.instanceProperties.map((p: InstanceProperty) => ({ ...p, seenAt: new Date(p.seenAt) }));
  return s;
}

/**
 * Subjects: every write is a patch applied under a row lock, so CreateSessions of one
 * certificate on several replicas, and TagResource, serialise instead of overwriting.
 */
export class PgSubjectStore implements SubjectStore {
  private readonly t: PgDocumentTable<Subject>;
  constructor(private readonly db: PgDatabase) {
    this.t = new PgDocumentTable(db, 'subjects', undefined, { toDoc: (v) => JSON.stringify(v), fromDoc: reviveSubject, readIdentity: (v) => v.createdAt });
  }

  async recordAttempt(input: Parameters<SubjectStore['recordAttempt']>[0]): Promise<Subject> {
    return this.db.tx(async (c) => {
      const lock = () => c.query<{ doc: string }>('SELECT doc FROM subjects WHERE x509_subject = $1 FOR UPDATE', [input.x509Subject]);
      let row = (await lock()).rows[0];
      if (!row) {
        const ids = input.newSubject();
        const s: Subject = {
          ...ids, x509Subject: input.x509Subject, enabled: true, createdAt: input.now, updatedAt: input.now, lastSeenAt: input.now,
          credentials: [input.credential], instanceProperties: input.instanceProperties ? [input.instanceProperties] : [],
        };
        // Another replica may create the same subject at the same moment: the unique DN wins
        // once, and the loser updates the winner's row below instead.
        const ins = await c.query('INSERT INTO subjects (id, x509_subject, doc) VALUES ($1, $2, $3) ON CONFLICT (x509_subject) DO NOTHING', [
          s.subjectId, s.x509Subject, JSON.stringify(s),
        ]);
        if (ins.rowCount === 1) return s;
        row = (await lock()).rows[0]!;
      }
      const s = reviveSubject(row.doc);
      // Keep the most recent attempt per serial, newest first (service-spec §8).
      const others = s.credentials.filter((cr) => cr.serialNumber !== input.credential.serialNumber);
      s.credentials = [input.credential, ...others].slice(0, input.keep);
      if (input.instanceProperties) s.instanceProperties = [input.instanceProperties, ...(s.instanceProperties ?? [])].slice(0, input.keep);
      s.updatedAt = input.now;
      s.lastSeenAt = input.now;
      await c.query('UPDATE subjects SET doc = $1, version = version + 1 WHERE id = $2', [JSON.stringify(s), s.subjectId]);
      return s;
    });
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
