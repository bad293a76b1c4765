// Subject attempts committed with their audit records (issue [scale] item 5): the contract both
// backends must meet. CreateSession creates a subject on first sight (ensureSubject) and hands
// every later attempt to the audit sink, which applies it in the same transaction as the record.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createStores, type Stores } from '../../src/app/store-factory.js';
import { verifyAuditChain } from '../../src/core/audit/verify-audit-chain.js';
import { sessionEvent } from '../audit/fixtures.js';
import { backendHooks, DATABASE_URL, postgresBackend, postgresSkip, sqliteBackend, type Backend, type OpenStores } from './backends.js';
import { credential, T0 } from './fixtures.js';

const at = (ms: number) => new Date(T0.getTime() + ms);

function run(backend: Backend, skip?: string): void {
  describe(`subject attempts with audit records: ${backend.name}`, { skip }, () => {
    let open: OpenStores;
    let s: Stores;
    backendHooks(backend, (o) => {
      open = o;
      s = o.stores;
    });

    const newDn = () => `CN=attempts-${Math.random()}`;

    test('ok/ensureSubject: creates once with the first attempt, then returns the same ids', async () => {
      const dn = newDn();
      let made = 0;
      const ids = () => ({ subjectId: `sa-${++made}-${dn}`, subjectArn: `arn:subject/${made}` });
      const first = await s.subjects.ensureSubject({ x509Subject: dn, newSubject: ids, attempt: { credential: credential('0a'), now: T0, keep: 5 } });
      assert.equal(first.created, true);
      const again = await s.subjects.ensureSubject({ x509Subject: dn, newSubject: ids, attempt: { credential: credential('0b'), now: at(1), keep: 5 } });
      assert.deepEqual(again, { subjectId: first.subjectId, subjectArn: first.subjectArn, created: false });
      assert.equal(made, 1);
      const stored = await s.subjects.getSubject(first.subjectId);
      assert.deepEqual(stored!.credentials.map((c) => c.serialNumber), ['0a'], 'ensureSubject records only the creating attempt');
    });

    test('ok/attempts: applied with their audit records, one group, nothing lost, chain intact', async () => {
      const dn = newDn();
      const { subjectId } = await s.subjects.ensureSubject({ x509Subject: dn, newSubject: () => ({ subjectId: `sb-${dn}`, subjectArn: 'arn:subject/b' }), attempt: { credential: credential('01'), now: T0, keep: 10 } });
      // Concurrent records share group commits: the subject is read and written once per group.
      await Promise.all(
        ['02', '03', '04', '01'].map((serial, i) =>
          s.auditSink.record(sessionEvent({ serial }), { subjectAttempt: { subjectId, credential: credential(serial, at(10 + i), serial === '01'), now: at(10 + i), keep: 10, instanceProperties: { seenAt: at(10 + i), properties: { n: String(i) }, failed: false } } }),
        ),
      );
      const stored = (await s.subjects.getSubject(subjectId))!;
      assert.deepEqual(stored.credentials.map((c) => [c.serialNumber, c.failed]), [['01', true], ['04', false], ['03', false], ['02', false]]);
      assert.deepEqual(stored.instanceProperties?.map((p) => p.properties.n), ['3', '2', '1', '0']);
      assert.deepEqual(stored.lastSeenAt, at(13));
      assert.equal((await verifyAuditChain(s.audit)).ok, true);
    });

    test('fail/attempts: a record that cannot commit takes its subject attempt with it', async () => {
      const dn = newDn();
      const { subjectId } = await s.subjects.ensureSubject({ x509Subject: dn, newSubject: () => ({ subjectId: `sc-${dn}`, subjectArn: 'arn:subject/c' }), attempt: { credential: credential('01'), now: T0, keep: 10 } });
      const event = sessionEvent({ serial: 'aa' });
      // The same eventID twice: the second record violates the unique event id and must fail alone.
      const [good, bad] = await Promise.allSettled([
        s.auditSink.record(event, { subjectAttempt: { subjectId, credential: credential('aa', at(1)), now: at(1), keep: 10 } }),
        s.auditSink.record({ ...event }, { subjectAttempt: { subjectId, credential: credential('bb', at(2)), now: at(2), keep: 10 } }),
      ]);
      assert.equal(good.status, 'fulfilled');
      assert.equal(bad.status, 'rejected');
      const serials = (await s.subjects.getSubject(subjectId))!.credentials.map((c) => c.serialNumber);
      assert.deepEqual(serials, ['aa', '01'], 'the failed record\'s attempt is not applied');
    });

    if (backend.multiWriter)
      test('ok/attempts: two replicas recording on one subject at once lose no attempt', async () => {
        const second = await createStores({ kind: 'postgres', databaseUrl: DATABASE_URL, schema: open.schema!, poolSize: 4 });
        try {
          const dn = newDn();
          const { subjectId } = await s.subjects.ensureSubject({ x509Subject: dn, newSubject: () => ({ subjectId: `sd-${dn}`, subjectArn: 'arn:subject/d' }), attempt: { credential: credential('00'), now: T0, keep: 100 } });
          const other = await second.subjects.ensureSubject({ x509Subject: dn, newSubject: () => ({ subjectId: 'never', subjectArn: 'never' }), attempt: { credential: credential('ff'), now: T0, keep: 100 } });
          assert.equal(other.subjectId, subjectId);
          const serials = Array.from({ length: 40 }, (_, i) => (i + 16).toString(16));
          await Promise.all(
            serials.map((serial, i) =>
              (i % 2 === 0 ? s : second).auditSink.record(sessionEvent({ serial }), { subjectAttempt: { subjectId, credential: credential(serial, at(i)), now: at(i), keep: 100 } }),
            ),
          );
          const stored = (await s.subjects.getSubject(subjectId))!;
          assert.deepEqual(new Set(stored.credentials.map((c) => c.serialNumber)), new Set(['00', ...serials]));
          assert.equal((await verifyAuditChain(s.audit)).ok, true);
        } finally {
          await second.close();
        }
      });
  });
}

run(sqliteBackend);
run(postgresBackend, await postgresSkip());
