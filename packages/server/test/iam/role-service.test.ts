import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteConflictError,
  EntityAlreadyExistsError,
  InvalidInputError,
  LimitExceededError,
  MalformedPolicyDocumentError,
  NoSuchEntityError,
  ValidationError,
} from '../../src/core/iam/iam-errors.js';
import { S3_READ_POLICY, T0, TRUST_POLICY, newRoleService } from './fixtures.js';

test('ok/create-role: ids, ARN with path, defaults', async () => {
  const { service } = newRoleService();
  const role = await service.createRole({ roleName: 'Build', assumeRolePolicyDocument: TRUST_POLICY, path: '/ci/' });
  assert.match(role.roleId, /^AROA[0-9A-Z]{17}$/);
  assert.equal(role.arn, 'arn:aws:iam::123456789012:role/ci/Build');
  assert.equal(role.maxSessionDuration, 3600);
  assert.equal(role.createDate.getTime(), T0.getTime());
  assert.deepEqual(role.tags, []);
  const got = await service.getRole('build'); // case-insensitive lookup
  assert.equal(got.roleName, 'Build');
  assert.equal(got.assumeRolePolicyDocument, TRUST_POLICY);
});

test('ok/create-role: description, duration and tags are kept', async () => {
  const { service } = newRoleService();
  await service.createRole({
    roleName: 'r1',
    assumeRolePolicyDocument: TRUST_POLICY,
    description: 'for CI',
    maxSessionDuration: 43200,
    tags: [{ key: 'team', value: 'infra' }],
  });
  const role = await service.getRole('r1');
  assert.equal(role.description, 'for CI');
  assert.equal(role.maxSessionDuration, 43200);
  assert.deepEqual(role.tags, [{ key: 'team', value: 'infra' }]);
});

test('fail/create-role: duplicate name (case-insensitive) is EntityAlreadyExists', async () => {
  const { service } = newRoleService();
  await service.createRole({ roleName: 'Dup', assumeRolePolicyDocument: TRUST_POLICY });
  await assert.rejects(service.createRole({ roleName: 'DUP', assumeRolePolicyDocument: TRUST_POLICY }), (e: unknown) => {
    assert.ok(e instanceof EntityAlreadyExistsError);
    assert.equal(e.status, 409);
    assert.equal(e.message, 'Role with name DUP already exists.');
    return true;
  });
});

const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
  ['bad-name', { roleName: 'bad name' }, /^1 validation error detected: Value 'bad name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\w\+=,\.@-\]\+$/],
  ['long-name', { roleName: 'x'.repeat(65) }, /at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64/],
  ['missing-name', { roleName: undefined }, /Value null at 'roleName' failed to satisfy constraint: Member must not be null/],
  ['bad-path', { path: 'nope' }, /at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern/],
  ['duration-low', { maxSessionDuration: 3599 }, /at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600/],
  ['duration-high', { maxSessionDuration: 43201 }, /Member must have value less than or equal to 43200/],
  ['description-long', { description: 'd'.repeat(1001) }, /at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000/],
  ['too-many-tags', { tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }, /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50/],
  ['bad-tag-key', { tags: [{ key: 'a*b', value: 'v' }] }, /at 'tags.1.member.key' failed/],
  ['missing-trust', { assumeRolePolicyDocument: undefined }, /Value null at 'assumeRolePolicyDocument'/],
];
for (const [name, patch, message] of invalid) {
  test(`fail/create-role: ${name} is ValidationError`, async () => {
    const { service } = newRoleService();
    const input = { roleName: 'ok-role', assumeRolePolicyDocument: TRUST_POLICY, ...patch } as Parameters<typeof service.createRole>[0];
    await assert.rejects(service.createRole(input), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.equal(e.status, 400);
      assert.match(e.message, message);
      return true;
    });
  });
}

