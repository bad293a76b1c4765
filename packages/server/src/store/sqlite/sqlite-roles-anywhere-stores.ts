import type { Crl, CrlVersion } from '../../core/roles-anywhere/crl.js';
import type { Page, PageRequest } from '../../core/roles-anywhere/page.js';
import type { Profile } from '../../core/roles-anywhere/profile.js';
import type { CrlStore, ProfileStore, SubjectStore, TrustAnchorStore } from '../../core/roles-anywhere/stores.js';
import type { CredentialSummary, InstanceProperty, Subject } from '../../core/roles-anywhere/subject.js';
import type { ResourceTag } from '../../core/roles-anywhere/tag.js';
import type { TrustAnchor } from '../../core/roles-anywhere/trust-anchor.js';
import type { SqliteDatabase } from './database.js';
import { DocumentTable, jsonCodec } from './document-table.js';

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

function reviveSubject(doc: string): Subject {
  const s = JSON.parse(doc) as Subject;
  s.createdAt = new Date(s.createdAt);
  s.updatedAt = new Date(s.updatedAt);
  s.lastSeenAt = new Date(s.lastSeenAt);
  s.credentials = s.credentials.map((c: CredentialSummary) => ({ ...c, seenAt: new Date(c.seenAt) }));
  if (s.instanceProperties) s.instanceProperties = s.instanceProperties.map((p: InstanceProperty) => ({ ...p, seenAt: new Date(p.seenAt) }));
  return s;
}

export class SqliteSubjectStore implements SubjectStore {
  private readonly t: DocumentTable<Subject>;
  constructor(private readonly db: SqliteDatabase) {
    this.t = new DocumentTable(db, 'subjects', (v) => JSON.stringify(v), reviveSubject);
  }

  async recordAttempt(input: Parameters<SubjectStore['recordAttempt']>[0]): Promise<Subject> {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT doc FROM subjects WHERE x509_subject = ?').get(input.x509Subject) as { doc: string } | undefined;
      if (!row) {
        const ids = input.newSubject();
        const s: Subject = {
          ...ids, x509Subject: input.x509Subject, enabled: true, createdAt: input.now, updatedAt: input.now, lastSeenAt: input.now,
          credentials: [input.credential], instanceProperties: input.instanceProperties ? [input.instanceProperties] : [],
        };
        this.db.prepare('INSERT INTO subjects (id, x509_subject, doc) VALUES (?, ?, ?)').run(s.subjectId, s.x509Subject, JSON.stringify(s));
        return s;
      }
      const s = reviveSubject(row.doc);
      // Keep the most recent attempt per serial, newest first (service-spec §8).
      const others = s.credentials.filter((c) => c.serialNumber !== input.credential.serialNumber);
      s.credentials = [input.credential, ...others].slice(0, input.keep);
      // Instance properties: the most recent reports, newest first (service-spec §8).
      if (input.instanceProperties) s.instanceProperties = [input.instanceProperties, ...(s.instanceProperties ?? [])].slice(0, input.keep);
      s.updatedAt = input.now;
      s.lastSeenAt = input.now;
      this.db.prepare('UPDATE subjects SET doc = ? WHERE id = ?').run(JSON.stringify(s), s.subjectId);
      return s;
    })();
  }

  async getSubject(id: string) { return this.t.get(id); }
  async listSubjects(page: PageRequest) { return this.t.list(page); }

  async setSubjectTags(id: string, tags: ResourceTag[]): Promise<boolean> {
    return this.db.transaction(() => {
      const s = this.t.get(id);
      if (!s) return false;
      // The subjects table has no version column (migration 002), so not DocumentTable.replace.
      this.db.prepare('UPDATE subjects SET doc = ? WHERE id = ?').run(JSON.stringify({ ...s, tags }), id);
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
