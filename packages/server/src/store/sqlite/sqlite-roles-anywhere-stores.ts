import type { AuditEvent, AuditSink } from '../../core/audit/audit-event.js';
import type { Page, PageRequest } from '../../core/roles-anywhere/page.js';
import type { Profile } from '../../core/roles-anywhere/profile.js';
import type { ProfileStore, SubjectStore, TrustAnchorStore } from '../../core/roles-anywhere/stores.js';
import type { CredentialSummary, Subject } from '../../core/roles-anywhere/subject.js';
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
        const s: Subject = { ...ids, x509Subject: input.x509Subject, enabled: true, createdAt: input.now, updatedAt: input.now, lastSeenAt: input.now, credentials: [input.credential] };
        this.db.prepare('INSERT INTO subjects (id, x509_subject, doc) VALUES (?, ?, ?)').run(s.subjectId, s.x509Subject, JSON.stringify(s));
        return s;
      }
      const s = reviveSubject(row.doc);
      // Keep the most recent attempt per serial, newest first (service-spec §8).
      const others = s.credentials.filter((c) => c.serialNumber !== input.credential.serialNumber);
      s.credentials = [input.credential, ...others].slice(0, input.keep);
      s.updatedAt = input.now;
      s.lastSeenAt = input.now;
      this.db.prepare('UPDATE subjects SET doc = ? WHERE id = ?').run(JSON.stringify(s), s.subjectId);
      return s;
    })();
  }

  async getSubject(id: string) { return this.t.get(id); }
  async listSubjects(page: PageRequest) { return this.t.list(page); }
}

/** Audit records in the same database; `record` returns after the row is committed (WAL + synchronous=FULL). */
export class SqliteAuditSink implements AuditSink {
  constructor(private readonly db: SqliteDatabase) {}
  async record(e: AuditEvent): Promise<void> {
    this.db.prepare('INSERT INTO audit_events (event_id, event_time, event_name, doc) VALUES (?, ?, ?, ?)').run(e.eventID, e.eventTime, e.eventName, JSON.stringify(e));
  }
  list(limit = 100): AuditEvent[] {
    return (this.db.prepare('SELECT doc FROM audit_events ORDER BY seq DESC LIMIT ?').all(limit) as Array<{ doc: string }>).map((r) => JSON.parse(r.doc) as AuditEvent);
  }
}
