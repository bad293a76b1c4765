// Broker mode end to end, with moto as "AWS": the AWS Security Blog walkthrough from OpenSSL
// certificates to `aws s3 ls`, where the credentials come from `mooring-helper credential-process`
// against Mooring, and Mooring got them from (moto's) STS AssumeRole with its broker identity.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { composeServer, toServerOptions } from '@mooring/server';
import { commandWorks, requireOrSkip } from '../../../../scripts/test-support.mjs';
import { AwsSessionIssuer } from '../../src/broker/aws-session-issuer.js';
import type { BrokerCallEvent } from '../../src/broker/broker-observer.js';
import type { IssueRequest, SessionIssuer } from '../../src/core/session/session-issuer.js';
import { Harness } from '../support/in-process.js';
import { makeCa, makeCert, opensslDir } from '../support/openssl-pki.js';
import { REPO_ROOT, runAsync } from '../support/run.js';
import { startMoto, type MotoAws } from './moto.js';

const skip = requireOrSkip(
  commandWorks('moto_server', ['--help']) && commandWorks('aws') && commandWorks('openssl', ['version']) && commandWorks('python3', ['-c', 'import moto.server, boto3']),
  'moto_server (with python3 boto3), the AWS CLI and openssl are needed for the broker end-to-end test',
);

