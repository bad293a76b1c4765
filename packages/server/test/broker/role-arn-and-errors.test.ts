import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyAwsError } from '../../src/broker/aws-error.js';
import { decodePolicyDocument } from '../../src/broker/aws-session-issuer.js';
import { parseRoleArn } from '../../src/broker/role-arn.js';

test('ok/role ARNs of any account, partition and path', () => {
  assert.deepEqual(parseRoleArn('arn:aws:iam::123456789012:role/bucket-lister'), { partition: 'aws', accountId: '123456789012', path: '/', roleName: 'bucket-lister' });
  assert.deepEqual(parseRoleArn('arn:aws-cn:iam::123456789012:role/team/ci/builder'), { partition: 'aws-cn', accountId: '123456789012', path: '/team/ci/', roleName: 'builder' });
});

test('fail/not a role ARN', () => {
  for (const arn of ['arn:aws:iam::123456789012:user/bob', 'arn:aws:iam::12345:role/r', 'arn:aws:iam::123456789012:role/', 'arn:aws:sts::123456789012:role/r', 'role/r'])
    assert.equal(parseRoleArn(arn), undefined, arn);
});

test('ok/IAM trust policies are URL-decoded when IAM encoded them', () => {
  assert.equal(decodePolicyDocument('%7B%22Version%22%3A%222012-10-17%22%7D'), '{"Version":"2012-10-17"}');
  assert.equal(decodePolicyDocument('{"Condition":{"StringLike":{"k":"50%"}}}'), '{"Condition":{"StringLike":{"k":"50%"}}}');
});

test('ok/AWS answers about the request keep their message; broker and backend failures get fixed sentences', () => {
  const sdk = (name: string, status: number, fault: 'client' | 'server', message = 'm') => Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status } });
  assert.deepEqual(classifyAwsError(sdk('PackedPolicyTooLarge', 400, 'client', 'Packed policy consumes 120% of allotted space'), 'STS'), { kind: 'role', message: 'Packed policy consumes 120% of allotted space', code: 'PackedPolicyTooLarge' });
  assert.equal(classifyAwsError(sdk('MalformedPolicyDocument', 400, 'client', ''), 'STS').message, 'MalformedPolicyDocument');
  assert.equal(classifyAwsError(sdk('AccessDenied', 403, 'client', 'x'.repeat(2000)), 'STS').message.length, 513);
  assert.equal(classifyAwsError(sdk('InvalidClientTokenId', 403, 'client', 'The security token included in the request is invalid'), 'STS').kind, 'backend');
  assert.equal(classifyAwsError(sdk('Throttling', 400, 'client'), 'IAM').message, 'AWS IAM is throttling requests; try again later.');
  assert.equal(classifyAwsError(sdk('InternalFailure', 500, 'server'), 'STS').kind, 'backend');
  assert.equal(classifyAwsError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }), 'STS').message, 'AWS STS is unreachable.');
  assert.equal(classifyAwsError(Object.assign(new Error('x'), { name: 'TimeoutError' }), 'STS').message, 'AWS STS did not answer in time.');
  // An unexpected local error does not leak its text (it may name files or hosts).
  assert.deepEqual(classifyAwsError(new Error('/home/op/.aws/credentials: parse error'), 'STS'), { kind: 'backend', message: 'AWS STS could not be reached (Error).', code: 'Error' });
});
