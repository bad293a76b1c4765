import type { Crl, CrlVersion } from '../../core/roles-anywhere/crl.js';
import type { Page, PageRequest } from '../../core/roles-anywhere/page.js';
import type { Profile } from '../../core/roles-anywhere/profile.js';
import type { CrlStore, ProfileStore, TrustAnchorStore } from '../../core/roles-anywhere/stores.js';
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
