// HotPathCache (issue [scale] item 2): what each change-feed event drops, read-your-writes for
// writes made through this process, the role cache, and that the read lists match the stores.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HotPathCache, roleNameOfArn, STORE_READS } from '../../src/app/hot-path-cache/hot-path-cache.js';
import type { Stores } from '../../src/app/store-factory.js';
import type { RoleFacts, SessionIssuer } from '../../src/core/session/session-issuer.js';
import { InProcessChangeFeed, type ChangeFeed } from '../../src/store/postgres/change-feed.js';
import { PgManagedPolicyStore } from '../../src/store/postgres/pg-managed-policy-store.js';
import { PgRoleStore } from '../../src/store/postgres/pg-role-store.js';
import { PgCrlStore, PgProfileStore, PgTrustAnchorStore } from '../../src/store/postgres/pg-roles-anywhere-stores.js';
import { SqliteManagedPolicyStore } from '../../src/store/sqlite/sqlite-managed-policy-store.js';
import { SqliteRoleStore } from '../../src/store/sqlite/sqlite-role-store.js';
import { SqliteCrlStore, SqliteProfileStore, SqliteTrustAnchorStore } from '../../src/store/sqlite/sqlite-roles-anywhere-stores.js';

/** A feed that never delivers: like PostgreSQL's, whose notification arrives after the write returns. */
const silentFeed: ChangeFeed = { subscribe: () => () => {} };

type Row = { id: string; enabled: boolean };

/** In-memory stand-ins for the wrapped stores, counting reads. */
function fakeStores(changes: ChangeFeed = silentFeed) {
  const anchors = new Map<string, Row>();
  const profiles = new Map<string, Row>();
  const crlLists = new Map<string, { crlId: string; version: number }[]>();
  const reads = { anchor: 0, profile: 0, crl: 0 };
  let gate: Promise<void> | undefined;
  const stores = {
    kind: 'sqlite',
    changes,
    trustAnchors: {
      async getTrustAnchor(id: string) {
        reads.anchor++;
        const row = anchors.get(id);
        await gate;
        return row ? { ...row } : undefined;
      },
      async saveTrustAnchor(row: Row) {
        anchors.set(row.id, row);
        return row;
      },
      async listTrustAnchors() {
        return { items: [...anchors.values()] };
      },
      async deleteTrustAnchor(_id: string): Promise<Row | undefined> {
        throw new Error('constraint');
      },
    },
    profiles: {
      async getProfile(id: string) {
        reads.profile++;
        return profiles.get(id);
      },
      async saveProfile(row: Row) {
        profiles.set(row.id, row);
        return row;
      },
    },
    crls: {
      async enabledCrlVersions(taId: string) {
        reads.crl++;
        return crlLists.get(taId) ?? [];
      },
      async insertCrl() {},
    },
    roles: { async getRole() {}, async updateRole() {} },
    policies: { async getPolicy() {}, async attachRolePolicy() {} },
    closed: false,
    async close() {
      this.closed = true;
    },
  };
  return {
    raw: stores as unknown as Stores,
    anchors,
    profiles,
    crlLists,
    reads,
    setGate(p: Promise<void> | undefined) {
      gate = p;
    },
  };
}

const roleArn = (path: string, name: string) => `arn:aws:iam::111122223333:role/${path}${name}`;

function fakeIssuer() {
  const roles = new Map<string, RoleFacts>();
  const calls = { find: 0, issue: 0 };
  const issuer: SessionIssuer = {
    async findRole(arn) {
      calls.find++;
      return roles.get(arn);
    },
    async issue() {
      calls.issue++;
      return { ok: false, message: 'test' };
    },
  };
  const put = (arn: string, trust = 'allow') =>
    roles.set(arn, { arn, roleId: 'AROA1', roleName: arn.split('/').pop()!, assumeRolePolicyDocument: trust, maxSessionDuration: 3600 });
  return { issuer, roles, calls, put };
}

