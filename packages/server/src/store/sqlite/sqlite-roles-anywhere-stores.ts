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

/** Subjects whose last written document this process remembers (bounded; see recordAttempt). */
const SUBJECT_CACHE_MAX = 10_000;

export class SqliteSubjectStore implements SubjectStore {
  private readonly t: DocumentTable<Subject>;
  /**
   * The document this process last wrote or read per x509 subject, with its parsed form. A row
   * whose `doc` is byte-identical to the remembered one is not parsed again; any other writer
   * (another process, setSubjectTags) changes the text and so misses the cache. The parsed
   * object is never handed out or mutated: recordAttempt builds a new one from it.
   */
  private readonly recent = new Map<string, { doc: string; subject: Subject }>();
  private readonly relaxed: () => void;
  private readonly strict: () => void;

  constructor(private readonly db: SqliteDatabase) {
    this.t = new DocumentTable(db, 'subjects', (v) => JSON.stringify(v), reviveSubject);
    const normal = db.prepare('PRAGMA synchronous = NORMAL');
    const full = db.prepare('PRAGMA synchronous = FULL');
    this.relaxed = () => normal.run();
    this.strict = () => full.run();
  }

  /**
   * Durability: the transaction commits with `synchronous = NORMAL`, i.e. without its own fsync.
   * In WAL mode that commit is atomic and survives a process crash; only an OS crash or power
   * loss before the next fsync of the WAL can roll it back (sqlite.org/pragma.html#pragma_synchronous,
   * sqlite.org/wal.html). Its only caller, CreateSession, records the attempt's audit event on
   * this same database connection with `synchronous = FULL` before it answers; that commit
   * fsyncs the WAL file, which holds this transaction's frames before it, so the subject record
   * is durable before the response exactly as before, at one fsync per request (or per audit
   * group) instead of two. A crash before that fsync loses the attempt together with its audit
   * record, for a request nobody was answered for.
   */
  async recordAttempt(input: Parameters<SubjectStore['recordAttempt']>[0]): Promise<Subject> {
    this.relaxed();
    try {
      return this.recordTx(input);
    } finally {
      this.strict();
    }
  }

  private recordTx(input: Parameters<SubjectStore['recordAttempt']>[0]): Subject {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT doc FROM subjects WHERE x509_subject = ?').get(input.x509Subject) as { doc: string } | undefined;
      if (!row) {
        const ids = input.newSubject();
        const s: Subject = {
          ...ids, x509Subject: input.x509Subject, enabled: true, createdAt: input.now, updatedAt: input.now, lastSeenAt: input.now,
          credentials: [input.credential], instanceProperties: input.instanceProperties ? [input.instanceProperties] : [],
        };
        const doc = JSON.stringify(s);
        this.db.prepare('INSERT INTO subjects (id, x509_subject, doc) VALUES (?, ?, ?)').run(s.subjectId, s.x509Subject, doc);
        this.remember(s.x509Subject, doc, s);
        return { ...s, credentials: [...s.credentials], instanceProperties: [...(s.instanceProperties ?? [])] };
      }
      const cached = this.recent.get(input.x509Subject);
      const current = cached && cached.doc === row.doc ? cached.subject : reviveSubject(row.doc);
      // Keep the most recent attempt per serial, newest first (service-spec §8).
      const others = current.credentials.filter((c) => c.serialNumber !== input.credential.serialNumber);
      const s: Subject = {
        ...current,
        credentials: [input.credential, ...others].slice(0, input.keep),
        updatedAt: input.now,
        lastSeenAt: input.now,
      };
      // Instance properties: the most recent reports, newest first (service-spec §8).
      if (input.instanceProperties) s.instanceProperties = [input.instanceProperties, ...(current.instanceProperties ?? [])].slice(0, input.keep);
      const doc = JSON.stringify(s);
      this.db.prepare('UPDATE subjects SET doc = ? WHERE id = ?').run(doc, s.subjectId);
      this.remember(input.x509Subject, doc, s);
      return { ...s, credentials: [...s.credentials], ...(s.instanceProperties ? { instanceProperties: [...s.instanceProperties] } : {}) };
    })();
  }

  private remember(x509Subject: string, doc: string, subject: Subject): void {
    this.recent.delete(x509Subject);
    if (this.recent.size >= SUBJECT_CACHE_MAX) this.recent.delete(this.recent.keys().next().value as string);
    this.recent.set(x509Subject, { doc, subject });
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
