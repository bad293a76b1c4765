import type { Crl, CrlVersion } from '../../core/roles-anywhere/crl.js';
import type { Page, PageRequest } from '../../core/roles-anywhere/page.js';
import type { Profile } from '../../core/roles-anywhere/profile.js';
import type { CrlStore, ProfileStore, TrustAnchorStore } from '../../core/roles-anywhere/stores.js';
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