describe('HotPathCache: change feed', () => {
  test('ok/trust-anchor: drops that id (and its CRL list), not others', async () => {
    const feed = new InProcessChangeFeed();
    const f = fakeStores(feed);
    const cache = new HotPathCache(feed);
    const view = cache.sessionReads(cache.observe(f.raw));
    f.anchors.set('ta1', { id: 'ta1', enabled: true });
    f.anchors.set('ta2', { id: 'ta2', enabled: true });
    await view.trustAnchors.getTrustAnchor('ta1');
    await view.trustAnchors.getTrustAnchor('ta2');
    await view.crls.enabledCrlVersions('ta1');
    f.anchors.set('ta1', { id: 'ta1', enabled: false }); // written by another replica
    feed.publish({ kind: 'trust-anchor', id: 'ta1' });
    assert.equal((await view.trustAnchors.getTrustAnchor('ta1'))?.enabled, false);
    await view.trustAnchors.getTrustAnchor('ta2');
    assert.equal(f.reads.anchor, 3, 'ta1 read again, ta2 still cached');
    await view.crls.enabledCrlVersions('ta1');
    assert.equal(f.reads.crl, 2, "the anchor's CRL list dropped too (delete cascades to CRLs)");
  });

  test('ok/profile: drops that id', async () => {
    const feed = new InProcessChangeFeed();
    const f = fakeStores(feed);
    const cache = new HotPathCache(feed);
    const view = cache.sessionReads(cache.observe(f.raw));
    f.profiles.set('p1', { id: 'p1', enabled: true });
    await view.profiles.getProfile('p1');
    f.profiles.set('p1', { id: 'p1', enabled: false });
    assert.equal((await view.profiles.getProfile('p1'))?.enabled, true, 'cached until told');
    feed.publish({ kind: 'profile', id: 'p1' });
    assert.equal((await view.profiles.getProfile('p1'))?.enabled, false);
  });

  test('ok/crl: any CRL change drops every CRL list', async () => {
    const feed = new InProcessChangeFeed();
    const f = fakeStores(feed);
    const cache = new HotPathCache(feed);
    const view = cache.sessionReads(cache.observe(f.raw));
    assert.deepEqual(await view.crls.enabledCrlVersions('ta1'), [], 'an empty list is an answer, and cached');
    await view.crls.enabledCrlVersions('ta2');
    f.crlLists.set('ta1', [{ crlId: 'c1', version: 1 }]);
    assert.deepEqual(await view.crls.enabledCrlVersions('ta1'), []);
    feed.publish({ kind: 'crl', id: 'c1' });
    assert.deepEqual(await view.crls.enabledCrlVersions('ta1'), [{ crlId: 'c1', version: 1 }]);
    await view.crls.enabledCrlVersions('ta2');
    assert.equal(f.reads.crl, 4);
  });

  test('ok/role: drops every ARN of that name, case-insensitively and across paths; other roles stay', async () => {
    const feed = new InProcessChangeFeed();
    const cache = new HotPathCache(feed);
    const i = fakeIssuer();
    const issuer = cache.issuer(i.issuer);
    const a = roleArn('', 'Bucket-Lister');
    const b = roleArn('team/', 'bucket-lister');
    const other = roleArn('', 'other');
    for (const arn of [a, b, other]) i.put(arn);
    for (const arn of [a, b, other]) await issuer.findRole(arn);
    i.put(a, 'deny');
    feed.publish({ kind: 'role', id: 'BUCKET-LISTER' });
    assert.equal((await issuer.findRole(a))?.assumeRolePolicyDocument, 'deny');
    await issuer.findRole(b);
    await issuer.findRole(other);
    assert.equal(i.calls.find, 5, 'a and b read again, other still cached');
  });

  test('ok/policy: any policy change drops every role', async () => {
    const feed = new InProcessChangeFeed();
    const cache = new HotPathCache(feed);
    const i = fakeIssuer();
    const issuer = cache.issuer(i.issuer);
    i.put(roleArn('', 'r1'));
    i.put(roleArn('', 'r2'));
    await issuer.findRole(roleArn('', 'r1'));
    await issuer.findRole(roleArn('', 'r2'));
    feed.publish({ kind: 'policy', id: 'arn:aws:iam::111122223333:policy/p' });
    await issuer.findRole(roleArn('', 'r1'));
    await issuer.findRole(roleArn('', 'r2'));
    assert.equal(i.calls.find, 4);
  });

  test('ok/resync: a feed reconnect drops every cached read', async () => {
    const feed = new InProcessChangeFeed();
    const cache = new HotPathCache(feed);
    const i = fakeIssuer();
    const issuer = cache.issuer(i.issuer);
    i.put(roleArn('', 'r1'));
    await issuer.findRole(roleArn('', 'r1'));
    await issuer.findRole(roleArn('', 'r1'));
    assert.equal(i.calls.find, 1, 'cached');
    feed.publish({ kind: 'resync', id: '' });
    await issuer.findRole(roleArn('', 'r1'));
    assert.equal(i.calls.find, 2, 'read again after the resync');
  });

  test('ok/close: the observed stores stop listening when closed', async () => {
    const feed = new InProcessChangeFeed();
    const f = fakeStores(feed);
    const cache = new HotPathCache(feed);
    const observed = cache.observe(f.raw);
    const view = cache.sessionReads(observed);
    await observed.close();
    assert.equal((f.raw as unknown as { closed: boolean }).closed, true, 'the backend closed too');
    f.anchors.set('ta1', { id: 'ta1', enabled: true });
    await view.trustAnchors.getTrustAnchor('ta1');
    feed.publish({ kind: 'trust-anchor', id: 'ta1' });
    await view.trustAnchors.getTrustAnchor('ta1');
    assert.equal(f.reads.anchor, 1, 'the change was not heard after close');
  });
});

