import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePolicyDocument, type PolicyKind } from '../../src/core/policy/index.js';
import { parseOk } from './helpers.js';

const ALLOW = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
const TRUST = { Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: 'sts:AssumeRole' };

test('ok/single statement object, string values normalised to arrays, Version defaults to 2008-10-17', () => {
  const p = parseOk({ Statement: ALLOW });
  assert.equal(p.version, '2008-10-17');
  assert.deepEqual(p.statements, [{ effect: 'Allow', action: ['s3:GetObject'], resource: ['*'] }]);
});

test('ok/full statement with every element', () => {
  const p = parseOk(
    {
      Version: '2012-10-17',
      Id: 'doc-1',
      Statement: [
        {
          Sid: 'One',
          Effect: 'Deny',
          NotPrincipal: { AWS: ['123456789012', 'arn:aws:iam::123456789012:role/x'], Service: 'ec2.amazonaws.com' },
          NotAction: ['iam:*', 'sts:Get?'],
          NotResource: 'arn:aws:s3:::b/*',
          Condition: {
            'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['a*', 'b'] },
            Bool: { 'aws:SecureTransport': false },
            NumericLessThan: { 's3:max-keys': 10 },
          },
        },
      ],
    },
    'resource',
  );
  assert.equal(p.id, 'doc-1');
  assert.deepEqual(p.statements[0], {
    sid: 'One',
    effect: 'Deny',
    notPrincipal: { AWS: ['123456789012', 'arn:aws:iam::123456789012:role/x'], Service: ['ec2.amazonaws.com'] },
    notAction: ['iam:*', 'sts:Get?'],
    notResource: ['arn:aws:s3:::b/*'],
    condition: [
      { operator: 'ForAnyValue:StringLikeIfExists', key: 'aws:TagKeys', values: ['a*', 'b'] },
      { operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] },
      { operator: 'NumericLessThan', key: 's3:max-keys', values: ['10'] },
    ],
  });
});

test('ok/trust policy with Principal "*" and no Resource', () => {
  const p = parseOk({ Version: '2012-10-17', Statement: [{ ...TRUST, Principal: '*' }] }, 'trust');
  assert.equal(p.statements[0]?.principal, '*');
  assert.equal(p.statements[0]?.resource, undefined);
});

test('ok/empty Statement array parses (and grants nothing)', () => {
  assert.deepEqual(parseOk({ Version: '2012-10-17', Statement: [] }).statements, []);
});

