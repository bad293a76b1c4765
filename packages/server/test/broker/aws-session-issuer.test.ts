// AwsSessionIssuer against a scripted IAM/STS on loopback: what AssumeRole receives, how GetRole
// is cached, and how every failure (refusal, throttling, 5xx, timeout, unreachable, broker
// credentials) becomes a clear message without a hang.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { ServiceError } from '../../src/core/errors/service-error.js';
import type { IssueRequest, RoleFacts } from '../../src/core/session/session-issuer.js';
import { AwsSessionIssuer, type AwsSessionIssuerOptions } from '../../src/broker/aws-session-issuer.js';
import type { BrokerCallEvent } from '../../src/broker/broker-observer.js';
import { FakeAws, assumeRoleXml, errorXml, getRoleXml } from './fake-aws.js';

const ROLE_ARN = 'arn:aws:iam::444455556666:role/bucket-lister';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const STATIC = { accessKeyId: 'AKIABROKEREXAMPLE001', secretAccessKey: 'brokerSecretNeverShown' };

class FakeClock {
  t = Date.parse('2026-01-01T00:00:00Z');
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
}

const ROLE: RoleFacts = { arn: ROLE_ARN, roleId: 'AROAEXAMPLEROLEID0001', roleName: 'bucket-lister', assumeRolePolicyDocument: TRUST, maxSessionDuration: 3600 };

function request(over: Partial<IssueRequest> = {}): IssueRequest {
  return {
    role: ROLE,
    sessionName: '01',
    sourceIdentity: 'CN=myContainer',
    tags: [
      { key: 'x509Subject/CN', value: 'myContainer' },
      { key: 'x509Issuer/CN', value: 'myPrivateCA' },
    ],
    durationSeconds: 1800,
    now: new Date(),
    trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:444455556666:trust-anchor/ta',
    profileArn: 'arn:aws:rolesanywhere:us-east-1:444455556666:profile/p',
    certificateSerial: '01',
    ...over,
  };
}

