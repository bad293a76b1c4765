// The real AWS CLI v1 and boto3 against the Query handler: proves wire compatibility with
// botocore's query serializer, SigV4 signer, XML parser and policy-document decoding.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { commandWorks, requireOrSkip } from '../../../../scripts/test-support.mjs';
import { systemClock } from '../../src/core/ports/clock.js';
import { mintSessionCredentials } from '../../src/core/sts/credential-minter.js';
import { S3_READ_POLICY, TRUST_POLICY, config } from '../iam/fixtures.js';
import { awsCliEnv, queryFixture, startQueryServer, type CliCreds } from './harness.js';

const run = promisify(execFile);
const skipCli = requireOrSkip(commandWorks('aws'), 'AWS CLI not installed');
const skipBoto = requireOrSkip(commandWorks('python3', ['-c', 'import boto3']), 'boto3 not installed');

type Creds = CliCreds;
let fx: Awaited<ReturnType<typeof queryFixture>>;
let srv: Awaited<ReturnType<typeof startQueryServer>>;

// Python half of the boto3 test: credentials come from AWS_* in the environment.
const BOTO3_SCRIPT = `
import json, sys, boto3, botocore
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1')  # credentials from the environment
iam = boto3.client('iam', **kw)
sts = boto3.client('sts', **kw)
out = {}
iam.create_role(RoleName='boto-role', AssumeRolePolicyDocument=sys.argv[2], MaxSessionDuration=7200)
out['role'] = iam.get_role(RoleName='boto-role')['Role']['MaxSessionDuration']
out['names'] = [r['RoleName'] for r in iam.get_paginator('list_roles').paginate(PaginationConfig={'PageSize': 1}).build_full_result()['Roles']]
out['caller'] = sts.get_caller_identity()['Arn']
try:
    iam.get_role(RoleName='missing')
except iam.exceptions.NoSuchEntityException as e:
    out['error'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`;

