// The roles-anywhere.yaml template that docs/apply.md shows, applied as the doc says: the plan
// and the summary it prints, then a second apply that changes nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT } from '../support/run.js';
import { ApplyHarness, testCa } from './apply-support.js';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'apply.md'), 'utf8');
const template = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];

describe('docs/apply.md template', () => {
  const a = new ApplyHarness();
  let file = '';
  let params: string[] = [];
  before(async () => {
    assert.ok(template, 'docs/apply.md has a yaml block');
    await a.start();
    file = a.file('roles-anywhere.yaml', template);
    params = ['--parameter', `CACertificateBody=${testCa().pem}`];
  });
  after(() => a.stop());

  test('ok/dry run, apply and re-apply print what the doc shows', async () => {
    const plan = await a.apply([file, ...params, '--dry-run']);
    assert.equal(plan.code, 0, plan.stderr);
    const applied = await a.apply([file, ...params]);
    assert.equal(applied.code, 0, applied.stderr);
    for (const line of ['+ create       TrustAnchor (AWS::RolesAnywhere::TrustAnchor)', '+ create       WorkloadRole (AWS::IAM::Role)', '+ create       Profile (AWS::RolesAnywhere::Profile)'])
      assert.ok(applied.stdout.includes(line), `${line}\n${applied.stdout}`);
    assert.match(applied.stdout, /Applied stack "roles-anywhere": 3 created, 0 updated, 0 replaced, 0 deleted, 0 unchanged\./);
    assert.match(applied.stdout, /ProfileArn = arn:aws:rolesanywhere:us-east-1:111122223333:profile\//);
    const again = await a.apply([file, ...params]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /no changes: stack "roles-anywhere" is up to date \(3 resources\)/);
  });
});
