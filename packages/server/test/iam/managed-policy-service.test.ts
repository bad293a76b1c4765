import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteConflictError,
  EntityAlreadyExistsError,
  InvalidInputError,
  LimitExceededError,
  MalformedPolicyDocumentError,
  NoSuchEntityError,
  ValidationError,
} from '../../src/core/iam/iam-errors.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { SqliteManagedPolicyStore } from '../../src/store/sqlite/sqlite-managed-policy-store.js';
import { S3_READ_POLICY, T0, TRUST_POLICY, newIamServices } from './fixtures.js';

const ADMIN_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

function rejectsWith<E extends Error>(p: Promise<unknown>, type: new (...a: never[]) => E, message: string | RegExp) {
  return assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

test('ok/create-policy: ANPA id, ARN with path, v1 default, tags, description', async () => {
  const { policyService } = newIamServices();
  const p = await policyService.createPolicy({ policyName: 'Read', path: '/team/a/', policyDocument: S3_READ_POLICY, description: 'read it', tags: [{ key: 'k', value: 'v' }] });
  assert.match(p.policyId, /^ANPA[0-9A-Z]{17}$/);
  assert.equal(p.arn, 'arn:aws:iam::123456789012:policy/team/a/Read');
  assert.equal(p.defaultVersionId, 'v1');
  assert.equal(p.attachmentCount, 0);
  assert.equal(p.createDate.getTime(), T0.getTime());
  const got = await policyService.getPolicy(p.arn);
  assert.equal(got.description, 'read it');
  assert.deepEqual(got.tags, [{ key: 'k', value: 'v' }]);
  assert.equal(got.document, S3_READ_POLICY);
  const v = await policyService.versions.get(p.arn, 'v1');
  assert.equal(v.document, S3_READ_POLICY);
  assert.equal(v.isDefaultVersion, true);
});

test('fail/create-policy: duplicate name in any path and case is EntityAlreadyExists', async () => {
  const { policyService } = newIamServices();
  await policyService.createPolicy({ policyName: 'Dup', policyDocument: S3_READ_POLICY });
  await rejectsWith(policyService.createPolicy({ policyName: 'DUP', path: '/x/', policyDocument: S3_READ_POLICY }), EntityAlreadyExistsError, 'A policy called DUP already exists. Duplicate names are not allowed.');
});

test('fail/create-policy: malformed documents are MalformedPolicyDocument', async () => {
  const { policyService } = newIamServices();
  await rejectsWith(policyService.createPolicy({ policyName: 'a', policyDocument: '{"Version":"2012-10-17","Statement":"x"}' }), MalformedPolicyDocumentError, 'Syntax errors in policy.');
  await rejectsWith(policyService.createPolicy({ policyName: 'b', policyDocument: TRUST_POLICY }), MalformedPolicyDocumentError, 'Policy document should not specify a principal.');
  await rejectsWith(policyService.createPolicy({ policyName: 'c', policyDocument: 'not json' }), MalformedPolicyDocumentError, 'Syntax errors in policy.');
});

test('fail/create-policy: size quota and member constraints', async () => {
  const { policyService } = newIamServices();
  const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(6200)}` }] });
  await rejectsWith(policyService.createPolicy({ policyName: 'big', policyDocument: big }), LimitExceededError, 'Cannot exceed quota for PolicySize: 6144');
  await rejectsWith(policyService.createPolicy({ policyName: 'bad name', path: 'nope', policyDocument: S3_READ_POLICY }), ValidationError, /^2 validation errors detected: .*'policyName'.*; .*'path' failed to satisfy constraint: Member must satisfy regular expression pattern: \(\(\/\[A-Za-z0-9\\\.,\\\+@=_-\]\+\)\*\)\//);
  await rejectsWith(policyService.createPolicy({ policyName: undefined, policyDocument: undefined }), ValidationError, /^2 validation errors detected: Value null at 'policyName' failed to satisfy constraint: Member must not be null/);
});

test('ok/list-policies: scopes, OnlyAttached, PathPrefix and Marker paging', async () => {
  const { service, policyService } = newIamServices();
  await service.createRole({ roleName: 'r', assumeRolePolicyDocument: TRUST_POLICY });
  const names = ['p1', 'p2', 'p3'];
  for (const n of names) await policyService.createPolicy({ policyName: n, path: n === 'p3' ? '/deep/' : '/', policyDocument: S3_READ_POLICY });
  await policyService.attachRolePolicy('r', 'arn:aws:iam::123456789012:policy/p2');

  const local = await policyService.listPolicies({ scope: 'Local' });
  // Ordered by ARN: policy/deep/p3 sorts before policy/p1.
  assert.deepEqual(local.items.map((p) => p.policyName), ['p3', 'p1', 'p2']);
  const aws = await policyService.listPolicies({ scope: 'AWS' });
  assert.deepEqual(aws.items.map((p) => p.arn), [ADMIN_ARN]);
  const all = await policyService.listPolicies({});
  assert.equal(all.items.length, 4);
  const attached = await policyService.listPolicies({ onlyAttached: true });
  assert.deepEqual(attached.items.map((p) => [p.policyName, p.attachmentCount]), [['p2', 1]]);
  const deep = await policyService.listPolicies({ pathPrefix: '/deep/' });
  assert.deepEqual(deep.items.map((p) => p.policyName), ['p3']);
  assert.deepEqual((await policyService.listPolicies({ policyUsageFilter: 'PermissionsBoundary' })).items, []);

  const seen: string[] = [];
  let marker: string | undefined;
  do {
    const page = await policyService.listPolicies({ maxItems: 1, ...(marker ? { marker } : {}) });
    assert.equal(page.items.length, 1);
    seen.push(page.items[0]!.arn);
    marker = page.marker;
    assert.equal(page.isTruncated, marker !== undefined);
  } while (marker);
  assert.deepEqual(seen, all.items.map((p) => p.arn));
  await rejectsWith(policyService.listPolicies({ scope: 'Mine' }), ValidationError, "1 validation error detected: Value 'Mine' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]");
});

test('ok/attach-role-policy: attach, idempotent re-attach, list, detach', async () => {
  const { service, policyService } = newIamServices();
  await service.createRole({ roleName: 'r', assumeRolePolicyDocument: TRUST_POLICY });
  const p = await policyService.createPolicy({ policyName: 'read', path: '/s3/', policyDocument: S3_READ_POLICY });
  await policyService.attachRolePolicy('R', p.arn);
  await policyService.attachRolePolicy('r', p.arn);
  await policyService.attachRolePolicy('r', ADMIN_ARN);
  const list = await policyService.listAttachedRolePolicies({ roleName: 'r' });
  assert.deepEqual(list.items, [
    { policyName: 'read', policyArn: 'arn:aws:iam::123456789012:policy/s3/read' },
    { policyName: 'AdministratorAccess', policyArn: ADMIN_ARN },
  ]);
  assert.deepEqual((await policyService.listAttachedRolePolicies({ roleName: 'r', pathPrefix: '/s3/' })).items.map((a) => a.policyName), ['read']);
  assert.equal((await policyService.getPolicy(p.arn)).attachmentCount, 1);
  assert.equal((await policyService.getPolicy(ADMIN_ARN)).attachmentCount, 1);
  await policyService.detachRolePolicy('r', p.arn);
  assert.deepEqual((await policyService.listAttachedRolePolicies({ roleName: 'r' })).items.map((a) => a.policyName), ['AdministratorAccess']);
});

test('fail/attach-role-policy: unknown role, unknown policy, unsupported AWS policy, bad ARN', async () => {
  const { service, policyService } = newIamServices();
  await service.createRole({ roleName: 'r', assumeRolePolicyDocument: TRUST_POLICY });
  const missing = 'arn:aws:iam::123456789012:policy/missing';
  await rejectsWith(policyService.attachRolePolicy('nobody', ADMIN_ARN), NoSuchEntityError, 'The role with name nobody cannot be found.');
  await rejectsWith(policyService.attachRolePolicy('r', missing), NoSuchEntityError, `Policy ${missing} does not exist or is not attachable.`);
  await rejectsWith(policyService.attachRolePolicy('r', 'arn:aws:iam::aws:policy/ReadOnlyAccess'), NoSuchEntityError, 'Policy arn:aws:iam::aws:policy/ReadOnlyAccess does not exist or is not attachable.');
  await rejectsWith(policyService.attachRolePolicy('r', 'arn:aws:iam::999999999999:policy/theirs'), NoSuchEntityError, /does not exist or is not attachable/);
  await rejectsWith(policyService.attachRolePolicy('r', 'not-an-arn-but-long-enough'), InvalidInputError, 'ARN not-an-arn-but-long-enough is not valid.');
  await rejectsWith(policyService.attachRolePolicy('r', 'short'), ValidationError, /at 'policyArn' failed to satisfy constraint: Member must have length greater than or equal to 20/);
  await rejectsWith(policyService.detachRolePolicy('r', ADMIN_ARN), NoSuchEntityError, `Policy ${ADMIN_ARN} was not found.`);
  await rejectsWith(policyService.listAttachedRolePolicies({ roleName: 'nobody' }), NoSuchEntityError, 'The role with name nobody cannot be found.');
});

test('fail/attach-role-policy: more than 10 attached policies is LimitExceeded', async () => {
  const { service, policyService } = newIamServices();
  await service.createRole({ roleName: 'r', assumeRolePolicyDocument: TRUST_POLICY });
  for (let i = 0; i < 10; i++) {
    const p = await policyService.createPolicy({ policyName: `p${i}`, policyDocument: S3_READ_POLICY });
    await policyService.attachRolePolicy('r', p.arn);
  }
  const eleventh = await policyService.createPolicy({ policyName: 'p10', policyDocument: S3_READ_POLICY });
  await rejectsWith(policyService.attachRolePolicy('r', eleventh.arn), LimitExceededError, 'Cannot exceed quota for PoliciesPerRole: 10');
  // Re-attaching one of the ten is still fine (idempotent).
  await policyService.attachRolePolicy('r', 'arn:aws:iam::123456789012:policy/p3');
});

test('fail/delete-policy: DeleteConflict while attached; NoSuchEntity afterwards; AWS policies are not ours', async () => {
  const { service, policyService } = newIamServices();
  await service.createRole({ roleName: 'r', assumeRolePolicyDocument: TRUST_POLICY });
  const p = await policyService.createPolicy({ policyName: 'read', policyDocument: S3_READ_POLICY });
  await policyService.attachRolePolicy('r', p.arn);
  await rejectsWith(policyService.deletePolicy(p.arn), DeleteConflictError, 'Cannot delete a policy attached to entities.');
  await rejectsWith(service.deleteRole('r'), DeleteConflictError, 'Cannot delete entity, must detach all policies first.');
  await policyService.detachRolePolicy('r', p.arn);
  await policyService.deletePolicy(p.arn);
  await rejectsWith(policyService.getPolicy(p.arn), NoSuchEntityError, `Policy ${p.arn} was not found.`);
  await rejectsWith(policyService.deletePolicy(p.arn), NoSuchEntityError, `Policy ${p.arn} was not found.`);
  await rejectsWith(policyService.deletePolicy(ADMIN_ARN), NoSuchEntityError, `Policy ${ADMIN_ARN} was not found.`);
  await service.deleteRole('r');
});

test('fail/get-policy-version: a version that does not exist; an AWS managed policy has its v1', async () => {
  const { policyService } = newIamServices();
  const p = await policyService.createPolicy({ policyName: 'read', policyDocument: S3_READ_POLICY });
  await rejectsWith(policyService.versions.get(p.arn, 'v2'), NoSuchEntityError, `Policy ${p.arn} version v2 does not exist or is not attachable.`);
  await rejectsWith(policyService.versions.get(p.arn, 'x1'), ValidationError, /at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  const admin = await policyService.versions.get(ADMIN_ARN, 'v1');
  assert.deepEqual(JSON.parse(admin.document), { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
});

test('ok/role-tags: tag, overwrite case-insensitively, untag, list with paging', async () => {
  const { service } = newIamServices();
  await service.createRole({ roleName: 'r', assumeRolePolicyDocument: TRUST_POLICY, tags: [{ key: 'Team', value: 'a' }] });
  await service.tagRole({ roleName: 'r', tags: [{ key: 'team', value: 'b' }, { key: 'env', value: 'prod' }] });
  assert.deepEqual((await service.getRole('r')).tags, [{ key: 'team', value: 'b' }, { key: 'env', value: 'prod' }]);
  const first = await service.listRoleTags({ roleName: 'r', maxItems: 1 });
  assert.deepEqual(first, { tags: [{ key: 'team', value: 'b' }], isTruncated: true, marker: '1' });
  const second = await service.listRoleTags({ roleName: 'r', maxItems: 1, marker: first.marker as string });
  assert.deepEqual(second, { tags: [{ key: 'env', value: 'prod' }], isTruncated: false });
  await service.untagRole({ roleName: 'r', tagKeys: ['TEAM', 'absent'] });
  assert.deepEqual((await service.listRoleTags({ roleName: 'r' })).tags, [{ key: 'env', value: 'prod' }]);
});

test('fail/role-tags: unknown role, duplicate keys, bad key, more than 50 tags', async () => {
  const { service } = newIamServices();
  await service.createRole({ roleName: 'r', assumeRolePolicyDocument: TRUST_POLICY });
  await rejectsWith(service.tagRole({ roleName: 'nobody', tags: [{ key: 'a', value: 'b' }] }), NoSuchEntityError, 'The role with name nobody cannot be found.');
  await rejectsWith(service.untagRole({ roleName: 'nobody', tagKeys: ['a'] }), NoSuchEntityError, 'The role with name nobody cannot be found.');
  await rejectsWith(service.listRoleTags({ roleName: 'nobody' }), NoSuchEntityError, 'The role with name nobody cannot be found.');
  await rejectsWith(service.tagRole({ roleName: 'r', tags: [{ key: 'a', value: '1' }, { key: 'A', value: '2' }] }), InvalidInputError, 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  await rejectsWith(service.tagRole({ roleName: 'r', tags: [{ key: 'bad*key', value: '1' }] }), ValidationError, /at 'tags.1.member.key' failed to satisfy constraint/);
  await rejectsWith(service.tagRole({ roleName: 'r', tags: undefined }), ValidationError, /Value null at 'tags' failed to satisfy constraint: Member must not be null/);
  await service.tagRole({ roleName: 'r', tags: Array.from({ length: 30 }, (_, i) => ({ key: `a${i}`, value: '' })) });
  await rejectsWith(service.tagRole({ roleName: 'r', tags: Array.from({ length: 21 }, (_, i) => ({ key: `b${i}`, value: '' })) }), LimitExceededError, 'Cannot exceed quota for TagsPerRole: 50');
  assert.equal((await service.getRole('r')).tags.length, 30); // nothing applied
});

test('ok/sqlite-managed-policy-store: migration 010 applies and policies survive a reopen', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-policies-'));
  try {
    const file = join(dir, 'm.db');
    const db1 = openSqliteDatabase(file);
    const ids = (db1.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
    assert.ok(ids.includes(10), JSON.stringify(ids));
    const store1 = new SqliteManagedPolicyStore(db1);
    await store1.createPolicy({ policyId: 'ANPAAAAAAAAAAAAAAAAAA', policyName: 'keep', path: '/', arn: 'arn:aws:iam::123456789012:policy/keep', defaultVersionId: 'v1', document: S3_READ_POLICY, createDate: T0, updateDate: T0, tags: [], scope: 'Local' });
    db1.close();
    const db2 = openSqliteDatabase(file);
    const got = await new SqliteManagedPolicyStore(db2).getPolicy('arn:aws:iam::123456789012:policy/keep');
    db2.close();
    assert.equal(got?.document, S3_READ_POLICY);
    assert.equal(got?.createDate.getTime(), T0.getTime());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