describe('AwsSessionIssuer', () => {
  let aws: FakeAws;
  let clock: FakeClock;
  let events: BrokerCallEvent[];
  const make = (over: Partial<AwsSessionIssuerOptions> = {}) =>
    new AwsSessionIssuer({
      region: 'us-east-1',
      stsEndpoint: aws.endpoint,
      iamEndpoint: aws.endpoint,
      credentials: STATIC,
      clock,
      maxAttempts: 1,
      observer: { onCall: (e) => events.push(e) },
      ...over,
    });

  before(async () => {
    aws = await new FakeAws().start();
  });
  after(async () => aws.stop());
  afterEach(() => {
    aws.calls.length = 0;
    aws.handlers.clear();
  });
  const reset = () => {
    clock = new FakeClock();
    events = [];
    aws.handlers.set('GetRole', (p) => ({ status: 200, body: getRoleXml({ arn: ROLE_ARN, name: p.get('RoleName')!, trust: TRUST, maxSessionDuration: 7200 }) }));
    aws.handlers.set('AssumeRole', (p) => ({ status: 200, body: assumeRoleXml({ roleArn: p.get('RoleArn')!, sessionName: p.get('RoleSessionName')!, packed: 7 }) }));
  };

  test('ok/AssumeRole carries session name, duration, source identity, tags (none transitive) and session policies', async () => {
    reset();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] });
    const out = await make().issue(request({ sessionPolicy: policy, managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }));
    assert.ok(out.ok);
    const p = aws.calls.find((c) => c.action === 'AssumeRole')!.params;
    assert.equal(p.get('RoleArn'), ROLE_ARN);
    assert.equal(p.get('RoleSessionName'), '01');
    assert.equal(p.get('DurationSeconds'), '1800');
    assert.equal(p.get('SourceIdentity'), 'CN=myContainer');
    assert.equal(p.get('Tags.member.1.Key'), 'x509Subject/CN');
    assert.equal(p.get('Tags.member.1.Value'), 'myContainer');
    assert.equal(p.get('Tags.member.2.Key'), 'x509Issuer/CN');
    assert.ok(![...p.keys()].some((k) => k.startsWith('TransitiveTagKeys')), 'no transitive tag keys');
    assert.equal(p.get('Policy'), policy);
    assert.equal(p.get('PolicyArns.member.1.arn'), 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    // STS's answer is passed on unmodified (service-spec §4.7).
    assert.deepEqual(out.session, {
      accessKeyId: 'ASIAEXAMPLEKEY000001',
      secretAccessKey: 'fakeSecretAccessKey0000000000000000000000',
      sessionToken: 'FakeSessionToken',
      expiration: new Date('2030-01-01T01:00:00Z'),
      assumedRoleUser: { arn: 'arn:aws:sts::444455556666:assumed-role/bucket-lister/01', assumedRoleId: 'AROAEXAMPLEROLEID0001:01' },
      packedPolicySize: 7,
    });
    assert.deepEqual(events.map((e) => [e.service, e.operation, e.outcome]), [['STS', 'AssumeRole', 'ok']]);
  });

  test('ok/without tags or session policies none of those parameters is sent', async () => {
    reset();
    const out = await make().issue(request({ tags: [] }));
    assert.ok(out.ok);
    const keys = [...aws.calls[0]!.params.keys()];
    assert.ok(!keys.some((k) => k.startsWith('Tags') || k.startsWith('Policy')), keys.join(','));
  });

  test('ok/findRole reads the role from IAM (URL-decoded trust policy), caches it for the TTL, then reads again', async () => {
    reset();
    const issuer = make({ roleCacheTtlSeconds: 60 });
    const role = await issuer.findRole(ROLE_ARN);
    assert.deepEqual(role, { ...ROLE, maxSessionDuration: 7200 });
    assert.equal(aws.calls[0]!.params.get('RoleName'), 'bucket-lister');
    await issuer.findRole(ROLE_ARN);
    assert.equal(aws.count('GetRole'), 1, 'served from the cache');
    clock.advance(61_000);
    await issuer.findRole(ROLE_ARN);
    assert.equal(aws.count('GetRole'), 2, 're-read after the TTL');
  });

  test('ok/concurrent findRole calls for one role share one GetRole', async () => {
    reset();
    const issuer = make();
    const roles = await Promise.all([issuer.findRole(ROLE_ARN), issuer.findRole(ROLE_ARN), issuer.findRole(ROLE_ARN)]);
    assert.ok(roles.every((r) => r?.arn === ROLE_ARN));
    assert.equal(aws.count('GetRole'), 1);
  });

  test('fail/a role ARN IAM answers with another ARN (other account or path) is not found', async () => {
    reset();
    aws.handlers.set('GetRole', () => ({ status: 200, body: getRoleXml({ arn: 'arn:aws:iam::999988887777:role/bucket-lister', name: 'bucket-lister', trust: TRUST }) }));
    assert.equal(await make().findRole(ROLE_ARN), undefined);
    assert.equal(await make().findRole('arn:aws:iam::444455556666:role/team/bucket-lister'), undefined);
  });

  test('fail/NoSuchEntity is "not found" and remembered for the negative TTL; malformed ARNs call nothing', async () => {
    reset();
    aws.handlers.set('GetRole', () => ({ status: 404, body: errorXml('Sender', 'NoSuchEntity', 'The role with name bucket-lister cannot be found.') }));
    const issuer = make({ negativeRoleCacheTtlSeconds: 10 });
    assert.equal(await issuer.findRole(ROLE_ARN), undefined);
    assert.equal(await issuer.findRole(ROLE_ARN), undefined);
    assert.equal(aws.count('GetRole'), 1);
    clock.advance(11_000);
    await issuer.findRole(ROLE_ARN);
    assert.equal(aws.count('GetRole'), 2);
    assert.equal(await issuer.findRole('arn:aws:iam::444455556666:user/bucket-lister'), undefined);
    assert.equal(aws.count('GetRole'), 2);
    assert.equal(events[0]!.outcome, 'not-found');
  });

  test('fail/GetRole refused by IAM: an AWS-shaped AccessDeniedException naming the role, not "not found"', async () => {
    reset();
    aws.handlers.set('GetRole', () => ({ status: 403, body: errorXml('Sender', 'AccessDenied', 'User: arn:aws:iam::444455556666:user/broker is not authorized to perform: iam:GetRole') }));
    await assert.rejects(make().findRole(ROLE_ARN), (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.code, 'AccessDeniedException');
      assert.equal(e.message, `Unable to assume role for ${ROLE_ARN}. User: arn:aws:iam::444455556666:user/broker is not authorized to perform: iam:GetRole`);
      assert.equal(e.reason, 'broker-iam-refused');
      return true;
    });
  });

  test('fail/an STS refusal passes STS\'s message and forgets the cached role', async () => {
    reset();
    const issuer = make();
    await issuer.findRole(ROLE_ARN);
    aws.handlers.set('AssumeRole', () => ({ status: 403, body: errorXml('Sender', 'AccessDenied', `User: arn:aws:iam::444455556666:user/broker is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`) }));
    const out = await issuer.issue(request());
    assert.deepEqual(out, { ok: false, message: `User: arn:aws:iam::444455556666:user/broker is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}` });
    await issuer.findRole(ROLE_ARN);
    assert.equal(aws.count('GetRole'), 2, 'the role is read again after a refusal');
    assert.equal(events.find((e) => e.operation === 'AssumeRole')!.outcome, 'role-error');
  });

  test('fail/throttling is retried with backoff, then reported as throttling', async () => {
    reset();
    aws.handlers.set('AssumeRole', () => ({ status: 400, body: errorXml('Sender', 'Throttling', 'Rate exceeded') }));
    const out = await make({ maxAttempts: 2 }).issue(request());
    assert.deepEqual(out, { ok: false, message: 'AWS STS is throttling requests; try again later.' });
    assert.equal(aws.count('AssumeRole'), 2, 'one retry');
  });

  test('fail/repeated STS 5xx open the circuit: calls are refused at once until the cooldown, then one trial closes it', async () => {
    reset();
    aws.handlers.set('AssumeRole', () => ({ status: 500, body: errorXml('Receiver', 'InternalFailure', 'boom') }));
    const issuer = make({ circuitBreaker: { failureThreshold: 2, cooldownMs: 30_000 } });
    for (let i = 0; i < 2; i++) assert.deepEqual(await issuer.issue(request()), { ok: false, message: 'AWS STS failed (InternalFailure); try again later.' });
    assert.deepEqual(await issuer.issue(request()), { ok: false, message: 'AWS STS is unavailable; try again later.' });
    assert.equal(aws.count('AssumeRole'), 2, 'the open circuit sent nothing');
    assert.equal(events.at(-1)!.outcome, 'circuit-open');
    clock.advance(30_000);
    reset();
    const out = await issuer.issue(request());
    assert.ok(out.ok, 'half-open trial succeeds');
    assert.ok((await issuer.issue(request())).ok, 'closed again');
  });

  test('fail/a slow STS is cut off by the per-attempt timeout and the call deadline, never a hang', async () => {
    reset();
    aws.handlers.set('AssumeRole', (p) => ({ status: 200, body: assumeRoleXml({ roleArn: p.get('RoleArn')!, sessionName: '01' }), delayMs: 3000 }));
    const started = Date.now();
    const out = await make({ requestTimeoutMs: 200, callDeadlineMs: 600 }).issue(request());
    assert.deepEqual(out, { ok: false, message: 'AWS STS did not answer in time.' });
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
  });

  test('fail/an unreachable STS is reported as unreachable', async () => {
    reset();
    const out = await make({ stsEndpoint: 'http://127.0.0.1:1' }).issue(request());
    assert.deepEqual(out, { ok: false, message: 'AWS STS is unreachable.' });
  });

  test('fail/rejected or missing broker credentials name the broker, never its secret', async () => {
    reset();
    aws.handlers.set('AssumeRole', () => ({ status: 403, body: errorXml('Sender', 'ExpiredToken', 'The security token included in the request is expired') }));
    const expired = await make().issue(request());
    assert.deepEqual(expired, { ok: false, message: "The broker's AWS credentials are missing, expired or invalid (ExpiredToken)." });
    const none = await make({
      credentials: async () => {
        const e = new Error('Could not load credentials from any providers');
        e.name = 'CredentialsProviderError';
        throw e;
      },
    }).issue(request());
    assert.deepEqual(none, { ok: false, message: "The broker's AWS credentials are missing, expired or invalid (CredentialsProviderError)." });
    assert.ok(!JSON.stringify([expired, none]).includes(STATIC.secretAccessKey));
  });

  test('ok/readiness: ready with credentials; a clear failure without them or when they expired', async () => {
    reset();
    assert.deepEqual(await make().readiness(), { ready: true });
    const missing = await make({ credentials: async () => Promise.reject(Object.assign(new Error('none'), { name: 'CredentialsProviderError' })) }).readiness();
    assert.equal(missing.ready, false);
    assert.match((missing as { message: string }).message, /no AWS credentials for the broker identity \(CredentialsProviderError\)/);
    const expired = await make({ credentials: { ...STATIC, expiration: new Date(clock.t - 1000) } }).readiness();
    assert.deepEqual(expired, { ready: false, message: "broker mode: the broker identity's AWS credentials have expired" });
  });
});
