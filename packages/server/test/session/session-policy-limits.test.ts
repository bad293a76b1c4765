// A profile's session policies go to the internal AssumeRole, whose STS limits CreateProfile does
// not check (as on AWS): CreateSession refuses them as STS would (service-spec §3.2, §13.3).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sessionRequest, walkthroughSuite } from '../support/in-process.js';

describe('session-policy-limits', () => {
  const { h, setup, me } = walkthroughSuite();
  const allow = (resource: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resource }] });

  async function sessionWith(profile: { sessionPolicy?: string; managedPolicyArns?: string[] }) {
    const s = setup();
    const p = await h.admin('rolesanywhere', 'POST', '/profiles', JSON.stringify({ name: `p${Math.random().toString(36).slice(2, 8)}`, roleArns: [s.roleArn], enabled: true, ...profile }));
    assert.equal(p.status, 201, p.body);
    const r = await h.send(await sessionRequest({ identity: me(), trustAnchorArn: s.trustAnchorArn, profileArn: p.json().profile.profileArn, roleArn: s.roleArn }));
    return r;
  }

  function expectRefused(r: { status: number; body: string; json(): { message: string } }, detail: RegExp) {
    assert.equal(r.status, 403, r.body);
    const message = r.json().message;
    assert.ok(message.startsWith(`Unable to assume role for ${setup().roleArn}. `), message);
    assert.match(message, detail);
  }

  test('ok/a session policy within the limits is accepted and its packed size reported', async () => {
    const policy = allow('arn:aws:s3:::bucket/*');
    const r = await sessionWith({ sessionPolicy: policy });
    assert.equal(r.status, 201, r.body);
    assert.equal(r.json().credentialSet[0].packedPolicySize, Math.ceil((policy.length / 2048) * 100));
  });

  test('fail/a session policy over 2,048 characters is refused', async () => {
    const policy = allow(`arn:aws:s3:::${'b'.repeat(2100)}`);
    expectRefused(await sessionWith({ sessionPolicy: policy }), /at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048$/);
  });

  test('fail/more than 10 managed session policies are refused', async () => {
    const arns = Array.from({ length: 11 }, (_, i) => `arn:aws:iam::111122223333:policy/p${i}`);
    expectRefused(await sessionWith({ managedPolicyArns: arns }), /at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10$/);
  });

  test('fail/a session policy that is not a policy is refused with the MalformedPolicyDocument reason', async () => {
    expectRefused(await sessionWith({ sessionPolicy: 'not json' }), /Syntax errors in policy\.$/);
  });

  test('fail/an inline policy and managed ARNs that together pass the packed limit are refused', async () => {
    const policy = allow(`arn:aws:s3:::${'b'.repeat(1700)}`);
    const arns = Array.from({ length: 10 }, (_, i) => `arn:aws:iam::111122223333:policy/${'x'.repeat(40)}${i}`);
    assert.ok(policy.length <= 2048);
    expectRefused(await sessionWith({ sessionPolicy: policy, managedPolicyArns: arns }), /^.*Packed policy consumes 1\d\d% of allotted space, please use smaller policy\.$/);
  });
});