const failures: Array<[name: string, text: unknown, kind: PolicyKind, message: string]> = [
  ['fail/not JSON', '{"Version":', 'identity', 'Syntax errors in policy.'],
  ['fail/JSON array document', '[]', 'identity', 'Syntax errors in policy.'],
  ['fail/JSON string document', '"x"', 'identity', 'Syntax errors in policy.'],
  ['fail/JSON null document', 'null', 'identity', 'Syntax errors in policy.'],
  ['fail/bad Version', { Version: '2013-01-01', Statement: ALLOW }, 'identity', 'The policy must contain a valid version string'],
  ['fail/missing Statement', { Version: '2012-10-17' }, 'identity', 'Missing required field Statement'],
  ['fail/statement not an object', { Statement: ['x'] }, 'identity', 'Syntax errors in policy.'],
  ['fail/unknown top-level field', { Version: '2012-10-17', Statment: [] }, 'identity', 'Unknown field Statment'],
  ['fail/unknown statement field', { Statement: { ...ALLOW, Actions: 'x' } }, 'identity', 'Unknown field Actions'],
  ['fail/missing Effect', { Statement: { Action: 's3:*', Resource: '*' } }, 'identity', 'Missing required field Effect'],
  ['fail/invalid Effect', { Statement: { ...ALLOW, Effect: 'allow' } }, 'identity', 'Invalid effect: allow'],
  ['fail/identity policy with Principal', { Statement: { ...ALLOW, Principal: '*' } }, 'identity', 'Policy document should not specify a principal.'],
  ['fail/identity policy with NotPrincipal', { Statement: { ...ALLOW, NotPrincipal: { AWS: '*' } } }, 'identity', 'Policy document should not specify a principal.'],
  ['fail/trust policy without Principal', { Statement: { Effect: 'Allow', Action: 'sts:AssumeRole' } }, 'trust', 'Missing required field Principal'],
  ['fail/resource policy without Principal', { Statement: ALLOW }, 'resource', 'Missing required field Principal'],
  ['fail/both Principal and NotPrincipal', { Statement: { ...TRUST, NotPrincipal: '*' } }, 'trust', 'Syntax errors in policy.'],
  ['fail/unknown principal type', { Statement: { ...TRUST, Principal: { Group: 'devs' } } }, 'trust', 'Invalid principal in policy: "Group":"devs"'],
  ['fail/malformed AWS principal', { Statement: { ...TRUST, Principal: { AWS: 'bob' } } }, 'trust', 'Invalid principal in policy: "AWS":"bob"'],
  ['fail/bare string principal', { Statement: { ...TRUST, Principal: 'bob' } }, 'trust', 'Invalid principal in policy: "bob"'],
  ['fail/missing Action', { Statement: { Effect: 'Allow', Resource: '*' } }, 'identity', 'Policy statement must contain actions.'],
  ['fail/empty Action list', { Statement: { ...ALLOW, Action: [] } }, 'identity', 'Policy statement must contain actions.'],
  ['fail/both Action and NotAction', { Statement: { ...ALLOW, NotAction: 'x:y' } }, 'identity', 'Syntax errors in policy.'],
  ['fail/action without vendor', { Statement: { ...ALLOW, Action: 'GetObject' } }, 'identity', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
  ['fail/action not a string', { Statement: { ...ALLOW, Action: [1] } }, 'identity', 'Syntax errors in policy.'],
  ['fail/identity without Resource', { Statement: { Effect: 'Allow', Action: 's3:*' } }, 'identity', 'Policy statement must contain resources.'],
  ['fail/trust policy with Resource', { Statement: { ...TRUST, Resource: '*' } }, 'trust', 'Has prohibited field Resource'],
  ['fail/resource not an ARN', { Statement: { ...ALLOW, Resource: 'bucket' } }, 'identity', 'Resource bucket must be in ARN format or "*".'],
  ['fail/both Resource and NotResource', { Statement: { ...ALLOW, NotResource: '*' } }, 'identity', 'Syntax errors in policy.'],
  ['fail/unknown condition operator', { Statement: { ...ALLOW, Condition: { StringEqualz: { 'aws:x': 'y' } } } }, 'identity', 'Invalid Condition type : StringEqualz'],
  ['fail/NullIfExists is not an operator', { Statement: { ...ALLOW, Condition: { NullIfExists: { 'aws:x': 'true' } } } }, 'identity', 'Invalid Condition type : NullIfExists'],
  ['fail/unknown set qualifier', { Statement: { ...ALLOW, Condition: { 'ForSomeValues:StringEquals': { 'aws:x': 'y' } } } }, 'identity', 'Invalid Condition type : ForSomeValues:StringEquals'],
  ['fail/condition key without vendor', { Statement: { ...ALLOW, Condition: { StringEquals: { username: 'y' } } } }, 'identity', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
  ['fail/condition value is an object', { Statement: { ...ALLOW, Condition: { StringEquals: { 'aws:x': { a: 1 } } } } }, 'identity', 'Syntax errors in policy.'],
  ['fail/condition is not an object', { Statement: { ...ALLOW, Condition: ['x'] } }, 'identity', 'Syntax errors in policy.'],
  ['fail/Sid not a string', { Statement: { ...ALLOW, Sid: 3 } }, 'identity', 'Syntax errors in policy.'],
];

for (const [name, text, kind, message] of failures) {
  test(name, () => {
    const r = parsePolicyDocument(typeof text === 'string' ? text : JSON.stringify(text), kind);
    assert.deepEqual(r, { ok: false, message });
  });
}
