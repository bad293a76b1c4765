// The real AWS CLI v1 drives managed policies, attachments, role tags and role updates; the AWS
// SDK for JavaScript v3 (@aws-sdk/client-iam) reads them back through its own deserialisers.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListRoleTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { commandWorks, requireOrSkip } from '../../../../scripts/test-support.mjs';
import { systemClock } from '../../src/core/ports/clock.js';
import { mintSessionCredentials } from '../../src/core/sts/credential-minter.js';
import { S3_READ_POLICY, TRUST_POLICY, config } from '../iam/fixtures.js';
import { awsCliEnv, queryFixture, startQueryServer, type CliCreds } from './harness.js';

const run = promisify(execFile);
const skipCli = requireOrSkip(commandWorks('aws'), 'AWS CLI not installed');

type Creds = CliCreds;
let fx: Awaited<ReturnType<typeof queryFixture>>;
let srv: Awaited<ReturnType<typeof startQueryServer>>;

const READ_RA = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['rolesanywhere:List*', 'iam:Get*'], Resource: '*' }] });

describe('IAM managed policies and tags with the AWS CLI and the JS SDK', { concurrency: true }, () => {
  before(async () => {
    fx = await queryFixture({ clock: systemClock });
    srv = await startQueryServer(fx.deps);
  });
  after(async () => {
    await srv?.close();
  });

  async function aws(args: string[], creds: Creds = fx.admin): Promise<{ ok: boolean; json: any; stderr: string }> {
    try {
      const r = await run('aws', [...args, '--endpoint-url', srv.url, '--output', 'json'], { env: awsCliEnv(creds), timeout: 60_000 });
      return { ok: true, json: r.stdout.trim() ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
    } catch (e) {
      return { ok: false, json: undefined, stderr: (e as { stderr?: string }).stderr ?? String(e) };
    }
  }

  function sdk(): IAMClient {
    return new IAMClient({ region: config.region, endpoint: srv.url, credentials: { accessKeyId: fx.admin.accessKeyId, secretAccessKey: fx.admin.secretAccessKey }, maxAttempts: 1 });
  }

  test('ok/aws-cli: policies, attachments, tags and role updates; client-iam reads them back', { skip: skipCli }, async () => {
    const [role, policy] = await Promise.all([
      aws(['iam', 'create-role', '--role-name', 'app', '--path', '/svc/', '--description', 'app role', '--max-session-duration', '7200', '--assume-role-policy-document', TRUST_POLICY, '--tags', 'Key=team,Value=infra']),
      aws(['iam', 'create-policy', '--policy-name', 'read-s3', '--path', '/data/', '--policy-document', S3_READ_POLICY, '--description', 'read the bucket', '--tags', 'Key=owner,Value=me']),
    ]);
    assert.ok(role.ok, role.stderr);
    assert.ok(policy.ok, policy.stderr);
    const arn = policy.json.Policy.Arn as string;
    assert.equal(arn, 'arn:aws:iam::123456789012:policy/data/read-s3');
    assert.match(policy.json.Policy.PolicyId, /^ANPA[0-9A-Z]{17}$/);
    assert.equal(policy.json.Policy.DefaultVersionId, 'v1');

    const goodTrust = JSON.stringify({ ...JSON.parse(TRUST_POLICY), Statement: [{ ...JSON.parse(TRUST_POLICY).Statement[0], Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'app' } } }] });
    const results = await Promise.all([
      aws(['iam', 'attach-role-policy', '--role-name', 'app', '--policy-arn', arn]),
      aws(['iam', 'attach-role-policy', '--role-name', 'app', '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess']),
      aws(['iam', 'tag-role', '--role-name', 'app', '--tags', 'Key=env,Value=prod', 'Key=cost,Value=42']),
      aws(['iam', 'update-role', '--role-name', 'app', '--description', 'updated', '--max-session-duration', '10800']),
      aws(['iam', 'update-assume-role-policy', '--role-name', 'app', '--policy-document', goodTrust]),
    ]);
    for (const r of results) assert.ok(r.ok, r.stderr);

    const untag = await aws(['iam', 'untag-role', '--role-name', 'app', '--tag-keys', 'cost']);
    assert.ok(untag.ok, untag.stderr);

    const [attached, tags, version, listed] = await Promise.all([
      aws(['iam', 'list-attached-role-policies', '--role-name', 'app']),
      aws(['iam', 'list-role-tags', '--role-name', 'app']),
      aws(['iam', 'get-policy-version', '--policy-arn', arn, '--version-id', 'v1']),
      aws(['iam', 'list-policies', '--scope', 'Local', '--only-attached', '--path-prefix', '/data/']),
    ]);
    assert.deepEqual(attached.json.AttachedPolicies, [
      { PolicyName: 'read-s3', PolicyArn: arn },
      { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    ]);
    assert.deepEqual(tags.json.Tags, [{ Key: 'team', Value: 'infra' }, { Key: 'env', Value: 'prod' }]);
    assert.deepEqual(version.json.PolicyVersion.Document, JSON.parse(S3_READ_POLICY)); // botocore URL-decoded it
    assert.deepEqual(listed.json.Policies.map((p: { Arn: string; AttachmentCount: number }) => [p.Arn, p.AttachmentCount]), [[arn, 1]]);

    // The JS SDK's awsQuery deserialiser reads the same state.
    const client = sdk();
    const r = await client.send(new GetRoleCommand({ RoleName: 'app' }));
    assert.equal(r.Role?.Arn, 'arn:aws:iam::123456789012:role/svc/app');
    assert.equal(r.Role?.Description, 'updated');
    assert.equal(r.Role?.MaxSessionDuration, 10800);
    assert.deepEqual(r.Role?.Tags, [{ Key: 'team', Value: 'infra' }, { Key: 'env', Value: 'prod' }]);
    assert.deepEqual(JSON.parse(decodeURIComponent(r.Role?.AssumeRolePolicyDocument ?? '')), JSON.parse(goodTrust));
    const p = await client.send(new GetPolicyCommand({ PolicyArn: arn }));
    assert.equal(p.Policy?.Description, 'read the bucket');
    assert.deepEqual(p.Policy?.Tags, [{ Key: 'owner', Value: 'me' }]);
    assert.ok(p.Policy?.CreateDate instanceof Date);
    const v = await client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    assert.equal(decodeURIComponent(v.PolicyVersion?.Document ?? ''), S3_READ_POLICY);
    assert.equal(v.PolicyVersion?.IsDefaultVersion, true);
    const a = await client.send(new ListAttachedRolePoliciesCommand({ RoleName: 'app', MaxItems: 1 }));
    assert.equal(a.IsTruncated, true);
    const a2 = await client.send(new ListAttachedRolePoliciesCommand({ RoleName: 'app', Marker: a.Marker }));
    assert.deepEqual([...(a.AttachedPolicies ?? []), ...(a2.AttachedPolicies ?? [])].map((x) => x.PolicyName), ['read-s3', 'AdministratorAccess']);
    const t = await client.send(new ListRoleTagsCommand({ RoleName: 'app' }));
    assert.deepEqual(t.Tags, [{ Key: 'team', Value: 'infra' }, { Key: 'env', Value: 'prod' }]);
    const all = await client.send(new ListPoliciesCommand({ Scope: 'All' }));
    assert.ok(all.Policies?.some((x) => x.Arn === 'arn:aws:iam::aws:policy/AdministratorAccess'));
    await assert.rejects(client.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::123456789012:policy/none' })), (e: unknown) => {
      assert.ok(e instanceof NoSuchEntityException);
      assert.equal(e.message, 'Policy arn:aws:iam::123456789012:policy/none was not found.');
      return true;
    });

    // Clean up in IAM's order: detach, delete the policy, delete the role.
    const [conflictPolicy, conflictRole] = await Promise.all([
      aws(['iam', 'delete-policy', '--policy-arn', arn]),
      aws(['iam', 'delete-role', '--role-name', 'app']),
    ]);
    assert.match(conflictPolicy.stderr, /\(DeleteConflict\).*Cannot delete a policy attached to entities\./);
    assert.match(conflictRole.stderr, /\(DeleteConflict\).*Cannot delete entity, must detach all policies first\./);
    const detached = await Promise.all(
      [arn, 'arn:aws:iam::aws:policy/AdministratorAccess'].map((pa) => aws(['iam', 'detach-role-policy', '--role-name', 'app', '--policy-arn', pa])),
    );
    for (const d of detached) assert.ok(d.ok, d.stderr);
    const deleted = await Promise.all([aws(['iam', 'delete-policy', '--policy-arn', arn]), aws(['iam', 'delete-role', '--role-name', 'app'])]);
    for (const d of deleted) assert.ok(d.ok, d.stderr);
    await assert.rejects(client.send(new GetPolicyCommand({ PolicyArn: arn })), NoSuchEntityException);
  });

  test('fail/aws-cli: EntityAlreadyExists, MalformedPolicyDocument, NoSuchEntity, LimitExceeded', { skip: skipCli }, async () => {
    await fx.roles.createRole({ roleName: 'full', assumeRolePolicyDocument: TRUST_POLICY });
    for (let i = 0; i < 10; i++) {
      const p = await fx.policies.createPolicy({ policyName: `cap-${i}`, policyDocument: S3_READ_POLICY });
      await fx.policies.attachRolePolicy('full', p.arn);
    }
    await fx.policies.createPolicy({ policyName: 'cap-10', policyDocument: S3_READ_POLICY });
    const [dup, malformed, missing, limit, notAttachable] = await Promise.all([
      aws(['iam', 'create-policy', '--policy-name', 'CAP-1', '--policy-document', S3_READ_POLICY]),
      aws(['iam', 'create-policy', '--policy-name', 'bad', '--policy-document', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}']),
      aws(['iam', 'list-attached-role-policies', '--role-name', 'ghost']),
      aws(['iam', 'attach-role-policy', '--role-name', 'full', '--policy-arn', 'arn:aws:iam::123456789012:policy/cap-10']),
      aws(['iam', 'attach-role-policy', '--role-name', 'full', '--policy-arn', 'arn:aws:iam::aws:policy/ReadOnlyAccess']),
    ]);
    assert.match(dup.stderr, /\(EntityAlreadyExists\).*A policy called CAP-1 already exists\. Duplicate names are not allowed\./);
    assert.match(malformed.stderr, /\(MalformedPolicyDocument\).*Policy statement must contain resources\./);
    assert.match(missing.stderr, /\(NoSuchEntity\).*The role with name ghost cannot be found\./);
    assert.match(limit.stderr, /\(LimitExceeded\).*Cannot exceed quota for PoliciesPerRole: 10/);
    assert.match(notAttachable.stderr, /\(NoSuchEntity\).*Policy arn:aws:iam::aws:policy\/ReadOnlyAccess does not exist or is not attachable\./);
    for (const r of [dup, malformed, missing, limit, notAttachable]) assert.equal(r.ok, false);
  });

  test('ok/aws-cli: policy versions: create (default or not), list, get, set default, the five-version limit, delete order', { skip: skipCli }, async () => {
    const created = await aws(['iam', 'create-policy', '--policy-name', 'versioned', '--policy-document', S3_READ_POLICY]);
    assert.ok(created.ok, created.stderr);
    const arn = created.json.Policy.Arn as string;
    const v2doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] });
    const v2 = await aws(['iam', 'create-policy-version', '--policy-arn', arn, '--policy-document', v2doc, '--set-as-default']);
    assert.ok(v2.ok, v2.stderr);
    assert.deepEqual([v2.json.PolicyVersion.VersionId, v2.json.PolicyVersion.IsDefaultVersion], ['v2', true]);
    assert.equal((await aws(['iam', 'get-policy', '--policy-arn', arn])).json.Policy.DefaultVersionId, 'v2');
    const got = await aws(['iam', 'get-policy-version', '--policy-arn', arn, '--version-id', 'v2']);
    assert.deepEqual(got.json.PolicyVersion.Document, JSON.parse(v2doc));
    for (let i = 3; i <= 5; i++) assert.ok((await aws(['iam', 'create-policy-version', '--policy-arn', arn, '--policy-document', S3_READ_POLICY])).ok);
    const sixth = await aws(['iam', 'create-policy-version', '--policy-arn', arn, '--policy-document', S3_READ_POLICY]);
    assert.match(sixth.stderr, /\(LimitExceeded\).*A managed policy can have up to 5 versions\. Before you create a new version, you must delete an existing version\./);
    const listed = await aws(['iam', 'list-policy-versions', '--policy-arn', arn]);
    assert.deepEqual(listed.json.Versions.map((v: { VersionId: string; IsDefaultVersion: boolean }) => [v.VersionId, v.IsDefaultVersion]), [['v5', false], ['v4', false], ['v3', false], ['v2', true], ['v1', false]]);
    assert.match((await aws(['iam', 'delete-policy-version', '--policy-arn', arn, '--version-id', 'v2'])).stderr, /\(DeleteConflict\).*Cannot delete the default version of a policy\./);
    assert.ok((await aws(['iam', 'set-default-policy-version', '--policy-arn', arn, '--version-id', 'v1'])).ok);
    assert.match((await aws(['iam', 'delete-policy', '--policy-arn', arn])).stderr, /\(DeleteConflict\).*This policy has more than one version\./);
    for (const v of ['v2', 'v3', 'v4', 'v5']) assert.ok((await aws(['iam', 'delete-policy-version', '--policy-arn', arn, '--version-id', v])).ok);
    assert.ok((await aws(['iam', 'delete-policy', '--policy-arn', arn])).ok);
  });

  test('ok/aws-cli: a certificate session with List*/Get* may read IAM but not write it', { skip: skipCli }, async () => {
    const role = await fx.roles.createRole({ roleName: 'auditor', assumeRolePolicyDocument: TRUST_POLICY });
    await fx.roles.putRolePolicy({ roleName: 'auditor', policyName: 'read', policyDocument: READ_RA });
    const s = mintSessionCredentials({ role, sessionName: 'cafe01', tags: [], durationSeconds: 3600, now: new Date() }, { codec: fx.codec, random: fx.random, config });
    const [read, write, tagsRead] = await Promise.all([
      aws(['iam', 'get-role', '--role-name', 'auditor'], s),
      aws(['iam', 'create-policy', '--policy-name', 'escalate', '--policy-document', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'], s),
      aws(['iam', 'get-policy', '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess'], s),
    ]);
    assert.ok(read.ok, read.stderr);
    assert.equal(read.json.Role.RoleName, 'auditor');
    assert.ok(tagsRead.ok, tagsRead.stderr);
    assert.match(
      write.stderr,
      /\(AccessDenied\).*User: arn:aws:sts::123456789012:assumed-role\/auditor\/cafe01 is not authorized to perform: iam:CreatePolicy on resource: arn:aws:iam::123456789012:policy\/escalate/,
    );
  });
});