// The walkthrough's trust policy, unchanged; moto's copy gets the broker statement added.
const WALKTHROUGH_TRUST = {
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
const HELPER = join(REPO_ROOT, 'node_modules', '.bin', 'mooring-helper');

/** Counts what reaches the issuer, to prove refusals happen before any STS call. */
class SpyIssuer implements SessionIssuer {
  issued = 0;
  constructor(private readonly inner: SessionIssuer) {}
  findRole(roleArn: string) {
    return this.inner.findRole(roleArn);
  }
  issue(r: IssueRequest) {
    this.issued += 1;
    return this.inner.issue(r);
  }
}

describe('broker mode against moto', { skip }, () => {
  let work: string;
  let moto: MotoAws;
  let h: Harness;
  let spy: SpyIssuer;
  const events: BrokerCallEvent[] = [];
  let endpoint = '';
  let trustAnchorArn = '';
  let profileArn = '';
  let env: NodeJS.ProcessEnv;

  const helper = (cert: string, roleArn: string) =>
    runAsync(HELPER, ['credential-process', '--certificate', join(work, `${cert}-cert.pem`), '--private-key', join(work, `${cert}-key.pem`),
      '--trust-anchor-arn', trustAnchorArn, '--profile-arn', profileArn, '--role-arn', roleArn, '--endpoint', endpoint], { env, cwd: work });
  const aws = (args: string[]) => runAsync('aws', [...args, '--endpoint-url', moto.endpoint], { env, cwd: work });
  const assumeRoleCalls = () => events.filter((e) => e.operation === 'AssumeRole').length;

  before(async () => {
    work = opensslDir(mkdtempSync(join(tmpdir(), 'mooring-broker-e2e-')));
    // 1. Certificates exactly as the walkthrough makes them, and one with another CN.
    makeCa(work, 'ca', 'myPrivateCA');
    makeCert(work, 'ca', 'my', '/CN=myContainer');
    makeCert(work, 'ca', 'other', '/CN=someoneElse', { serial: '02' });

    // 2. "AWS": the broker user, the role with the walkthrough trust policy plus the broker statement.
    moto = await startMoto(work, WALKTHROUGH_TRUST);

    // 3. Mooring in broker mode, its --account-id the AWS account (aws:SourceAccount, docs/broker.md).
    spy = new SpyIssuer(
      new AwsSessionIssuer({
        region: 'us-east-1',
        stsEndpoint: moto.endpoint,
        iamEndpoint: moto.endpoint,
        credentials: moto.broker,
        observer: { onCall: (e) => events.push(e) },
      }),
    );
    h = new Harness();
    h.dir = join(work, 'data');
    h.server = await composeServer(toServerOptions({ dataDir: h.dir, listen: '127.0.0.1:0', logLevel: 'silent', accountId: moto.roleArn.split(':')[4]! }), { issuer: spy });
    await h.server.app.listen({ host: '127.0.0.1', port: 0 });
    endpoint = `https://127.0.0.1:${(h.server.app.server.address() as AddressInfo).port}`;
    writeFileSync(join(work, 'mooring-ca.pem'), h.server.caPem);

    // 4. Trust anchor and profile in Mooring; the profile lists the AWS role ARNs.
    const ta = await h.admin('rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name: 'myPrivateCA', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: readFileSync(join(work, 'ca-cert.pem'), 'utf8') } } }));
    assert.equal(ta.status, 201, ta.body);
    trustAnchorArn = ta.json().trustAnchor.trustAnchorArn;
    const profile = await h.admin('rolesanywhere', 'POST', '/profiles', JSON.stringify({ name: 'bucket-lister', enabled: true, roleArns: [moto.roleArn, moto.lockedRoleArn] }));
    assert.equal(profile.status, 201, profile.body);
    profileArn = profile.json().profile.profileArn;

    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
    const credentialProcess = [HELPER, 'credential-process', '--certificate', join(work, 'my-cert.pem'), '--private-key', join(work, 'my-key.pem'),
      '--trust-anchor-arn', trustAnchorArn, '--profile-arn', profileArn, '--role-arn', moto.roleArn, '--endpoint', endpoint].join(' ');
    writeFileSync(join(work, 'config'), `[default]\nregion = us-east-1\n[profile ra]\nregion = us-east-1\ncredential_process = ${credentialProcess}\n`);
    env = {
      ...clean,
      HOME: work,
      AWS_CONFIG_FILE: join(work, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_CA_BUNDLE: join(work, 'mooring-ca.pem'),
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
    };
  });

  after(async () => {
    await h?.server?.app.close();
    await moto?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('ok/mooring-helper credential-process prints the credentials AWS STS issued to the broker', async () => {
    const before = spy.issued;
    const r = await helper('my', moto.roleArn);
    assert.equal(r.status, 0, r.stderr);
    const creds = JSON.parse(r.stdout);
    assert.equal(creds.Version, 1);
    assert.match(creds.AccessKeyId, /^ASIA[A-Z0-9]{16}$/);
    assert.ok(Math.abs(Date.parse(creds.Expiration) - Date.now() - 3600_000) < 120_000, 'expires in one hour');
    assert.equal(spy.issued, before + 1);
    assert.equal(events.filter((e) => e.operation === 'AssumeRole' && e.outcome === 'ok').length, 1);
    // The audit trail has the AWS access key id of the session.
    assert.ok(JSON.stringify(h.auditEvents(1)[0]).includes(creds.AccessKeyId));
  });

  test('ok/aws s3 ls on "AWS" lists the bucket with credential_process = mooring-helper', async () => {
    const r = await aws(['s3', 'ls', '--profile', 'ra']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /mooring-broker-e2e/);
    const id = await aws(['sts', 'get-caller-identity', '--profile', 'ra', '--output', 'json']);
    assert.equal(id.status, 0, id.stderr);
    assert.match(JSON.parse(id.stdout).Arn, /^arn:aws:sts::\d{12}:assumed-role\/bucket-lister\/01$/);
  });

  test('fail/aws ec2 describe-instances with the same credentials is denied: the role only lists buckets', async () => {
    const r = await aws(['ec2', 'describe-instances', '--profile', 'ra']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /AccessDenied|UnauthorizedOperation/);
    assert.match(r.stderr, /assumed-role\/bucket-lister\/01 is not authorized to perform: ec2:DescribeInstances/);
  });

  test('fail/a certificate with another CN is refused by Mooring before any STS call', async () => {
    const issued = spy.issued;
    const calls = assumeRoleCalls();
    const r = await helper('other', moto.roleArn);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`AccessDeniedException: Unable to assume role for ${moto.roleArn.replace(/[/.]/g, '\\$&')}\\.`));
    assert.equal(spy.issued, issued, 'the issuer was not asked');
    assert.equal(assumeRoleCalls(), calls, 'no AssumeRole reached AWS');
  });

  test('fail/a role whose trust policy lacks the broker statement: STS refuses, the client sees STS\'s message', async () => {
    const r = await helper('my', moto.lockedRoleArn);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /AccessDeniedException: Unable to assume role for arn:aws:iam::\d{12}:role\/not-for-broker\. User: arn:aws:iam::\d{12}:user\/mooring-broker is not authorized to perform: sts:AssumeRole/);
    assert.equal(events.at(-1)?.outcome, 'role-error');
  });
});