// CLI start-up dominates (~1 s per call): the tests are independent, so run them side by side.
describe('query protocol with real AWS clients', { concurrency: true }, () => {
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
      const err = e as { stderr?: string };
      return { ok: false, json: undefined, stderr: err.stderr ?? String(e) };
    }
  }

  test('ok/aws-cli: role lifecycle through `aws iam`', { skip: skipCli }, async () => {
    const created = await aws(['iam', 'create-role', '--role-name', 'cli-role', '--path', '/cli/', '--assume-role-policy-document', TRUST_POLICY, '--description', 'made by the CLI', '--tags', 'Key=team,Value=infra']);
    assert.ok(created.ok, created.stderr);
    assert.equal(created.json.Role.Arn, 'arn:aws:iam::123456789012:role/cli/cli-role');
    assert.match(created.json.Role.RoleId, /^AROA[0-9A-Z]{17}$/);
    assert.deepEqual(created.json.Role.AssumeRolePolicyDocument, JSON.parse(TRUST_POLICY)); // botocore URL-decoded + parsed it

    const got = await aws(['iam', 'get-role', '--role-name', 'cli-role']);
    assert.ok(got.ok, got.stderr);
    assert.equal(got.json.Role.Description, 'made by the CLI');
    assert.equal(got.json.Role.MaxSessionDuration, 3600);
    assert.deepEqual(got.json.Role.Tags, [{ Key: 'team', Value: 'infra' }]);
    assert.ok(!Number.isNaN(Date.parse(got.json.Role.CreateDate)));

    const listed = await aws(['iam', 'list-roles', '--path-prefix', '/cli/']);
    assert.ok(listed.ok, listed.stderr);
    assert.deepEqual(listed.json.Roles.map((r: { RoleName: string }) => r.RoleName), ['cli-role']);

    const put = await aws(['iam', 'put-role-policy', '--role-name', 'cli-role', '--policy-name', 'read', '--policy-document', S3_READ_POLICY]);
    assert.ok(put.ok, put.stderr);
    const pol = await aws(['iam', 'get-role-policy', '--role-name', 'cli-role', '--policy-name', 'read']);
    assert.ok(pol.ok, pol.stderr);
    assert.deepEqual(pol.json, { RoleName: 'cli-role', PolicyName: 'read', PolicyDocument: JSON.parse(S3_READ_POLICY) });

    const [conflict, dup, malformed] = await Promise.all([
      aws(['iam', 'delete-role', '--role-name', 'cli-role']),
      aws(['iam', 'create-role', '--role-name', 'CLI-ROLE', '--assume-role-policy-document', TRUST_POLICY]),
      aws(['iam', 'create-role', '--role-name', 'other', '--assume-role-policy-document', '{"Version":"2012-10-17","Statement":"nope"}']),
    ]);
    assert.equal(conflict.ok, false);
    assert.match(conflict.stderr, /\(DeleteConflict\).*Cannot delete entity, must delete policies first\./);
    assert.match(dup.stderr, /\(EntityAlreadyExists\).*Role with name CLI-ROLE already exists\./);
    assert.match(malformed.stderr, /\(MalformedPolicyDocument\)/);

    assert.ok((await aws(['iam', 'delete-role-policy', '--role-name', 'cli-role', '--policy-name', 'read'])).ok);
    assert.ok((await aws(['iam', 'delete-role', '--role-name', 'cli-role'])).ok);
    const gone = await aws(['iam', 'get-role', '--role-name', 'cli-role']);
    assert.match(gone.stderr, /\(NoSuchEntity\).*The role with name cli-role cannot be found\./);
  });

  test('ok/aws-cli: `aws sts get-caller-identity` as admin and as a minted session', { skip: skipCli }, async () => {
    const role = await fx.roles.createRole({ roleName: 'session-role', assumeRolePolicyDocument: TRUST_POLICY });
    const session = mintSessionCredentials(
      { role, sessionName: 'cafe01', tags: [], durationSeconds: 3600, now: new Date() },
      { codec: fx.codec, random: fx.random, config },
    );
    const [admin, me, denied] = await Promise.all([
      aws(['sts', 'get-caller-identity']),
      aws(['sts', 'get-caller-identity'], session),
      aws(['iam', 'list-roles'], session),
    ]);
    assert.ok(admin.ok, admin.stderr);
    assert.deepEqual(admin.json, { UserId: fx.admin.userId, Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/mooring-admin' });
    assert.ok(me.ok, me.stderr);
    assert.deepEqual(me.json, { UserId: `${role.roleId}:cafe01`, Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/session-role/cafe01' });
    assert.match(denied.stderr, /\(AccessDenied\).*assumed-role\/session-role\/cafe01 is not authorized to perform: iam:ListRoles/);
  });

  test('fail/aws-cli: bad signature, unknown key, expired and tampered tokens', { skip: skipCli }, async () => {
    const role = await fx.roles.createRole({ roleName: 'expiring', assumeRolePolicyDocument: TRUST_POLICY });
    const expired = mintSessionCredentials(
      { role, sessionName: 'old', tags: [], durationSeconds: 900, now: new Date(Date.now() - 3600_000) },
      { codec: fx.codec, random: fx.random, config },
    );
    const live = mintSessionCredentials({ role, sessionName: 'live', tags: [], durationSeconds: 900, now: new Date() }, { codec: fx.codec, random: fx.random, config });
    const tampered = Buffer.from(live.sessionToken, 'base64');
    tampered[40] = (tampered[40] as number) ^ 1;

    const [badSig, unknown, exp, tamp] = await Promise.all([
      aws(['sts', 'get-caller-identity'], { ...fx.admin, secretAccessKey: 'A'.repeat(40) }),
      aws(['iam', 'list-roles'], { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }),
      aws(['sts', 'get-caller-identity'], expired),
      aws(['sts', 'get-caller-identity'], { ...live, sessionToken: tampered.toString('base64') }),
    ]);
    assert.match(badSig.stderr, /\(SignatureDoesNotMatch\)/);
    assert.match(unknown.stderr, /\(InvalidClientTokenId\).*The security token included in the request is invalid\./);
    assert.match(exp.stderr, /\(ExpiredToken\).*The security token included in the request is expired/);
    assert.match(tamp.stderr, /\(InvalidClientTokenId\)/);
    for (const r of [badSig, unknown, exp, tamp]) assert.equal(r.ok, false);
  });

  test('ok/boto3: iam and sts clients, typed errors', { skip: skipBoto }, async () => {
    const extra = await fx.roles.createRole({ roleName: 'aaa-first', assumeRolePolicyDocument: TRUST_POLICY });
    const r = await run('python3', ['-c', BOTO3_SCRIPT, srv.url, TRUST_POLICY], { env: awsCliEnv(fx.admin), timeout: 60_000 });
    const out = JSON.parse(r.stdout);
    assert.equal(out.role, 7200);
    assert.ok(out.names.includes('boto-role') && out.names.includes(extra.roleName), JSON.stringify(out.names)); // paginated via Marker
    assert.equal(out.caller, 'arn:aws:iam::123456789012:user/mooring-admin');
    assert.deepEqual(out.error, ['NoSuchEntity', 404]);
  });
});
