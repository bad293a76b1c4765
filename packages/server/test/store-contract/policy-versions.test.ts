// Managed policy versions on both backends: numbering never reuses an id, the five-version limit
// holds under concurrent creates, the default moves, and DeletePolicy waits for the versions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Stores } from '../../src/app/store-factory.js';
import { backendHooks, postgresBackend, postgresSkip, sqliteBackend, type Backend } from './backends.js';
import { T0, policy } from './fixtures.js';

const doc = (n: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: `s3:Get${n}`, Resource: '*' }] });
const opts = { maxVersions: 5, now: T0 };

function run(backend: Backend, skip?: string): void {
  describe(`policy versions: ${backend.name}`, { skip }, () => {
    let s: Stores;
    backendHooks(backend, (o) => {
      s = o.stores;
    });

    test('ok/versions: v2, v3 … newest first, default moves, deleted ids are not reused, getPolicy reads the default', async () => {
      const p = policy();
      await s.policies.createPolicy(p);
      assert.deepEqual(await s.policies.createPolicyVersion(p.arn, { document: doc(2), setAsDefault: false }, opts), { versionId: 'v2' });
      assert.equal((await s.policies.getPolicy(p.arn))?.defaultVersionId, 'v1');
      assert.deepEqual(await s.policies.createPolicyVersion(p.arn, { document: doc(3), setAsDefault: true }, opts), { versionId: 'v3' });
      const got = await s.policies.getPolicy(p.arn);
      assert.deepEqual([got?.defaultVersionId, got?.document], ['v3', doc(3)]);
      assert.deepEqual((await s.policies.listPolicyVersions(p.arn))?.map((v) => [v.versionId, v.isDefaultVersion]), [['v3', true], ['v2', false], ['v1', false]]);
      assert.equal(await s.policies.deletePolicyVersion(p.arn, 'v3'), 'default');
      assert.equal(await s.policies.deletePolicyVersion(p.arn, 'v2'), 'deleted');
      assert.equal(await s.policies.deletePolicyVersion(p.arn, 'v2'), 'version-not-found');
      assert.deepEqual(await s.policies.createPolicyVersion(p.arn, { document: doc(4), setAsDefault: false }, opts), { versionId: 'v4' }, 'v2 is not reused');
      assert.equal(await s.policies.setDefaultPolicyVersion(p.arn, 'v1', T0), 'ok');
      assert.equal((await s.policies.getPolicy(p.arn))?.document, p.document);
      assert.equal(await s.policies.setDefaultPolicyVersion(p.arn, 'v9', T0), 'version-not-found');
      assert.equal(await s.policies.deletePolicy(p.arn), 'versions', 'non-default versions must go first');
      for (const v of ['v3', 'v4']) assert.equal(await s.policies.deletePolicyVersion(p.arn, v), 'deleted');
      assert.equal(await s.policies.deletePolicy(p.arn), 'deleted');
      const missing = 'arn:aws:iam::111122223333:policy/none';
      assert.equal(await s.policies.listPolicyVersions(missing), undefined);
      assert.equal(await s.policies.createPolicyVersion(missing, { document: doc(1), setAsDefault: false }, opts), 'not-found');
      assert.equal(await s.policies.setDefaultPolicyVersion(missing, 'v1', T0), 'not-found');
      assert.equal(await s.policies.deletePolicyVersion(missing, 'v1'), 'not-found');
    });

    test('ok/versions: eight concurrent creates leave exactly five versions with distinct ids', async () => {
      const p = policy();
      await s.policies.createPolicy(p);
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s.policies.createPolicyVersion(p.arn, { document: doc(i), setAsDefault: false }, opts)));
      const created = results.filter((r): r is { versionId: string } => typeof r === 'object');
      assert.equal(created.length, 4);
      assert.equal(results.filter((r) => r === 'limit').length, 4);
      assert.deepEqual(new Set(created.map((r) => r.versionId)), new Set(['v2', 'v3', 'v4', 'v5']));
      assert.equal((await s.policies.listPolicyVersions(p.arn))?.length, 5);
    });
  });
}

run(sqliteBackend);
run(postgresBackend, await postgresSkip());
