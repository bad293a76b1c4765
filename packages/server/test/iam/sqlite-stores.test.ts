import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../src/core/iam/role.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { SqliteRoleStore } from '../../src/store/sqlite/sqlite-role-store.js';
import { SqliteAccessKeyStore } from '../../src/store/sqlite/sqlite-access-key-store.js';
import { ensureBootstrapAdmin } from '../../src/core/iam/bootstrap-admin.js';
import { T0, TRUST_POLICY, config, fixedClock, openStores, seededRandom } from './fixtures.js';

function role(name: string, extra: Partial<Role> = {}): Role {
  return {
    roleId: `AROA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    roleName: name,
    path: '/',
    arn: `arn:aws:iam::123456789012:role/${name}`,
    assumeRolePolicyDocument: TRUST_POLICY,
    maxSessionDuration: 3600,
    createDate: T0,
    tags: [],
    ...extra,
  };
}

test('ok/sqlite-role-store: round trip keeps every field', async () => {
  const { roles } = openStores();
  const r = role('Full', { description: 'd', tags: [{ key: 'k', value: 'v' }], path: '/p/', maxSessionDuration: 7200 });
  assert.equal(await roles.createRole(r), 'created');
  assert.deepEqual(await roles.getRole('full'), r);
});

test('fail/sqlite-role-store: names are unique case-insensitively', async () => {
  const { roles } = openStores();
  assert.equal(await roles.createRole(role('Admin')), 'created');
  assert.equal(await roles.createRole(role('ADMIN', { roleId: 'AROAOTHERIDXXXXXXXX' })), 'exists');
});

test('ok/sqlite-role-store: path prefix is literal, not a LIKE pattern', async () => {
  const { roles } = openStores();
  await roles.createRole(role('a', { path: '/a_b/' }));
  await roles.createRole(role('b', { path: '/axb/' }));
  const page = await roles.listRoles({ pathPrefix: '/a_', maxItems: 10 });
  assert.deepEqual(page.roles.map((r) => r.roleName), ['a']);
});

test('ok/sqlite-role-store: delete refuses while policies exist', async () => {
  const { roles } = openStores();
  await roles.createRole(role('r'));
  assert.equal(await roles.putRolePolicy('R', { policyName: 'p', policyDocument: '{}' }), 'ok');
  assert.equal(await roles.putRolePolicy('R', { policyName: 'p', policyDocument: '{"v":2}' }), 'ok');
  assert.deepEqual(await roles.listRolePolicies('r'), [{ policyName: 'p', policyDocument: '{"v":2}' }]);
  assert.equal(await roles.deleteRole('r'), 'has-policies');
  assert.equal(await roles.deleteRolePolicy('r', 'p'), 'deleted');
  assert.equal(await roles.deleteRolePolicy('r', 'p'), 'not-found');
  assert.equal(await roles.deleteRole('r'), 'deleted');
  assert.equal(await roles.deleteRole('r'), 'not-found');
  assert.equal(await roles.putRolePolicy('r', { policyName: 'p', policyDocument: '{}' }), 'role-not-found');
});

test('ok/sqlite: data survives reopening a file database; migrations apply once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-iam-'));
  try {
    const file = join(dir, 'm.db');
    const db1 = openSqliteDatabase(file);
    await new SqliteRoleStore(db1).createRole(role('persisted'));
    const admin = await ensureBootstrapAdmin(new SqliteAccessKeyStore(db1), seededRandom('a'), config, undefined, fixedClock());
    db1.close();
    const db2 = openSqliteDatabase(file);
    assert.equal((await new SqliteRoleStore(db2).getRole('persisted'))?.roleName, 'persisted');
    assert.deepEqual(await new SqliteAccessKeyStore(db2).getAccessKey(admin.accessKeyId), admin);
    const applied = db2.prepare('SELECT COUNT(*) AS n FROM schema_migrations WHERE id = 1').get() as { n: number };
    assert.equal(applied.n, 1);
    db2.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ok/bootstrap-admin: created once, same record afterwards', async () => {
  const { accessKeys } = openStores();
  const first = await ensureBootstrapAdmin(accessKeys, seededRandom('one'), config, 'mooring-admin', fixedClock());
  assert.match(first.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(first.secretAccessKey.length, 40);
  assert.match(first.userId, /^AIDA[0-9A-Z]{17}$/);
  assert.equal(first.userArn, 'arn:aws:iam::123456789012:user/mooring-admin');
  assert.equal(first.status, 'Active');
  // A second replica with different randomness must converge on the first key.
  const second = await ensureBootstrapAdmin(accessKeys, seededRandom('two'), config, 'mooring-admin', fixedClock());
  assert.deepEqual(second, first);
  assert.deepEqual(await accessKeys.getAccessKey(first.accessKeyId), first);
  assert.equal(await accessKeys.getAccessKey('AKIANOTAKEYATALLXXXX'), undefined);
});