test('fail/create-role: several violations are all listed', async () => {
  const { service } = newRoleService();
  await assert.rejects(service.createRole({ roleName: 'a b', assumeRolePolicyDocument: TRUST_POLICY, maxSessionDuration: 1 }), /ValidationError: 2 validation errors detected: .*roleName.*; .*maxSessionDuration/);
});

test('fail/create-role: duplicate tag keys differing in case are InvalidInput', async () => {
  const { service } = newRoleService();
  const tags = [{ key: 'Team', value: 'a' }, { key: 'team', value: 'b' }];
  await assert.rejects(service.createRole({ roleName: 'r', assumeRolePolicyDocument: TRUST_POLICY, tags }), InvalidInputError);
});

test('fail/tag keys starting with aws: (any case) are reserved, on create and on TagRole', async () => {
  const { service } = newRoleService();
  const reserved = (e: unknown) => e instanceof InvalidInputError && e.message === "Tag keys starting with 'aws:' are reserved for internal use.";
  await assert.rejects(service.createRole({ roleName: 'r', assumeRolePolicyDocument: TRUST_POLICY, tags: [{ key: 'aws:x', value: 'v' }] }), reserved);
  await service.createRole({ roleName: 'r', assumeRolePolicyDocument: TRUST_POLICY, tags: [{ key: 'awsx', value: 'v' }] });
  await assert.rejects(service.tagRole({ roleName: 'r', tags: [{ key: 'AWS:Foo', value: 'v' }] }), reserved);
});

test('fail/create-role: malformed trust policy is MalformedPolicyDocument', async () => {
  const { service } = newRoleService();
  await assert.rejects(service.createRole({ roleName: 'r', assumeRolePolicyDocument: '{not json' }), (e: unknown) => {
    assert.ok(e instanceof MalformedPolicyDocumentError);
    assert.equal(e.status, 400);
    return true;
  });
  await assert.rejects(service.getRole('r'), NoSuchEntityError);
});

test('fail/written policies: Sids must be alphanumeric and unique; a trust policy may only name STS actions', async () => {
  const { service } = newRoleService();
  await service.createRole({ roleName: 'r', assumeRolePolicyDocument: TRUST_POLICY });
  const identity = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const stmt = (sid: string) => ({ Sid: sid, Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
  const malformed = (message: string) => (e: unknown) => e instanceof MalformedPolicyDocumentError && e.message === message;
  await assert.rejects(service.putRolePolicy({ roleName: 'r', policyName: 'p', policyDocument: identity(stmt('a b-c')) }),
    malformed('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*'));
  await assert.rejects(service.putRolePolicy({ roleName: 'r', policyName: 'p', policyDocument: identity(stmt('A'), stmt('A')) }),
    malformed('Statement IDs (SID) in a single policy must be unique.'));
  await service.putRolePolicy({ roleName: 'r', policyName: 'p', policyDocument: identity(stmt('Read1'), stmt('Read2'), stmt('')) });
  const trust = JSON.parse(TRUST_POLICY) as { Statement: Array<{ Action: unknown }> };
  trust.Statement[0]!.Action = 's3:GetObject';
  await assert.rejects(service.updateAssumeRolePolicy({ roleName: 'r', policyDocument: JSON.stringify(trust) }), malformed('AssumeRole policy may only specify STS AssumeRole actions.'));
  trust.Statement[0]!.Action = ['sts:AssumeRole', 'STS:TagSession', 'sts:SetContext'];
  await service.updateAssumeRolePolicy({ roleName: 'r', policyDocument: JSON.stringify(trust) });
});

test('fail/a trust policy naming a role of this account that does not exist is an invalid principal', async () => {
  const { service } = newRoleService();
  const trusting = (arn: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: arn }, Action: 'sts:AssumeRole' }] });
  const ghost = 'arn:aws:iam::123456789012:role/ghost';
  await assert.rejects(service.createRole({ roleName: 'r', assumeRolePolicyDocument: trusting(ghost) }),
    (e: unknown) => e instanceof MalformedPolicyDocumentError && e.message === `Invalid principal in policy: "AWS":"${ghost}"`);
  const caller = await service.createRole({ roleName: 'caller', path: '/ci/', assumeRolePolicyDocument: TRUST_POLICY });
  await service.createRole({ roleName: 'r', assumeRolePolicyDocument: trusting(caller.arn) });
  await assert.rejects(service.updateAssumeRolePolicy({ roleName: 'r', policyDocument: trusting('arn:aws:iam::123456789012:role/caller') }), MalformedPolicyDocumentError, 'the path is part of the ARN');
  // Other accounts and the account root cannot be checked here, and are accepted.
  await service.updateAssumeRolePolicy({ roleName: 'r', policyDocument: trusting('arn:aws:iam::999988887777:role/elsewhere') });
  await service.updateAssumeRolePolicy({ roleName: 'r', policyDocument: trusting('arn:aws:iam::123456789012:root') });
});