describe('HotPathCache: writes through this process (no feed)', () => {
  test('ok/local-write: a write through the observed store drops the cache before it returns', async () => {
    const f = fakeStores();
    const cache = new HotPathCache(silentFeed);
    const observed = cache.observe(f.raw);
    const view = cache.sessionReads(observed);
    await observed.trustAnchors.saveTrustAnchor({ id: 'ta1', enabled: true } as never);
    assert.equal((await view.trustAnchors.getTrustAnchor('ta1'))?.enabled, true);
    await observed.trustAnchors.saveTrustAnchor({ id: 'ta1', enabled: false } as never);
    assert.equal((await view.trustAnchors.getTrustAnchor('ta1'))?.enabled, false, 'disabled at once, with no feed at all');
    await observed.profiles.saveProfile({ id: 'p1', enabled: true } as never);
    await view.profiles.getProfile('p1');
    await observed.profiles.saveProfile({ id: 'p1', enabled: false } as never);
    assert.equal((await view.profiles.getProfile('p1'))?.enabled, false);
    await view.crls.enabledCrlVersions('ta1');
    f.crlLists.set('ta1', [{ crlId: 'c1', version: 1 }]);
    await observed.crls.insertCrl({} as never);
    assert.deepEqual(await view.crls.enabledCrlVersions('ta1'), [{ crlId: 'c1', version: 1 }]);
  });

  test('ok/local-write: writes through the cached view itself invalidate too', async () => {
    const f = fakeStores();
    const cache = new HotPathCache(silentFeed);
    const view = cache.sessionReads(cache.observe(f.raw));
    f.profiles.set('p1', { id: 'p1', enabled: true });
    await view.profiles.getProfile('p1');
    await view.profiles.saveProfile({ id: 'p1', enabled: false } as never);
    assert.equal((await view.profiles.getProfile('p1'))?.enabled, false);
  });

  test('ok/local-read: reads through the observed stores neither invalidate nor use the cache', async () => {
    const f = fakeStores();
    const cache = new HotPathCache(silentFeed);
    const observed = cache.observe(f.raw);
    const view = cache.sessionReads(observed);
    f.anchors.set('ta1', { id: 'ta1', enabled: true });
    await view.trustAnchors.getTrustAnchor('ta1');
    await observed.trustAnchors.listTrustAnchors({ pageSize: 10 });
    await view.trustAnchors.getTrustAnchor('ta1');
    assert.equal(f.reads.anchor, 1, 'listing did not drop the entry');
    f.anchors.set('ta1', { id: 'ta1', enabled: false });
    assert.equal((await observed.trustAnchors.getTrustAnchor('ta1'))?.enabled, false, 'the control plane reads the database');
    assert.equal(f.reads.anchor, 2);
  });

  test('fail/local-write: a write that throws still drops the cache (it may have committed)', async () => {
    const f = fakeStores();
    const cache = new HotPathCache(silentFeed);
    const observed = cache.observe(f.raw);
    const view = cache.sessionReads(observed);
    f.anchors.set('ta1', { id: 'ta1', enabled: true });
    await view.trustAnchors.getTrustAnchor('ta1');
    await assert.rejects(observed.trustAnchors.deleteTrustAnchor('ta1'), /constraint/);
    await view.trustAnchors.getTrustAnchor('ta1');
    assert.equal(f.reads.anchor, 2);
  });

  test('fail/generation-race: a read that overlaps a local write does not cache the old row', async () => {
    const f = fakeStores();
    const cache = new HotPathCache(silentFeed);
    const observed = cache.observe(f.raw);
    const view = cache.sessionReads(observed);
    f.anchors.set('ta1', { id: 'ta1', enabled: true });
    let release!: () => void;
    f.setGate(new Promise<void>((r) => (release = r)));
    const slow = view.trustAnchors.getTrustAnchor('ta1'); // has read the enabled row, not yet returned
    await observed.trustAnchors.saveTrustAnchor({ id: 'ta1', enabled: false } as never);
    release();
    assert.equal((await slow)?.enabled, true, 'the overlapping request saw the old row');
    f.setGate(undefined);
    assert.equal((await view.trustAnchors.getTrustAnchor('ta1'))?.enabled, false, 'but did not cache it');
  });

  test('ok/roles: role and policy writes drop the role cache', async () => {
    const f = fakeStores();
    const cache = new HotPathCache(silentFeed);
    const observed = cache.observe(f.raw);
    const i = fakeIssuer();
    const issuer = cache.issuer(i.issuer);
    const arn = roleArn('', 'r');
    i.put(arn);
    await issuer.findRole(arn);
    await issuer.findRole(arn);
    assert.equal(i.calls.find, 1);
    await observed.roles.updateRole('r', {});
    await issuer.findRole(arn);
    await observed.policies.attachRolePolicy('r', {} as never, {} as never);
    await issuer.findRole(arn);
    assert.equal(i.calls.find, 3);
  });
});

