// The AWS Security Blog walkthrough for IAM Roles Anywhere, run verbatim against Mooring with
// only --endpoint-url / --endpoint added: OpenSSL certificates, the AWS CLI for IAM and Roles
// Anywhere, the signing helper as credential_process, and `aws sts get-caller-identity`.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commandWorks, requireOrSkip } from '../../../../scripts/test-support.mjs';
import { makeCa, makeCert, opensslDir } from '../support/openssl-pki.js';
import { REPO_ROOT, runAsync } from '../support/run.js';
import { startServerProcess, type RunningServer } from '../support/server-process.js';

const skip = requireOrSkip(commandWorks('aws') && commandWorks('openssl', ['version']), 'the AWS CLI and openssl are needed for the walkthrough');

const TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
      Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'myContainer' } },
    },
  ],
};
const POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] };

describe('walkthrough', { skip }, () => {
  let work: string;
  let server: RunningServer;
  let env: NodeJS.ProcessEnv;
  let roleArn = '';
  let trustAnchorArn = '';
  let profileArn = '';

  const aws = (cmd: string) => runAsync('bash', ['-c', cmd], { env, cwd: work });
  const awsJson = async (cmd: string) => {
    const r = await aws(cmd);
    assert.equal(r.status, 0, `${cmd}\n${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, any>;
  };
  const helper = (args: string) =>
    runAsync('bash', ['-c', `$HELPER credential-process ${args}`], { env: { ...env, PATH: process.env.PATH }, cwd: work });

  before(async () => {
    work = opensslDir(mkdtempSync(join(tmpdir(), 'mooring-walkthrough-')));
    // 1. Certificates exactly as the walkthrough makes them, plus EC and intermediate variants.
    makeCa(work, 'ca', 'myPrivateCA');
    makeCert(work, 'ca', 'my', '/CN=myContainer');
    makeCert(work, 'ca', 'other', '/CN=someoneElse', { serial: '02' });
    makeCert(work, 'ca', 'nodigsig', '/CN=myContainer', { serial: '03', section: 'v3_no_digsig' });
    makeCa(work, 'ca2', 'anotherCA');
    makeCert(work, 'ca2', 'foreign', '/CN=myContainer');
    makeCa(work, 'ecca', 'myEcCA', 'ec');
    makeCert(work, 'ecca', 'ecleaf', '/CN=myContainer', { kind: 'ec', serial: '0x0A' });
    makeCa(work, 'root', 'myRootCA');
    makeCert(work, 'root', 'inter', '/CN=myIssuingCA', { serial: '10', section: 'v3_intermediate' });
    makeCert(work, 'inter', 'chained', '/CN=myContainer', { serial: '11' });
    writeFileSync(join(work, 'trust-policy.json'), JSON.stringify(TRUST_POLICY));
    writeFileSync(join(work, 'policy.json'), JSON.stringify(POLICY));

    // 2. The server, on an empty data dir.
    server = await startServerProcess(join(work, 'data'));
    writeFileSync(join(work, 'config'), '[default]\nregion = us-east-1\n');
    env = {
      PATH: process.env.PATH,
      HOME: work,
      AWS_CONFIG_FILE: join(work, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: server.adminCredentials,
      AWS_PROFILE: 'mooring-admin',
      AWS_CA_BUNDLE: server.caBundle,
      AWS_DEFAULT_REGION: 'us-east-1',
      EP: server.endpoint,
      HELPER: join(REPO_ROOT, 'node_modules', '.bin', 'mooring-helper'),
    };
  });

  after(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('ok/first start creates TLS CA, keys and a 0600 admin credential without printing the secret', () => {
    const creds = readFileSync(server.adminCredentials, 'utf8');
    assert.match(creds, /^\[mooring-admin\]\naws_access_key_id = AKIA[A-Z2-7]{16}\naws_secret_access_key = \S{40}\n$/);
    assert.equal(statSync(server.adminCredentials).mode & 0o777, 0o600);
    const secret = /aws_secret_access_key = (\S+)/.exec(creds)![1]!;
    assert.ok(!server.output().includes(secret), 'the secret must never be printed');
    assert.match(server.output(), /account id:\s+111122223333/);
    assert.match(readFileSync(server.caBundle, 'utf8'), /BEGIN CERTIFICATE/);
  });

  test('ok/aws iam create-role, put-role-policy, get-role, list-roles', async () => {
    const created = await awsJson('aws iam create-role --role-name bucket-lister --assume-role-policy-document file://trust-policy.json --endpoint-url $EP');
    roleArn = created.Role.Arn;
    assert.equal(roleArn, 'arn:aws:iam::111122223333:role/bucket-lister');
    assert.deepEqual(created.Role.AssumeRolePolicyDocument, TRUST_POLICY);
    const put = await aws('aws iam put-role-policy --role-name bucket-lister --policy-name list-buckets --policy-document file://policy.json --endpoint-url $EP');
    assert.equal(put.status, 0, put.stderr);
    const got = await awsJson('aws iam get-role --role-name bucket-lister --endpoint-url $EP');
    assert.equal(got.Role.RoleId, created.Role.RoleId);
    assert.equal(got.Role.MaxSessionDuration, 3600);
    const listed = await awsJson('aws iam list-roles --endpoint-url $EP');
    assert.deepEqual(listed.Roles.map((r: { RoleName: string }) => r.RoleName), ['bucket-lister']);
  });

  test('ok/aws rolesanywhere create-trust-anchor and create-profile as in the walkthrough', async () => {
    const ta = await awsJson(
      'aws rolesanywhere create-trust-anchor --enabled --name myPrivateCA --source sourceData={x509CertificateData="$(cat ca-cert.pem)"},sourceType=CERTIFICATE_BUNDLE --endpoint-url $EP',
    );
    trustAnchorArn = ta.trustAnchor.trustAnchorArn;
    assert.match(trustAnchorArn, /^arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor\/[a-f0-9]{8}-([a-f0-9]{4}-){3}[a-f0-9]{12}$/);
    assert.equal(ta.trustAnchor.enabled, true);
    assert.equal(ta.trustAnchor.notificationSettings.length, 2);
    const profile = await awsJson(`aws rolesanywhere create-profile --enabled --name bucket-lister --role-arns ${roleArn} --endpoint-url $EP`);
    profileArn = profile.profile.profileArn;
    assert.equal(profile.profile.durationSeconds, 3600);
    assert.equal(profile.profile.attributeMappings.length, 3);
    assert.ok(!('sessionPolicy' in profile.profile), 'unset optional members are omitted');
    // The walkthrough's selects, as the README spells them.
    const taSel = await aws("aws rolesanywhere list-trust-anchors --endpoint-url $EP --query 'trustAnchors[?name==`myPrivateCA`].trustAnchorArn' --output text");
    assert.equal(taSel.stdout.trim(), trustAnchorArn);
    const sel = await aws("aws rolesanywhere list-profiles --endpoint-url $EP --query 'profiles[?name==`bucket-lister`].profileArn' --output text");
    assert.equal(sel.stdout.trim(), profileArn);
    const getTa = await awsJson(`aws rolesanywhere get-trust-anchor --trust-anchor-id ${trustAnchorArn.split('/')[1]} --endpoint-url $EP`);
    assert.equal(getTa.trustAnchor.source.sourceData.x509CertificateData, readFileSync(join(work, 'ca-cert.pem'), 'utf8').trimEnd());
  });

  test('ok/mooring-helper credential-process prints credential_process JSON', async () => {
    const r = await helper(`--certificate my-cert.pem --private-key my-key.pem --trust-anchor-arn ${trustAnchorArn} --profile-arn ${profileArn} --role-arn ${roleArn} --endpoint $EP`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\{"Version":1,"AccessKeyId":"ASIA[A-Z2-7]{16}","SecretAccessKey":"[^"]{40}","SessionToken":"[^"]+","Expiration":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\}$/);
    const exp = Date.parse(JSON.parse(r.stdout).Expiration);
    assert.ok(Math.abs(exp - Date.now() - 3600_000) < 120_000, 'expires in one hour');
  });

  test('ok/--no-verify-ssl works without AWS_CA_BUNDLE; without either TLS verification fails', async () => {
    const args = `--certificate my-cert.pem --private-key my-key.pem --trust-anchor-arn ${trustAnchorArn} --profile-arn ${profileArn} --role-arn ${roleArn} --endpoint $EP`;
    const noCa = { ...env, AWS_CA_BUNDLE: '' };
    const ok = await runAsync('bash', ['-c', `$HELPER credential-process ${args} --no-verify-ssl`], { env: noCa, cwd: work });
    assert.equal(ok.status, 0, ok.stderr);
    const bad = await runAsync('bash', ['-c', `$HELPER credential-process ${args}`], { env: noCa, cwd: work });
    assert.equal(bad.status, 1);
  });

  test('ok/aws sts get-caller-identity through credential_process returns the assumed role with the hex serial', async () => {
    const cmd = `${join(REPO_ROOT, 'node_modules', '.bin', 'mooring-helper')} credential-process --certificate ${join(work, 'my-cert.pem')} --private-key ${join(work, 'my-key.pem')} --trust-anchor-arn ${trustAnchorArn} --profile-arn ${profileArn} --role-arn ${roleArn} --endpoint ${server.endpoint}`;
    writeFileSync(join(work, 'config'), `[default]\nregion = us-east-1\n[profile ra]\nregion = us-east-1\ncredential_process = ${cmd}\n`);
    const id = await awsJson('aws sts get-caller-identity --profile ra --endpoint-url $EP');
    assert.equal(id.Arn, 'arn:aws:sts::111122223333:assumed-role/bucket-lister/01');
    assert.match(id.UserId, /^AROA[A-Z0-9]{17}:01$/);
    assert.equal(id.Account, '111122223333');
  });

  test('ok/EC P-256 and an intermediate chain', async () => {
    for (const [ca, name] of [['ecca', 'EC'], ['root', 'root']] as const) {
      const r = await aws(`aws rolesanywhere create-trust-anchor --enabled --name ${name} --source sourceData={x509CertificateData="$(cat ${ca}-cert.pem)"},sourceType=CERTIFICATE_BUNDLE --endpoint-url $EP`);
      assert.equal(r.status, 0, r.stderr);
      const arn = JSON.parse(r.stdout).trustAnchor.trustAnchorArn as string;
      const extra = ca === 'root' ? '--certificate chained-cert.pem --private-key chained-key.pem --intermediates inter-cert.pem' : '--certificate ecleaf-cert.pem --private-key ecleaf-key.pem';
      const h = await helper(`${extra} --trust-anchor-arn ${arn} --profile-arn ${profileArn} --role-arn ${roleArn} --endpoint $EP`);
      assert.equal(h.status, 0, `${name}: ${h.stderr}`);
      assert.match(h.stdout, /"AccessKeyId":"ASIA/);
    }
  });

  const denied = async (args: string, expected: string) => {
    const r = await helper(`${args} --endpoint $EP`);
    assert.equal(r.status, 1, r.stdout);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  };

  test('fail/a leaf with another CN is refused by the trust policy', async () => {
    await denied(`--certificate other-cert.pem --private-key other-key.pem --trust-anchor-arn ${trustAnchorArn} --profile-arn ${profileArn} --role-arn ${roleArn}`,
      `AccessDeniedException: Unable to assume role for ${roleArn}.`);
  });

  test('fail/a certificate from another CA is untrusted', async () => {
    await denied(`--certificate foreign-cert.pem --private-key foreign-key.pem --trust-anchor-arn ${trustAnchorArn} --profile-arn ${profileArn} --role-arn ${roleArn}`,
      'AccessDeniedException: Untrusted signing certificate');
  });

  test('fail/a leaf without digitalSignature is insufficient', async () => {
    await denied(`--certificate nodigsig-cert.pem --private-key nodigsig-key.pem --trust-anchor-arn ${trustAnchorArn} --profile-arn ${profileArn} --role-arn ${roleArn}`,
      'AccessDeniedException: Untrusted certificate. Insufficient certificate');
  });

  test('fail/a key that does not match the certificate is refused before anything is sent', async () => {
    await denied(`--certificate my-cert.pem --private-key other-key.pem --trust-anchor-arn ${trustAnchorArn} --profile-arn ${profileArn} --role-arn ${roleArn}`,
      'private key does not match the certificate');
  });

  test('ok/after a restart every resource and previously issued credentials still work', async () => {
    const before = await helper(`--certificate my-cert.pem --private-key my-key.pem --trust-anchor-arn ${trustAnchorArn} --profile-arn ${profileArn} --role-arn ${roleArn} --endpoint $EP`);
    assert.equal(before.status, 0, before.stderr);
    const creds = JSON.parse(before.stdout);
    await server.stop();
    server = await startServerProcess(join(work, 'data'));
    env.EP = server.endpoint;
    const got = await awsJson(`aws rolesanywhere get-profile --profile-id ${profileArn.split('/')[1]} --endpoint-url $EP`);
    assert.equal(got.profile.profileArn, profileArn);
    const { AWS_PROFILE: _unused, ...noProfile } = env;
    const id = await runAsync('aws', ['sts', 'get-caller-identity', '--endpoint-url', server.endpoint], {
      env: { ...noProfile, AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_ACCESS_KEY_ID: creds.AccessKeyId, AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey, AWS_SESSION_TOKEN: creds.SessionToken },
    });
    assert.equal(id.status, 0, id.stderr);
    assert.match(id.stdout, /assumed-role\/bucket-lister\/01/);
  });

  test('ok/delete-role-policy, delete-role, delete-profile and delete-trust-anchor return what they deleted', async () => {
    const dp = await awsJson(`aws rolesanywhere delete-profile --profile-id ${profileArn.split('/')[1]} --endpoint-url $EP`);
    assert.equal(dp.profile.profileArn, profileArn);
    const dt = await awsJson(`aws rolesanywhere delete-trust-anchor --trust-anchor-id ${trustAnchorArn.split('/')[1]} --endpoint-url $EP`);
    assert.equal(dt.trustAnchor.trustAnchorArn, trustAnchorArn);
    const gone = await aws(`aws rolesanywhere get-profile --profile-id ${profileArn.split('/')[1]} --endpoint-url $EP`);
    assert.notEqual(gone.status, 0);
    assert.match(gone.stderr, /ResourceNotFoundException/);
    const conflict = await aws('aws iam delete-role --role-name bucket-lister --endpoint-url $EP');
    assert.notEqual(conflict.status, 0);
    assert.match(conflict.stderr, /DeleteConflict/);
    assert.equal((await aws('aws iam delete-role-policy --role-name bucket-lister --policy-name list-buckets --endpoint-url $EP')).status, 0);
    assert.equal((await aws('aws iam delete-role --role-name bucket-lister --endpoint-url $EP')).status, 0);
    const none = await awsJson('aws iam list-roles --endpoint-url $EP');
    assert.deepEqual(none.Roles, []);
  });
});

