// Broker mode through the real app (composeServer + CreateSession over fastify inject) with a
// scripted IAM/STS: the response carries STS's credentials unmodified, a refused certificate
// never reaches STS, and STS/IAM failures become audited, AWS-shaped refusals.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { composeServer, toServerOptions, WALKTHROUGH_TRUST_POLICY } from '@mooring/server';
import { AwsSessionIssuer } from '../../src/broker/aws-session-issuer.js';
import { Harness, sessionRequest, walkthroughSetup } from '../support/in-process.js';
import { FakeAws, assumeRoleXml, errorXml, getRoleXml } from './fake-aws.js';

describe('CreateSession in broker mode (scripted AWS)', () => {
  let aws: FakeAws;
  let h: Harness;
  let s: Awaited<ReturnType<typeof walkthroughSetup>>;

  before(async () => {
    aws = await new FakeAws().start();
    h = new Harness();
    h.dir = mkdtempSync(join(tmpdir(), 'mooring-broker-'));
    const issuer = new AwsSessionIssuer({
      region: 'us-east-1',
      stsEndpoint: aws.endpoint,
      iamEndpoint: aws.endpoint,
      credentials: { accessKeyId: 'AKIABROKEREXAMPLE001', secretAccessKey: 'brokerSecretNeverShown' },
      maxAttempts: 1,
      roleCacheTtlSeconds: 0,
    });
    h.server = await composeServer(toServerOptions({ dataDir: h.dir, listen: '127.0.0.1:0', logLevel: 'silent' }), { issuer });
    await h.server.app.ready();
    // The walkthrough's trust anchor and profile; the role Mooring evaluates is the one IAM returns.
    s = await walkthroughSetup(h);
  });
  after(async () => {
    await h?.stop();
    await aws?.stop();
  });
  beforeEach(() => {
    aws.calls.length = 0;
    aws.handlers.set('GetRole', (p) => ({ status: 200, body: getRoleXml({ arn: s.roleArn, name: p.get('RoleName')!, trust: WALKTHROUGH_TRUST_POLICY }) }));
    aws.handlers.set('AssumeRole', (p) => ({ status: 200, body: assumeRoleXml({ roleArn: p.get('RoleArn')!, sessionName: p.get('RoleSessionName')!, packed: 3 }) }));
  });

  const create = async (cn: string) => {
    const leaf = s.leaf(cn);
    const r = await h.send(await sessionRequest({ identity: leaf, trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn }));
    return { r, leaf };
  };

  test('ok/the response carries the STS credentials, assumedRoleUser and packedPolicySize', async () => {
    const { r, leaf } = await create('myContainer');
    assert.equal(r.status, 201, r.body);
    const set = r.json().credentialSet[0];
    assert.equal(set.credentials.accessKeyId, 'ASIAEXAMPLEKEY000001');
    assert.equal(set.credentials.sessionToken, 'FakeSessionToken');
    assert.equal(set.credentials.expiration, '2030-01-01T01:00:00Z');
    assert.equal(set.assumedRoleUser.arn, `arn:aws:sts::111122223333:assumed-role/bucket-lister/${leaf.serialHex}`);
    assert.equal(set.packedPolicySize, 3);
    assert.equal(set.roleArn, s.roleArn);
    assert.equal(set.sourceIdentity, 'CN=myContainer');
    const p = aws.calls.find((c) => c.action === 'AssumeRole')!.params;
    assert.equal(p.get('RoleSessionName'), leaf.serialHex);
    assert.equal(p.get('SourceIdentity'), 'CN=myContainer');
    assert.equal(p.get('DurationSeconds'), '3600');
    const tags = new Map<string, string>();
    for (let i = 1; p.has(`Tags.member.${i}.Key`); i++) tags.set(p.get(`Tags.member.${i}.Key`)!, p.get(`Tags.member.${i}.Value`)!);
    assert.equal(tags.get('x509Subject/CN'), 'myContainer');
    assert.equal(tags.get('x509Issuer/CN'), 'Test CA');
    // The audit record names the AWS-issued key, never its secret.
    const audited = h.auditEvents(1)[0]!;
    assert.equal(audited.errorCode, undefined);
    assert.ok(JSON.stringify(audited).includes('ASIAEXAMPLEKEY000001'));
    assert.ok(!JSON.stringify(audited).includes('fakeSecretAccessKey'));
  });

  test('fail/a certificate with another CN is refused by Mooring before any STS call', async () => {
    const { r } = await create('someoneElse');
    assert.equal(r.status, 403);
    assert.equal(r.json().message, `Unable to assume role for ${s.roleArn}.`);
    assert.equal(aws.count('AssumeRole'), 0);
  });

  test('fail/an STS refusal becomes "Unable to assume role for <arn>. <STS message>", audited', async () => {
    aws.handlers.set('AssumeRole', () => ({ status: 400, body: errorXml('Sender', 'ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.') }));
    const { r } = await create('myContainer');
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.equal(r.json().message, `Unable to assume role for ${s.roleArn}. The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.`);
    const audited = h.auditEvents(1)[0]!;
    assert.equal(audited.additionalEventData?.failureReason, 'issuer-refused');
  });

  test('fail/IAM unreachable: an AWS-shaped refusal, audited with the broker reason, no AssumeRole', async () => {
    aws.handlers.set('GetRole', () => ({ status: 503, body: errorXml('Receiver', 'ServiceUnavailable', 'down') }));
    const { r } = await create('myContainer');
    assert.equal(r.status, 403);
    assert.equal(r.json().message, `Unable to assume role for ${s.roleArn}. AWS IAM failed (ServiceUnavailable); try again later.`);
    assert.equal(aws.count('AssumeRole'), 0);
    assert.equal(h.auditEvents(1)[0]!.additionalEventData?.failureReason, 'broker-iam-unavailable');
  });

  test('fail/a role deleted in IAM is refused like an unknown role', async () => {
    aws.handlers.set('GetRole', () => ({ status: 404, body: errorXml('Sender', 'NoSuchEntity', 'The role with name bucket-lister cannot be found.') }));
    const { r } = await create('myContainer');
    assert.equal(r.status, 403);
    assert.equal(r.json().message, `Unable to assume role for ${s.roleArn}.`);
    assert.equal(h.auditEvents(1)[0]!.additionalEventData?.failureReason, 'role-not-found');
  });
});