describe('HotPathCache: issuer', () => {
  test('fail/no-negative: an unknown role is read again, so a role created elsewhere is used at once', async () => {
    const cache = new HotPathCache(silentFeed);
    const i = fakeIssuer();
    const issuer = cache.issuer(i.issuer);
    const arn = roleArn('', 'new');
    assert.equal(await issuer.findRole(arn), undefined);
    i.put(arn);
    assert.equal((await issuer.findRole(arn))?.arn, arn);
  });

  test('ok/issue: passes straight through, uncached', async () => {
    const cache = new HotPathCache(silentFeed);
    const i = fakeIssuer();
    const issuer = cache.issuer(i.issuer);
    await issuer.issue({} as never);
    await issuer.issue({} as never);
    assert.equal(i.calls.issue, 2);
  });

  test('ok/role-name: the last path segment of the ARN, lower-cased', () => {
    assert.equal(roleNameOfArn('arn:aws:iam::111122223333:role/a/b/My-Role'), 'my-role');
    assert.equal(roleNameOfArn('arn:aws-cn:iam::111122223333:role/r'), 'r');
  });
});

describe('HotPathCache: read lists match the stores', () => {
  const classes = {
    trustAnchors: [SqliteTrustAnchorStore, PgTrustAnchorStore],
    profiles: [SqliteProfileStore, PgProfileStore],
    crls: [SqliteCrlStore, PgCrlStore],
    roles: [SqliteRoleStore, PgRoleStore],
    policies: [SqliteManagedPolicyStore, PgManagedPolicyStore],
  } as const;
  const WRITE_VERBS = /^(insert|save|delete|create|update|put|tag|untag|attach|detach|set|record|enable|disable|import)([A-Z]|$)/;

  for (const [kind, ctors] of Object.entries(classes) as [keyof typeof classes, readonly (abstract new (...a: never[]) => object)[]][]) {
    test(`ok/${kind}: every listed read exists on both adapters, and no write is listed as a read`, () => {
      for (const ctor of ctors) {
        const methods = new Set(Object.getOwnPropertyNames(ctor.prototype).filter((n) => n !== 'constructor'));
        for (const r of STORE_READS[kind]) assert.ok(methods.has(r), `${ctor.name}.${r} exists`);
        const writes = [...methods].filter((m) => !STORE_READS[kind].has(m) && WRITE_VERBS.test(m));
        assert.ok(writes.length > 0, `${ctor.name} has writes that invalidate`);
      }
      for (const r of STORE_READS[kind]) assert.doesNotMatch(r, WRITE_VERBS);
    });
  }
});
