// Subject credentials' certificates stored once per certificate (store/rows/subject-rows.ts),
// on both backends: the subject document refers to them by SHA-256, reads put the PEMs back,
// documents written before the certificates table stay readable and writable.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Stores } from '../../src/app/store-factory.js';
import type { CredentialSummary } from '../../src/core/roles-anywhere/subject.js';
import { hydrateSubject, storedSubject } from '../../src/store/rows/subject-rows.js';
import { sessionEvent } from '../audit/fixtures.js';
import { backendHooks, postgresBackend, postgresSkip, sqliteBackend, type Backend } from './backends.js';
import { T0 } from './fixtures.js';

const at = (ms: number) => new Date(T0.getTime() + ms);
/** A distinct PEM per serial, so each credential has its own certificate body. */
const pemOf = (serial: string) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(`cert ${serial}`).toString('base64')}\n-----END CERTIFICATE-----\n`;
const credential = (serial: string, seen: Date = T0): CredentialSummary => ({ seenAt: seen, serialNumber: serial, issuer: 'CN=Test CA', enabled: true, x509CertificateData: pemOf(serial), failed: false });

async function rows(s: Stores, sql: string, args: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  if (s.sqlite) {
    const stmt = s.sqlite.db.prepare(sql.replace(/\$\d+/g, '?'));
    if (!stmt.reader) {
      stmt.run(...args);
      return [];
    }
    return stmt.all(...args) as Array<Record<string, unknown>>;
  }
  return (await s.postgres!.db.query(sql, args)).rows;
}

function run(backend: Backend, skip?: string): void {
  describe(`subject certificates: ${backend.name}`, { skip }, () => {
    let s: Stores;
    backendHooks(backend, (o) => {
      s = o.stores;
    });
    const newDn = () => `CN=certificates-${Math.random()}`;

    test('ok/certificates: each body stored once, the document holds only its key, reads return every PEM', async () => {
      const dn = newDn();
      const { subjectId } = await s.subjects.ensureSubject({ x509Subject: dn, newSubject: () => ({ subjectId: `sc-${dn}`, subjectArn: 'arn:subject/c' }), attempt: { credential: credential('01'), now: T0, keep: 10 } });
      // Three certificates, each seen several times, in groups and one by one.
      const serials = ['02', '03', '01', '02', '03', '02'];
      await Promise.all(serials.map((serial, i) => s.auditSink.record(sessionEvent({ serial }), { subjectAttempt: { subjectId, credential: credential(serial, at(i + 1)), now: at(i + 1), keep: 10 } })));
      await s.subjects.recordAttempt({ x509Subject: dn, newSubject: () => ({ subjectId: 'never', subjectArn: 'never' }), credential: credential('01', at(20)), now: at(20), keep: 10 });

      for (const serial of ['01', '02', '03']) {
        const found = await rows(s, 'SELECT COUNT(*) AS n FROM subject_certificates WHERE pem = $1', [pemOf(serial)]);
        assert.equal(Number(found[0]!.n), 1, `certificate ${serial} stored exactly once`);
      }
      const [doc] = await rows(s, 'SELECT doc FROM subjects WHERE id = $1', [subjectId]);
      assert.doesNotMatch(String(doc!.doc), /BEGIN CERTIFICATE/, 'no PEM inside the subject document');
      assert.match(String(doc!.doc), /"certificateSha256":"[0-9a-f]{64}"/);

      const got = (await s.subjects.getSubject(subjectId))!;
      assert.deepEqual(got.credentials.map((c) => [c.serialNumber, c.x509CertificateData]), [['01', pemOf('01')], ['02', pemOf('02')], ['03', pemOf('03')]]);
      assert.equal('certificateSha256' in got.credentials[0]!, false, 'the storage key does not leak into the API form');
      const listed: CredentialSummary[] = [];
      for (let token: string | undefined, first = true; first || token; first = false) {
        const page = await s.subjects.listSubjects({ pageSize: 50, ...(token ? { nextToken: token } : {}) });
        assert.notEqual(page, 'bad-token');
        if (page === 'bad-token') return;
        for (const x of page.items) if (x.subjectId === subjectId) listed.push(...x.credentials);
        token = page.nextToken;
      }
      assert.deepEqual(listed.map((c) => c.x509CertificateData), [pemOf('01'), pemOf('02'), pemOf('03')]);
    });

    test('ok/certificates: a document with inline PEMs (written before the table) is read and updated', async () => {
      const dn = newDn();
      const id = `legacy-${Math.random()}`;
      const legacy = { subjectId: id, subjectArn: 'arn:subject/legacy', x509Subject: dn, enabled: true, createdAt: T0, updatedAt: T0, lastSeenAt: T0, credentials: [credential('0a')], instanceProperties: [] };
      await rows(s, 'INSERT INTO subjects (id, x509_subject, doc) VALUES ($1, $2, $3)', [id, dn, JSON.stringify(legacy)]);
      assert.equal((await s.subjects.getSubject(id))!.credentials[0]!.x509CertificateData, pemOf('0a'));
      await s.auditSink.record(sessionEvent({ serial: '0b' }), { subjectAttempt: { subjectId: id, credential: credential('0b', at(1)), now: at(1), keep: 10 } });
      await s.subjects.setSubjectTags(id, [{ key: 'team', value: 'edge' }]);
      const got = (await s.subjects.getSubject(id))!;
      assert.deepEqual(got.credentials.map((c) => [c.serialNumber, c.x509CertificateData]), [['0b', pemOf('0b')], ['0a', pemOf('0a')]]);
      assert.deepEqual(got.tags, [{ key: 'team', value: 'edge' }]);
      assert.equal(Number((await rows(s, 'SELECT COUNT(*) AS n FROM subject_certificates WHERE pem = $1', [pemOf('0a')]))[0]!.n), 0, 'the legacy entry keeps its inline PEM');
    });

  });
}

test('fail/certificates: a body missing from the table is an error naming it, never an empty PEM', () => {
  const { subject } = storedSubject({ subjectId: 's-1', subjectArn: 'arn:subject/1', x509Subject: 'CN=x', enabled: true, createdAt: T0, updatedAt: T0, lastSeenAt: T0, credentials: [credential('01')] });
  const key = (subject.credentials[0] as { certificateSha256: string }).certificateSha256;
  assert.throws(() => hydrateSubject(subject, () => undefined), new RegExp(`subject s-1: certificate ${key} is missing from subject_certificates`));
  assert.equal(hydrateSubject(subject, (k) => (k === key ? pemOf('01') : undefined)).credentials[0]!.x509CertificateData, pemOf('01'));
});

run(sqliteBackend);
run(postgresBackend, await postgresSkip());