test('fail/create-role: oversized trust policy is LimitExceeded', async () => {
  const { service } = newRoleService();
  const big = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: 'sts:AssumeRole', Sid: 'x'.repeat(2100) }],
  });
  await assert.rejects(service.createRole({ roleName: 'r', assumeRolePolicyDocument: big }), (e: unknown) => {
    assert.ok(e instanceof LimitExceededError);
    assert.equal(e.message, 'Cannot exceed quota for ACLSizePerRole: 2048');
    return true;
  });
});

test('fail/get-role: missing role is NoSuchEntity 404', async () => {
  const { service } = newRoleService();
  await assert.rejects(service.getRole('ghost'), (e: unknown) => {
    assert.ok(e instanceof NoSuchEntityError);
    assert.equal(e.status, 404);
    assert.equal(e.message, 'The role with name ghost cannot be found.');
    return true;
  });
});

test('ok/list-roles: path prefix, paging with marker', async () => {
  const { service } = newRoleService();
  for (const [name, path] of [['a', '/x/'], ['b', '/'], ['c', '/x/y/'], ['d', '/x/']] as const) {
    await service.createRole({ roleName: name, path, assumeRolePolicyDocument: TRUST_POLICY });
  }
  const all = await service.listRoles({});
  assert.deepEqual(all.roles.map((r) => r.roleName), ['a', 'b', 'c', 'd']);
  assert.equal(all.isTruncated, false);
  const x = await service.listRoles({ pathPrefix: '/x/' });
  assert.deepEqual(x.roles.map((r) => r.roleName), ['a', 'c', 'd']);
  const p1 = await service.listRoles({ maxItems: 3 });
  assert.equal(p1.isTruncated, true);
  assert.deepEqual(p1.roles.map((r) => r.roleName), ['a', 'b', 'c']);
  const p2 = await service.listRoles({ maxItems: 3, marker: p1.marker as string });
  assert.deepEqual(p2.roles.map((r) => r.roleName), ['d']);
  assert.equal(p2.isTruncated, false);
  await assert.rejects(service.listRoles({ maxItems: 0 }), ValidationError);
  await assert.rejects(service.listRoles({ maxItems: 1001 }), ValidationError);
});

test('ok/update-role and update-assume-role-policy', async () => {
  const { service } = newRoleService();
  await service.createRole({ roleName: 'r', assumeRolePolicyDocument: TRUST_POLICY });
  await service.updateRole({ roleName: 'r', description: 'new', maxSessionDuration: 7200 });
  const newTrust = TRUST_POLICY.replace('sts:TagSession', 'sts:TagSession');
  await service.updateAssumeRolePolicy({ roleName: 'r', policyDocument: ` ${newTrust}` });
  const role = await service.getRole('r');
  assert.equal(role.description, 'new');
  assert.equal(role.maxSessionDuration, 7200);
  assert.equal(role.assumeRolePolicyDocument, ` ${newTrust}`);
  await assert.rejects(service.updateRole({ roleName: 'nope', description: 'x' }), NoSuchEntityError);
  await assert.rejects(service.updateAssumeRolePolicy({ roleName: 'r', policyDocument: '[]' }), MalformedPolicyDocumentError);
});

