import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluatePolicies, type EvaluationRequest } from '../../src/core/policy/index.js';
import { decide, parseOk } from './helpers.js';

const ROLE = 'arn:aws:iam::123456789012:role/r';
const RA: EvaluationRequest['principal'] = { type: 'Service', id: 'rolesanywhere.amazonaws.com' };
const V = '2012-10-17';

// ---------------------------------------------------------------- the Roles Anywhere trust policies

const WALKTHROUGH =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"rolesanywhere.amazonaws.com"},' +
  '"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],' +
  '"Condition":{"StringEquals":{"aws:PrincipalTag/x509Subject/CN":"myContainer"}}}]}';

for (const action of ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']) {
  test(`ok/walkthrough trust policy allows ${action} for CN myContainer`, () => {
    const policy = parseOk(WALKTHROUGH, 'trust');
    const r = evaluatePolicies([policy], {
      principal: RA,
      action,
      resource: ROLE,
      context: { 'aws:PrincipalTag/x509Subject/CN': 'myContainer', 'aws:SourceArn': 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/t' },
    });
    assert.deepEqual(r, { decision: 'allow', matchedStatements: [{ policyIndex: 0, effect: 'Allow' }] });
  });
  test(`fail/walkthrough trust policy implicitly denies ${action} for CN other`, () => {
    const r = evaluatePolicies([parseOk(WALKTHROUGH, 'trust')], {
      principal: RA,
      action,
      resource: ROLE,
      context: { 'aws:PrincipalTag/x509Subject/CN': 'other' },
    });
    assert.deepEqual(r, { decision: 'implicit-deny', matchedStatements: [] });
  });
}

test('fail/walkthrough trust policy denies when the CN tag was not mapped', () => {
  assert.equal(decide([WALKTHROUGH], { principal: RA, context: {} }, 'trust'), 'implicit-deny');
});

test('fail/walkthrough trust policy does not trust another service or an AWS principal', () => {
  const ctx = { 'aws:PrincipalTag/x509Subject/CN': 'myContainer' };
  assert.equal(decide([WALKTHROUGH], { principal: { type: 'Service', id: 'ec2.amazonaws.com' }, context: ctx }, 'trust'), 'implicit-deny');
  assert.equal(decide([WALKTHROUGH], { principal: { type: 'AWS', id: ROLE }, context: ctx }, 'trust'), 'implicit-deny');
  assert.equal(decide([WALKTHROUGH], { context: ctx }, 'trust'), 'implicit-deny');
});

// service-spec §6.5: each action is authorised on its own against the same context.
const SPLIT = {
  Version: V,
  Statement: [
    {
      Sid: 'AssumeAndSourceIdentity',
      Effect: 'Allow',
      Principal: { Service: ['rolesanywhere.amazonaws.com'] },
      Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
      // The UG writes this value as the placeholder "${sourceIdentityPrefix}${sourceIdentityValue}".
      Condition: { StringEquals: { 'sts:SourceIdentity': ['CN=Alice'] } },
    },
    {
      Sid: 'Tags',
      Effect: 'Allow',
      Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Action: 'sts:TagSession',
      Condition: {
        ArnEquals: { 'aws:SourceArn': 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/TA_ID' },
        StringEquals: { 'aws:PrincipalTag/x509Issuer/CN': 'YourCN' },
      },
    },
  ],
};

test('ok/split statements: TagSession allowed while AssumeRole is not', () => {
  const context = {
    'aws:SourceArn': 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/TA_ID',
    'aws:PrincipalTag/x509Issuer/CN': 'YourCN',
    'sts:SourceIdentity': 'CN=Bob',
  };
  const policies = [parseOk(SPLIT, 'trust')];
  const tag = evaluatePolicies(policies, { principal: RA, action: 'sts:TagSession', resource: ROLE, context });
  assert.deepEqual(tag, { decision: 'allow', matchedStatements: [{ policyIndex: 0, sid: 'Tags', effect: 'Allow' }] });
  for (const action of ['sts:AssumeRole', 'sts:SetSourceIdentity']) {
    assert.equal(evaluatePolicies(policies, { principal: RA, action, resource: ROLE, context }).decision, 'implicit-deny');
  }
  // With the matching source identity the first statement applies too.
  const ok = { ...context, 'sts:SourceIdentity': 'CN=Alice' };
  assert.equal(evaluatePolicies(policies, { principal: RA, action: 'sts:AssumeRole', resource: ROLE, context: ok }).decision, 'allow');
});

// ---------------------------------------------------------------- actions and resources

const allowAction = (action: unknown) => ({ Version: V, Statement: { Effect: 'Allow', Action: action, Resource: '*' } });
const actionRows: Array<[string, unknown, string, string]> = [
  ['ok/action exact', 'sts:AssumeRole', 'sts:AssumeRole', 'allow'],
  ['ok/action case-insensitive prefix and name', 'STS:assumerole', 'sts:AssumeRole', 'allow'],
  ['ok/action star alone matches all', '*', 'iam:CreateRole', 'allow'],
  ['ok/action service wildcard', 'sts:*', 'sts:TagSession', 'allow'],
  ['ok/action partial wildcard', 'sts:Assume*', 'sts:AssumeRoleWithSAML', 'allow'],
  ['ok/action question mark', 'iam:?etRole', 'iam:GetRole', 'allow'],
  ['fail/action question mark needs a character', 'iam:?GetRole', 'iam:GetRole', 'implicit-deny'],
  ['fail/action other service', 'sts:*', 'iam:GetRole', 'implicit-deny'],
  ['fail/action prefix only', 'sts:Assume', 'sts:AssumeRole', 'implicit-deny'],
  ['ok/action any of a list', ['iam:GetRole', 'sts:TagSession'], 'sts:TagSession', 'allow'],
];
for (const [name, pattern, action, expected] of actionRows) {
  test(name, () => assert.equal(decide([allowAction(pattern)], { action }), expected));
}

const allowResource = (resource: unknown, version = V) => ({ Version: version, Statement: { Effect: 'Allow', Action: '*', Resource: resource } });
const resourceRows: Array<[string, unknown, string, string]> = [
  ['ok/resource star', '*', ROLE, 'allow'],
  ['ok/resource exact', ROLE, ROLE, 'allow'],
  ['ok/resource star spans path and colons', 'arn:aws:iam::*', ROLE, 'allow'],
  ['ok/resource question mark', 'arn:aws:iam::123456789012:role/?', ROLE, 'allow'],
  ['fail/resource is case-sensitive', 'arn:aws:iam::123456789012:role/R', ROLE, 'implicit-deny'],
  ['fail/resource different account', 'arn:aws:iam::111111111111:role/*', ROLE, 'implicit-deny'],
];
for (const [name, pattern, resource, expected] of resourceRows) {
  test(name, () => assert.equal(decide([allowResource(pattern)], { resource }), expected));
}

test('ok/NotAction matches every action except the listed ones', () => {
  const doc = { Version: V, Statement: { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' } };
  assert.equal(decide([doc], { action: 'sts:AssumeRole' }), 'allow');
  assert.equal(decide([doc], { action: 'IAM:CreateUser' }), 'implicit-deny');
});

test('ok/NotResource matches every resource except the listed ones', () => {
  const doc = { Version: V, Statement: { Effect: 'Allow', Action: '*', NotResource: 'arn:aws:iam::*:role/admin*' } };
  assert.equal(decide([doc], { resource: ROLE }), 'allow');
  assert.equal(decide([doc], { resource: 'arn:aws:iam::123456789012:role/admin-1' }), 'implicit-deny');
});

// ---------------------------------------------------------------- Deny precedence and union

test('ok/explicit Deny overrides an Allow in the same and in another policy', () => {
  const allow = allowAction('sts:*');
  const deny = { Version: V, Statement: { Sid: 'NoAssume', Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' } };
  const r = evaluatePolicies([parseOk(allow), parseOk(deny)], { action: 'sts:AssumeRole', resource: ROLE, context: {} });
  assert.deepEqual(r, {
    decision: 'explicit-deny',
    matchedStatements: [{ policyIndex: 0, effect: 'Allow' }, { policyIndex: 1, sid: 'NoAssume', effect: 'Deny' }],
  });
  assert.equal(decide([deny, allow], { action: 'sts:TagSession' }), 'allow');
});

test('ok/Deny with a condition applies only when the condition holds', () => {
  const doc = {
    Version: V,
    Statement: [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'forbidden' } } },
    ],
  };
  assert.equal(decide([doc], { context: { 'aws:TagKeys': ['a', 'forbidden'] } }), 'explicit-deny');
  assert.equal(decide([doc], { context: { 'aws:TagKeys': ['a'] } }), 'allow');
  assert.equal(decide([doc], { context: {} }), 'allow');
});

test('ok/no policies at all is an implicit deny', () => {
  assert.deepEqual(evaluatePolicies([], { action: 'a:b', resource: ROLE, context: {} }), { decision: 'implicit-deny', matchedStatements: [] });
});

// ---------------------------------------------------------------- principals

const trustFor = (principal: unknown, key = 'Principal') => ({ Version: V, Statement: { Effect: 'Allow', [key]: principal, Action: 'sts:AssumeRole' } });
const ACCT_ROLE = { type: 'AWS', id: 'arn:aws:iam::123456789012:role/caller' } as const;
const principalRows: Array<[string, unknown, EvaluationRequest['principal'], string]> = [
  ['ok/principal "*" matches a service', '*', RA, 'allow'],
  ['ok/principal "*" matches anonymous', '*', undefined, 'allow'],
  ['ok/principal Service is case-insensitive', { Service: 'RolesAnywhere.amazonaws.com' }, RA, 'allow'],
  ['fail/principal Service differs', { Service: 'ec2.amazonaws.com' }, RA, 'implicit-deny'],
  ['ok/principal AWS * matches an AWS principal', { AWS: '*' }, ACCT_ROLE, 'allow'],
  ['fail/principal AWS * does not match a service', { AWS: '*' }, RA, 'implicit-deny'],
  ['fail/principal AWS * does not match anonymous', { AWS: '*' }, undefined, 'implicit-deny'],
  ['ok/principal account id matches a role of that account', { AWS: '123456789012' }, ACCT_ROLE, 'allow'],
  ['ok/principal account root ARN matches a role of that account', { AWS: 'arn:aws:iam::123456789012:root' }, ACCT_ROLE, 'allow'],
  ['ok/principal account id matches an assumed-role session', { AWS: '123456789012' }, { type: 'AWS', id: 'arn:aws:sts::123456789012:assumed-role/r/s' }, 'allow'],
  ['fail/principal account id from another account', { AWS: '111111111111' }, ACCT_ROLE, 'implicit-deny'],
  ['fail/principal root ARN in another partition', { AWS: 'arn:aws-cn:iam::123456789012:root' }, ACCT_ROLE, 'implicit-deny'],
  ['fail/principal account id does not match a service', { AWS: '123456789012' }, RA, 'implicit-deny'],
  ['ok/principal exact role ARN', { AWS: ['arn:aws:iam::123456789012:role/caller'] }, ACCT_ROLE, 'allow'],
  ['fail/principal other role ARN', { AWS: 'arn:aws:iam::123456789012:role/other' }, ACCT_ROLE, 'implicit-deny'],
  ['ok/principal Federated exact', { Federated: 'cognito-identity.amazonaws.com' }, { type: 'Federated', id: 'cognito-identity.amazonaws.com' }, 'allow'],
  ['fail/principal Federated vs Service of same name', { Federated: 'cognito-identity.amazonaws.com' }, { type: 'Service', id: 'cognito-identity.amazonaws.com' }, 'implicit-deny'],
];
for (const [name, principal, requestPrincipal, expected] of principalRows) {
  test(name, () => assert.equal(decide([trustFor(principal)], { principal: requestPrincipal }, 'trust'), expected));
}

test('ok/NotPrincipal matches every principal except the listed ones', () => {
  const doc = trustFor({ Service: 'ec2.amazonaws.com' }, 'NotPrincipal');
  assert.equal(decide([doc], { principal: RA }, 'trust'), 'allow');
  assert.equal(decide([doc], { principal: { type: 'Service', id: 'ec2.amazonaws.com' } }, 'trust'), 'implicit-deny');
  assert.equal(decide([trustFor('*', 'NotPrincipal')], { principal: RA }, 'trust'), 'implicit-deny');
});

test('ok/resource policy: Deny with NotPrincipal denies everyone but the listed account', () => {
  const doc = {
    Version: V,
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
      { Effect: 'Deny', NotPrincipal: { AWS: '123456789012' }, Action: '*', Resource: '*' },
    ],
  };
  const req = { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' };
  assert.equal(decide([doc], { ...req, principal: ACCT_ROLE }, 'resource'), 'allow');
  assert.equal(decide([doc], { ...req, principal: { type: 'AWS', id: 'arn:aws:iam::999999999999:user/x' } }, 'resource'), 'explicit-deny');
});

// ---------------------------------------------------------------- policy variables

const CN = 'aws:PrincipalTag/x509Subject/CN';
const withCondition = (condition: unknown, version = V) => ({ Version: version, Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: condition } });
const variableRows: Array<[string, unknown, Record<string, string | string[]>, string]> = [
  ['ok/variable in condition value', { StringEquals: { 'sts:SourceIdentity': 'CN=${aws:PrincipalTag/x509Subject/CN}' } }, { 'sts:SourceIdentity': 'CN=myContainer', [CN]: 'myContainer' }, 'allow'],
  ['fail/variable resolves to a different value', { StringEquals: { 'sts:SourceIdentity': 'CN=${aws:PrincipalTag/x509Subject/CN}' } }, { 'sts:SourceIdentity': 'CN=myContainer', [CN]: 'x' }, 'implicit-deny'],
  ['ok/variable name is case-insensitive', { StringEquals: { 'aws:PrincipalTag/owner': '${AWS:USERNAME}' } }, { 'aws:PrincipalTag/owner': 'alice', 'aws:username': 'alice' }, 'allow'],
  ['fail/unresolved variable without default matches nothing', { StringEquals: { 'aws:PrincipalTag/owner': '${aws:username}' } }, { 'aws:PrincipalTag/owner': '' }, 'implicit-deny'],
  ['ok/unresolved value dropped, other values still match', { StringEquals: { 'aws:PrincipalTag/owner': ['${aws:username}', 'bob'] } }, { 'aws:PrincipalTag/owner': 'bob' }, 'allow'],
  ['ok/default value when the key is absent', { StringEquals: { 'aws:PrincipalTag/team': "${aws:PrincipalTag/x, 'none'}" } }, { 'aws:PrincipalTag/team': 'none' }, 'allow'],
  ['ok/default value with spaces and doubled quote', { StringEquals: { 'aws:PrincipalTag/team': "${ aws:PrincipalTag/x , 'it''s' }" } }, { 'aws:PrincipalTag/team': "it's" }, 'allow'],
  ['ok/default ignored when the key is present', { StringEquals: { 'aws:PrincipalTag/team': "${aws:PrincipalTag/x, 'none'}" } }, { 'aws:PrincipalTag/team': 'red', 'aws:PrincipalTag/x': 'red' }, 'allow'],
  ['fail/multi-valued key cannot be a variable', { StringEquals: { 'aws:PrincipalTag/t': '${aws:TagKeys}' } }, { 'aws:PrincipalTag/t': 'a', 'aws:TagKeys': ['a', 'b'] }, 'implicit-deny'],
  ['ok/${*} is a literal asterisk in StringLike', { StringLike: { 'aws:PrincipalTag/t': 'a${*}b' } }, { 'aws:PrincipalTag/t': 'a*b' }, 'allow'],
  ['fail/${*} does not act as a wildcard', { StringLike: { 'aws:PrincipalTag/t': 'a${*}b' } }, { 'aws:PrincipalTag/t': 'axxb' }, 'implicit-deny'],
  ['ok/${?} and ${$} are literals', { StringLike: { 'aws:PrincipalTag/t': '${?}${$}*' } }, { 'aws:PrincipalTag/t': '?$rest' }, 'allow'],
  ['fail/a variable value is literal in StringLike', { StringLike: { 'aws:PrincipalTag/t': '${aws:username}' } }, { 'aws:PrincipalTag/t': 'anything', 'aws:username': '*' }, 'implicit-deny'],
  ['fail/malformed variable matches nothing', { StringEquals: { 'aws:PrincipalTag/t': '${aws:username' } }, { 'aws:PrincipalTag/t': '${aws:username', 'aws:username': 'x' }, 'implicit-deny'],
  ['ok/variable inside ArnLike', { ArnLike: { 'aws:SourceArn': 'arn:aws:rolesanywhere:*:${aws:SourceAccount}:trust-anchor/*' } }, { 'aws:SourceArn': 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/t', 'aws:SourceAccount': '123456789012' }, 'allow'],
  ['fail/variable inside ArnLike with other account', { ArnLike: { 'aws:SourceArn': 'arn:aws:rolesanywhere:*:${aws:SourceAccount}:trust-anchor/*' } }, { 'aws:SourceArn': 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/t', 'aws:SourceAccount': '111111111111' }, 'implicit-deny'],
];
for (const [name, condition, context, expected] of variableRows) {
  test(name, () => assert.equal(decide([withCondition(condition)], { context }), expected));
}

test('ok/Version 2008-10-17 treats ${...} as literal text', () => {
  const cond = { StringEquals: { 'aws:PrincipalTag/t': '${aws:username}' } };
  assert.equal(decide([withCondition(cond, '2008-10-17')], { context: { 'aws:PrincipalTag/t': '${aws:username}', 'aws:username': 'u' } }), 'allow');
  assert.equal(decide([withCondition(cond, '2008-10-17')], { context: { 'aws:PrincipalTag/t': 'u', 'aws:username': 'u' } }), 'implicit-deny');
  assert.equal(decide([{ Statement: withCondition(cond).Statement }], { context: { 'aws:PrincipalTag/t': 'u', 'aws:username': 'u' } }), 'implicit-deny');
});

test('ok/policy variable in Resource', () => {
  const doc = allowResource('arn:aws:s3:::home/${aws:username}/*');
  assert.equal(decide([doc], { resource: 'arn:aws:s3:::home/alice/f', context: { 'aws:username': 'alice' } }), 'allow');
  assert.equal(decide([doc], { resource: 'arn:aws:s3:::home/bob/f', context: { 'aws:username': 'alice' } }), 'implicit-deny');
  assert.equal(decide([doc], { resource: 'arn:aws:s3:::home/alice/f', context: {} }), 'implicit-deny');
  const withDefault = allowResource("arn:aws:s3:::home/${aws:username, 'guest'}/*");
  assert.equal(decide([withDefault], { resource: 'arn:aws:s3:::home/guest/f', context: {} }), 'allow');
  // Version 2008-10-17: no substitution, the text is matched literally.
  const old = allowResource('arn:aws:s3:::home/${aws:username}/*', '2008-10-17');
  assert.equal(decide([old], { resource: 'arn:aws:s3:::home/alice/f', context: { 'aws:username': 'alice' } }), 'implicit-deny');
});

// ---------------------------------------------------------------- robustness

// An exponential matcher would never finish this; the test's own timeout is the hang guard.
test('ok/wildcard matching stays linear on hostile patterns', { timeout: 30_000 }, () => {
  const doc = allowResource(`arn:aws:s3:::${'*a'.repeat(40)}b`);
  assert.equal(decide([doc], { resource: `arn:aws:s3:::${'a'.repeat(5000)}` }), 'implicit-deny');
});
