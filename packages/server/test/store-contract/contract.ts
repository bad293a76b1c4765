// The store contract: every port's behaviour, asserted once and run against each backend
// (sqlite.test.ts, postgres.test.ts). A backend that passes can replace the other.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sessionEvent } from '../audit/fixtures.js';
import { verifyAuditChain } from '../../src/core/audit/verify-audit-chain.js';
import type { Page } from '../../src/core/roles-anywhere/page.js';
import type { Change } from '../../src/store/postgres/change-feed.js';
import { createStores, type Stores } from '../../src/app/store-factory.js';
import { backendHooks, DATABASE_URL, type Backend, type OpenStores } from './backends.js';
import { accessKey, credential, crl, policy, profile, role, T0, trustAnchor } from './fixtures.js';

async function allPages<T>(list: (token?: string) => Promise<Page<T> | 'bad-token'>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const p = await list(token);
    assert.notEqual(p, 'bad-token');
    if (p === 'bad-token') break;
    items.push(...p.items);
    token = p.nextToken;
    pages++;
  } while (token !== undefined);
  return { items, pages };
}

export function runStoreContract(backend: Backend, skip?: string): void {
  describe(`store contract: ${backend.name}`, { skip }, () => {
    let open: OpenStores;
    let s: Stores;
    backendHooks(backend, (o) => {
      open = o;
      s = o.stores;
    });

    /** A second replica on the same database (its own pool) where the backend has several writers. */
    async function secondReplica(): Promise<{ stores: Stores; close(): Promise<void> }> {
      if (!backend.multiWriter || !open.schema) return { stores: s, close: async () => {} };
      const stores = await createStores({ kind: 'postgres', databaseUrl: DATABASE_URL, schema: open.schema, poolSize: 4 });
      return { stores, close: () => stores.close() };
    }

    test('ok/trust anchors: insert, get, save, count, delete', async () => {
      const before = await s.trustAnchors.countTrustAnchors();
      const ta = trustAnchor({ name: 'first', tags: [{ key: 'team', value: 'a' }] });
      await s.trustAnchors.insertTrustAnchor(ta);
      const got = await s.trustAnchors.getTrustAnchor(ta.trustAnchorId);
      assert.deepEqual(got, ta);
      assert.ok(got!.createdAt instanceof Date);
      assert.equal(await s.trustAnchors.countTrustAnchors(), before + 1);
      const saved = await s.trustAnchors.saveTrustAnchor({ ...got!, name: 'renamed', enabled: false });
      assert.equal(saved?.name, 'renamed');
      assert.equal((await s.trustAnchors.getTrustAnchor(ta.trustAnchorId))?.enabled, false);
      assert.equal(await s.trustAnchors.saveTrustAnchor(trustAnchor()), undefined, 'saving a missing anchor');
      assert.equal((await s.trustAnchors.deleteTrustAnchor(ta.trustAnchorId))?.name, 'renamed');
      assert.equal(await s.trustAnchors.getTrustAnchor(ta.trustAnchorId), undefined);
      assert.equal(await s.trustAnchors.deleteTrustAnchor(ta.trustAnchorId), undefined);
      assert.equal(await s.trustAnchors.countTrustAnchors(), before);
    });

    test('ok/profiles: paging returns every item once, in insertion order', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const p = profile({ name: `p${i}`, sessionPolicy: i === 0 ? '{"Version":"2012-10-17"}' : undefined });
        if (p.sessionPolicy === undefined) delete p.sessionPolicy;
        await s.profiles.insertProfile(p);
        ids.push(p.profileId);
      }
      const { items, pages } = await allPages((nextToken) => s.profiles.listProfiles({ pageSize: 3, ...(nextToken ? { nextToken } : {}) }));
      assert.deepEqual(items.map((p) => p.profileId).filter((id) => ids.includes(id)), ids);
      assert.ok(pages >= 3);
      assert.equal(items.find((p) => p.profileId === ids[0])?.sessionPolicy, '{"Version":"2012-10-17"}');
      assert.equal(await s.profiles.countProfiles(), items.length);
    });

    test('fail/listing with a malformed token is bad-token', async () => {
      assert.equal(await s.trustAnchors.listTrustAnchors({ pageSize: 10, nextToken: 'not*a*token' }), 'bad-token');
      assert.equal(await s.crls.listCrls({ pageSize: 10, nextToken: Buffer.from('-5').toString('base64url') }), 'bad-token');
    });

    test('ok/CRLs: exact bytes, enabled versions, counts, cascade with the trust anchor', async () => {
      const ta = trustAnchor();
      await s.trustAnchors.insertTrustAnchor(ta);
      const a = crl(ta.trustAnchorId, { name: 'a' });
      const b = crl(ta.trustAnchorId, { name: 'b', enabled: true });
      await s.crls.insertCrl(a);
      await s.crls.insertCrl(b);
      const got = await s.crls.getCrl(a.crlId);
      assert.ok(got!.crlData.equals(a.crlData));
      assert.deepEqual(got!.nextUpdate, a.nextUpdate);
      assert.equal(await s.crls.countCrlsForTrustAnchor(ta.trustAnchorId), 2);
      const v1 = await s.crls.enabledCrlVersions(ta.trustAnchorId);
      assert.deepEqual(v1.map((v) => v.crlId), [b.crlId]);
      await s.crls.saveCrl({ ...got!, enabled: true });
      const v2 = await s.crls.enabledCrlVersions(ta.trustAnchorId);
      assert.deepEqual(v2.map((v) => v.crlId), [a.crlId, b.crlId]);
      const bBefore = v2.find((v) => v.crlId === b.crlId)!.version;
      await s.crls.saveCrl({ ...(await s.crls.getCrl(b.crlId))!, name: 'b2' });
      const bAfter = (await s.crls.enabledCrlVersions(ta.trustAnchorId)).find((v) => v.crlId === b.crlId)!.version;
      assert.ok(bAfter > bBefore, 'every write bumps the version the caches key on');
      await s.crls.saveCrl({ ...(await s.crls.getCrl(b.crlId))!, enabled: false });
      assert.deepEqual((await s.crls.enabledCrlVersions(ta.trustAnchorId)).map((v) => v.crlId), [a.crlId]);
      await s.trustAnchors.deleteTrustAnchor(ta.trustAnchorId);
      assert.equal(await s.crls.getCrl(a.crlId), undefined);
      assert.equal(await s.crls.countCrlsForTrustAnchor(ta.trustAnchorId), 0);
    });

    test('ok/subjects: one per DN, newest attempt per serial, history bounded, tags', async () => {
      const dn = `CN=subject-${Math.random()}`;
      let made = 0;
      const ids = () => ({ subjectId: `sub-${++made}-${dn}`, subjectArn: `arn:sub/${made}` });
      const first = await s.subjects.recordAttempt({ x509Subject: dn, newSubject: ids, credential: credential('01'), now: T0, keep: 2 });
      await s.subjects.recordAttempt({ x509Subject: dn, newSubject: ids, credential: credential('02', new Date(T0.getTime() + 1)), now: new Date(T0.getTime() + 1), keep: 2,
        instanceProperties: { seenAt: T0, properties: { host: 'a' }, failed: false } });
      const third = await s.subjects.recordAttempt({ x509Subject: dn, newSubject: ids, credential: credential('01', new Date(T0.getTime() + 2), true), now: new Date(T0.getTime() + 2), keep: 2 });
      assert.equal(made, 1, 'the subject is created once');
      assert.equal(third.subjectId, first.subjectId);
      assert.deepEqual(third.credentials.map((c) => [c.serialNumber, c.failed]), [['01', true], ['02', false]]);
      const got = await s.subjects.getSubject(first.subjectId);
      assert.ok(got!.lastSeenAt instanceof Date && got!.credentials[0]!.seenAt instanceof Date);
      assert.equal(got!.instanceProperties?.[0]?.properties.host, 'a');
      assert.equal(await s.subjects.setSubjectTags(first.subjectId, [{ key: 'k', value: 'v' }]), true);
      assert.deepEqual((await s.subjects.getSubject(first.subjectId))?.tags, [{ key: 'k', value: 'v' }]);
      assert.equal(await s.subjects.setSubjectTags('missing', []), false);
      const { items } = await allPages((nextToken) => s.subjects.listSubjects({ pageSize: 1, ...(nextToken ? { nextToken } : {}) }));
      assert.equal(items.filter((x) => x.x509Subject === dn).length, 1);
    });

    test('ok/subjects: concurrent first attempts of one DN create one subject', async () => {
      const dn = `CN=race-${Math.random()}`;
      let n = 0;
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          s.subjects.recordAttempt({ x509Subject: dn, newSubject: () => ({ subjectId: `race-${++n}-${dn}`, subjectArn: 'arn' }), credential: credential(`0${i}`), now: T0, keep: 10 }),
        ),
      );
      assert.equal(new Set(results.map((r) => r.subjectId)).size, 1);
      const stored = await s.subjects.getSubject(results[0]!.subjectId);
      assert.equal(stored!.credentials.length, 6, 'no attempt is lost');
    });

    test('ok/roles: case-insensitive names, ordering, paging, path prefix, update', async () => {
      const prefix = `/t${Math.random().toString(36).slice(2, 8)}%_/`;
      const names = ['Bravo', 'alpha', 'charlie', 'Delta'].map((x) => `${x}-${prefix.slice(2, 8)}`);
      for (const name of names) assert.equal(await s.roles.createRole(role(name, { path: prefix })), 'created');
      assert.equal(await s.roles.createRole(role(names[0]!.toUpperCase())), 'exists');
      assert.equal((await s.roles.getRole(names[1]!.toUpperCase()))?.roleName, names[1]);
      const page1 = await s.roles.listRoles({ pathPrefix: prefix, maxItems: 3 });
      assert.deepEqual(page1.roles.map((r) => r.roleName), [names[1], names[0], names[2]]);
      assert.ok(page1.marker);
      const page2 = await s.roles.listRoles({ pathPrefix: prefix, marker: page1.marker!, maxItems: 3 });
      assert.deepEqual(page2.roles.map((r) => r.roleName), [names[3]]);
      assert.equal(page2.marker, undefined);
      assert.deepEqual((await s.roles.listRoles({ pathPrefix: prefix.replace('%', 'x'), maxItems: 10 })).roles, [], "'%' is not a wildcard");
      const up = await s.roles.updateRole(names[0]!, { description: 'd', maxSessionDuration: 7200 });
      assert.equal(up?.description, 'd');
      assert.equal(up?.maxSessionDuration, 7200);
      const up2 = await s.roles.updateRole(names[0]!, { assumeRolePolicyDocument: '{}' });
      assert.equal(up2?.description, 'd', 'fields not in the patch are kept');
      assert.equal(await s.roles.updateRole('no-such-role', { description: 'x' }), undefined);
    });

    test('ok/roles: tags, inline policies, delete conflicts', async () => {
      const r = role();
      await s.roles.createRole(r);
      assert.equal(await s.roles.tagRole(r.roleName, [{ key: 'Env', value: 'a' }, { key: 'x', value: '1' }], 3), 'ok');
      assert.equal(await s.roles.tagRole(r.roleName, [{ key: 'ENV', value: 'b' }], 3), 'ok');
      assert.deepEqual((await s.roles.getRole(r.roleName))?.tags, [{ key: 'ENV', value: 'b' }, { key: 'x', value: '1' }]);
      assert.equal(await s.roles.tagRole(r.roleName, [{ key: 'y', value: '' }, { key: 'z', value: '' }], 3), 'limit');
      assert.equal((await s.roles.getRole(r.roleName))?.tags.length, 2, 'a refused tagging changes nothing');
      assert.equal(await s.roles.untagRole(r.roleName, ['env', 'absent']), 'ok');
      assert.deepEqual((await s.roles.getRole(r.roleName))?.tags, [{ key: 'x', value: '1' }]);
      assert.equal(await s.roles.tagRole('missing', [], 3), 'not-found');
      assert.equal(await s.roles.putRolePolicy(r.roleName, { policyName: 'b', policyDocument: '{"b":1}' }), 'ok');
      assert.equal(await s.roles.putRolePolicy(r.roleName.toUpperCase(), { policyName: 'a', policyDocument: '{"a":1}' }), 'ok');
      assert.equal(await s.roles.putRolePolicy(r.roleName, { policyName: 'b', policyDocument: '{"b":2}' }), 'ok');
      assert.deepEqual((await s.roles.listRolePolicies(r.roleName)).map((p) => [p.policyName, p.policyDocument]), [['a', '{"a":1}'], ['b', '{"b":2}']]);
      assert.equal((await s.roles.getRolePolicy(r.roleName, 'a'))?.policyDocument, '{"a":1}');
      assert.equal(await s.roles.putRolePolicy('missing', { policyName: 'a', policyDocument: '{}' }), 'role-not-found');
      assert.equal(await s.roles.deleteRole(r.roleName), 'has-policies');
      assert.equal(await s.roles.deleteRolePolicy(r.roleName, 'a'), 'deleted');
      assert.equal(await s.roles.deleteRolePolicy(r.roleName, 'a'), 'not-found');
      await s.roles.deleteRolePolicy(r.roleName, 'b');
      assert.equal(await s.roles.deleteRole(r.roleName), 'deleted');
      assert.equal(await s.roles.deleteRole(r.roleName), 'not-found');
    });

    test('ok/managed policies: create, list, attach limits, counts, delete conflicts', async () => {
      const r = role();
      await s.roles.createRole(r);
      const p = policy();
      assert.equal(await s.policies.createPolicy(p), 'created');
      assert.equal(await s.policies.createPolicy(policy(p.policyName.toUpperCase(), { path: '/other/' })), 'exists');
      assert.equal((await s.policies.getPolicy(p.arn))?.document, p.document);
      assert.ok((await s.policies.listPolicies()).some((x) => x.arn === p.arn));
      const opts = { maxPerRole: 2, now: T0, stored: true };
      assert.equal(await s.policies.attachRolePolicy(r.roleName, { policyName: p.policyName, policyArn: p.arn }, opts), 'ok');
      assert.equal(await s.policies.attachRolePolicy(r.roleName, { policyName: p.policyName, policyArn: p.arn }, opts), 'ok', 'idempotent');
      assert.equal(await s.policies.attachRolePolicy(r.roleName, { policyName: 'gone', policyArn: 'arn:aws:iam::111122223333:policy/gone' }, opts), 'policy-not-found');
      const aws = { policyName: 'ReadOnlyAccess', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' };
      assert.equal(await s.policies.attachRolePolicy(r.roleName, aws, { ...opts, stored: false }), 'ok');
      assert.equal(await s.policies.attachRolePolicy(r.roleName, { policyName: 'x', policyArn: 'arn:aws:iam::aws:policy/X' }, { ...opts, stored: false }), 'limit');
      assert.equal(await s.policies.attachRolePolicy('missing', aws, opts), 'role-not-found');
      assert.deepEqual((await s.policies.listAttachedRolePolicies(r.roleName))?.map((a) => a.policyArn), [aws.policyArn, p.arn].sort());
      assert.equal(await s.policies.listAttachedRolePolicies('missing'), undefined);
      assert.equal((await s.policies.attachmentCounts()).get(p.arn), 1);
      assert.equal(await s.policies.deletePolicy(p.arn), 'attached');
      assert.equal(await s.roles.deleteRole(r.roleName), 'has-attached-policies');
      assert.equal(await s.policies.detachRolePolicy(r.roleName, p.arn), 'detached');
      assert.equal(await s.policies.detachRolePolicy(r.roleName, p.arn), 'not-attached');
      assert.equal(await s.policies.deletePolicy(p.arn), 'deleted');
      assert.equal(await s.policies.getPolicy(p.arn), undefined);
      assert.equal(await s.policies.deletePolicy(p.arn), 'not-found');
    });

    test('ok/access keys: bootstrap race agrees on one key', async () => {
      const user = `admin-${Math.random().toString(36).slice(2)}`;
      const candidates = Array.from({ length: 6 }, (_, i) => accessKey(user, i));
      const results = await Promise.all(candidates.map((k) => s.accessKeys.putAccessKeyIfUserHasNone(k)));
      assert.equal(new Set(results.map((r) => r.accessKeyId)).size, 1);
      const stored = await s.accessKeys.getAccessKey(results[0]!.accessKeyId);
      assert.equal(stored?.secretAccessKey, results[0]!.secretAccessKey);
      const losers = candidates.filter((c) => c.accessKeyId !== results[0]!.accessKeyId);
      for (const l of losers) assert.equal(await s.accessKeys.getAccessKey(l.accessKeyId), undefined);
      await s.accessKeys.putAccessKey({ ...stored!, status: 'Inactive' });
      assert.equal((await s.accessKeys.getAccessKey(stored!.accessKeyId))?.status, 'Inactive');
    });

    test('ok/audit: group commit chains every record; queries and page tokens', async () => {
      const serial = Math.floor(Math.random() * 1e9).toString(16);
      const events = Array.from({ length: 25 }, (_, i) => sessionEvent({ serial: `00:${serial}`, at: T0.getTime() + i * 1000, error: i % 5 === 0 }));
      await Promise.all(events.map((e) => s.auditSink.record(e)));
      const verdict = await verifyAuditChain(s.audit);
      assert.equal(verdict.ok, true, JSON.stringify(verdict));
      const head = await s.audit.chainHead();
      assert.ok(head.seq >= 25);
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const p = await s.audit.query({ serial, limit: 10, ...(token ? { nextToken: token } : {}) });
        assert.notEqual(p, 'bad-token');
        if (p === 'bad-token') break;
        seen.push(...p.records.map((r) => r.event.eventID));
        token = p.nextToken;
      } while (token);
      assert.deepEqual(seen, events.map((e) => e.eventID), 'commit order = record order, no gaps');
      const first = await s.audit.query({ serial, limit: 10 });
      assert.ok(first !== 'bad-token' && first.nextToken);
      assert.equal(await s.audit.query({ serial, roleArn: 'x', nextToken: first.nextToken! }), 'bad-token');
      const window = await s.audit.query({ serial, since: new Date(T0.getTime() + 5000), until: new Date(T0.getTime() + 10000) });
      assert.ok(window !== 'bad-token');
      assert.equal(window.records.length, 5);
      const rows = await s.audit.rowsAfter(0, 1000);
      const last = rows[rows.length - 1]!;
      assert.equal(await s.audit.seqOfHash(last.hash!), last.seq);
    });

    test('ok/notification state: one claim per key per day, lookup by keys, prune', async () => {
      const k = `key-${Math.random()}`;
      const day = new Date('2026-03-01T00:00:00.000Z');
      const at = (ms: number) => new Date(T0.getTime() + ms);
      assert.equal(await s.notificationState.claim(k, at(1000), day), true);
      assert.equal(await s.notificationState.claim(k, at(2000), day), false, 'taken today');
      const got = await s.notificationState.lastSent([k, 'absent']);
      assert.deepEqual([...got.entries()], [[k, at(1000)]], 'a lost claim writes nothing');
      assert.deepEqual(await s.notificationState.lastSent([]), new Map());
      const nextDay = new Date(day.getTime() + 86_400_000);
      assert.equal(await s.notificationState.claim(k, nextDay, nextDay), true, 'a new day, a new claim');
      assert.deepEqual(await s.notificationState.lastSent([k]), new Map([[k, nextDay]]));
      assert.ok((await s.notificationState.pruneBefore(new Date(nextDay.getTime() + 1))) >= 1);
      assert.equal((await s.notificationState.lastSent([k])).size, 0);
    });

    test('ok/notification state: a released claim can be claimed again, by any replica', async () => {
      const other = await secondReplica();
      try {
        const k = `key-${Math.random()}`;
        const day = new Date('2026-03-01T00:00:00.000Z');
        const t1 = new Date(T0.getTime() + 1);
        const t2 = new Date(T0.getTime() + 2);
        assert.equal(await s.notificationState.claim(k, t1, day), true);
        assert.equal(await other.stores.notificationState.claim(k, t2, day), false);
        assert.equal(await s.notificationState.release(k, t2), false, 'another claim time names another claim');
        assert.equal(await other.stores.notificationState.claim(k, t2, day), false, 'a mismatched release changes nothing');
        assert.equal(await s.notificationState.release(k, t1), true);
        assert.equal((await other.stores.notificationState.lastSent([k])).size, 0);
        assert.equal(await other.stores.notificationState.claim(k, t2, day), true, 'the other replica takes it now');
        assert.equal(await s.notificationState.release(k, t1), false, 'releasing twice does not undo the new claim');
        assert.deepEqual(await s.notificationState.lastSent([k]), new Map([[k, t2]]));
      } finally {
        await other.close();
      }
    });

    test('ok/notification state: of many concurrent claims of one key exactly one wins', async () => {
      // On PostgreSQL two stores with separate pools on one schema stand for two replicas.
      const other = await secondReplica();
      try {
        const day = new Date('2026-03-01T00:00:00.000Z');
        const keys = Array.from({ length: 40 }, (_, i) => `race-${i}-${Math.random()}`);
        const attempts = keys.flatMap((k) =>
          Array.from({ length: 8 }, (_, j) => ({ k, at: new Date(T0.getTime() + j), store: j % 2 ? other.stores : s })),
        );
        const results = await Promise.all(attempts.map((a) => a.store.notificationState.claim(a.k, a.at, day)));
        const stored = await s.notificationState.lastSent(keys);
        for (const k of keys) {
          const wins = attempts.filter((a, i) => a.k === k && results[i]);
          assert.equal(wins.length, 1, `exactly one winner for ${k}`);
          assert.deepEqual(stored.get(k), wins[0]!.at, 'the stored time is the winner\'s');
        }
      } finally {
        await other.close();
      }
    });

    test('ok/change feed: a committed write is announced', async () => {
      const got: Change[] = [];
      const off = s.changes.subscribe((c) => got.push(c));
      try {
        const ta = trustAnchor();
        await s.trustAnchors.insertTrustAnchor(ta);
        await s.trustAnchors.saveTrustAnchor({ ...ta, enabled: false });
        const c = crl(ta.trustAnchorId);
        await s.crls.insertCrl(c);
        const r = role();
        await s.roles.createRole(r);
        const deadline = Date.now() + 1000;
        while (got.length < 4 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
        assert.ok(got.some((x) => x.kind === 'trust-anchor' && x.id === ta.trustAnchorId));
        assert.ok(got.some((x) => x.kind === 'crl' && x.id === c.crlId));
        assert.ok(got.some((x) => x.kind === 'role' && x.id === r.roleName));
        assert.ok(got.filter((x) => x.kind === 'trust-anchor').length >= 2);
      } finally {
        off();
      }
    });

    // Only stores that several replicas write concurrently promise this (docs/scaling.md); the
    // embedded SQLite store has one writer, so the case does not exist there and is not registered.
    if (backend.multiWriter) test('ok/concurrent read-modify-write of one resource keeps both changes', async () => {
      const ta = trustAnchor({ tags: [{ key: 'keep', value: '1' }] });
      await s.trustAnchors.insertTrustAnchor(ta);
      // Two services (think: two replicas) read the same version …
      const a = (await s.trustAnchors.getTrustAnchor(ta.trustAnchorId))!;
      const b = (await s.trustAnchors.getTrustAnchor(ta.trustAnchorId))!;
      // … and each saves its own change: UpdateTrustAnchor, then DisableTrustAnchor, then TagResource.
      await s.trustAnchors.saveTrustAnchor({ ...a, name: 'renamed', updatedAt: new Date(T0.getTime() + 1) });
      await s.trustAnchors.saveTrustAnchor({ ...b, enabled: false, updatedAt: new Date(T0.getTime() + 2) });
      const c = (await s.trustAnchors.getTrustAnchor(ta.trustAnchorId))!;
      const d = (await s.trustAnchors.getTrustAnchor(ta.trustAnchorId))!;
      await s.trustAnchors.saveTrustAnchor({ ...c, tags: [...c.tags, { key: 'x', value: '1' }] });
      await s.trustAnchors.saveTrustAnchor({ ...d, tags: [...d.tags, { key: 'y', value: '2' }] });
      const final = (await s.trustAnchors.getTrustAnchor(ta.trustAnchorId))!;
      assert.equal(final.name, 'renamed');
      assert.equal(final.enabled, false);
      assert.deepEqual(final.tags.map((t) => t.key).sort(), ['keep', 'x', 'y']);
    });
  });
}