test('ok/inline policies: put, get, list, delete, then delete role', async () => {
  const { service } = newRoleService();
  await service.createRole({ roleName: 'R', assumeRolePolicyDocument: TRUST_POLICY });
  await service.putRolePolicy({ roleName: 'r', policyName: 'b-read', policyDocument: S3_READ_POLICY });
  await service.putRolePolicy({ roleName: 'R', policyName: 'a-read', policyDocument: S3_READ_POLICY });
  const got = await service.getRolePolicy('r', 'b-read');
  assert.deepEqual(got, { roleName: 'R', policyName: 'b-read', policyDocument: S3_READ_POLICY });
  const page = await service.listRolePolicies({ roleName: 'R', maxItems: 1 });
  assert.deepEqual(page, { policyNames: ['a-read'], isTruncated: true, marker: 'a-read' });
  const rest = await service.listRolePolicies({ roleName: 'R', marker: 'a-read' });
  assert.deepEqual(rest.policyNames, ['b-read']);
  await assert.rejects(service.deleteRole('R'), (e: unknown) => {
    assert.ok(e instanceof DeleteConflictError);
    assert.equal(e.status, 409);
    assert.equal(e.message, 'Cannot delete entity, must delete policies first.');
    return true;
  });
  await service.deleteRolePolicy('R', 'a-read');
  await service.deleteRolePolicy('R', 'b-read');
  await assert.rejects(service.deleteRolePolicy('R', 'b-read'), /The role policy with name b-read cannot be found\./);
  await service.deleteRole('R');
  await assert.rejects(service.getRole('R'), NoSuchEntityError);
  await assert.rejects(service.deleteRole('R'), NoSuchEntityError);
});

test('fail/put-role-policy: malformed identity policy, missing role, aggregate size', async () => {
  const { service } = newRoleService();
  await assert.rejects(service.putRolePolicy({ roleName: 'none', policyName: 'p', policyDocument: S3_READ_POLICY }), NoSuchEntityError);
  await service.createRole({ roleName: 'r', assumeRolePolicyDocument: TRUST_POLICY });
  // A trust-style policy with a Principal is not a valid identity policy.
  await assert.rejects(service.putRolePolicy({ roleName: 'r', policyName: 'p', policyDocument: TRUST_POLICY }), MalformedPolicyDocumentError);
  await assert.rejects(service.putRolePolicy({ roleName: 'r', policyName: 'p', policyDocument: 'nope' }), MalformedPolicyDocumentError);
  const big = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 's'.repeat(6000), Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
  });
  await service.putRolePolicy({ roleName: 'r', policyName: 'one', policyDocument: big });
  await service.putRolePolicy({ roleName: 'r', policyName: 'one', policyDocument: big }); // replacing does not double-count
  await assert.rejects(service.putRolePolicy({ roleName: 'r', policyName: 'two', policyDocument: big }), (e: unknown) => {
    assert.ok(e instanceof LimitExceededError);
    assert.equal(e.message, 'Maximum policy size of 10240 bytes exceeded for role r');
    return true;
  });
});

test('ok/find-role-by-arn: exact ARN only, same account and partition', async () => {
  const { service } = newRoleService();
  const role = await service.createRole({ roleName: 'Deploy', path: '/svc/', assumeRolePolicyDocument: TRUST_POLICY });
  assert.equal((await service.findRoleByArn(role.arn))?.roleId, role.roleId);
  assert.equal(await service.findRoleByArn('arn:aws:iam::123456789012:role/Deploy'), undefined); // wrong path
  assert.equal(await service.findRoleByArn('arn:aws:iam::999999999999:role/svc/Deploy'), undefined);
  assert.equal(await service.findRoleByArn('arn:aws-cn:iam::123456789012:role/svc/Deploy'), undefined);
  assert.equal(await service.findRoleByArn('arn:aws:iam::123456789012:user/svc/Deploy'), undefined);
  assert.equal(await service.findRoleByArn('not an arn'), undefined);
});
