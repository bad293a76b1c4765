// The offline half of `mooring apply`: YAML short forms, intrinsic functions, conditions,
// parameters and dependency order, without a server.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dependencyOrder } from '../../src/apply/dependency-order.js';
import { evaluate, Unknown } from '../../src/apply/intrinsics.js';
import { parseParameterArguments, resolveParameters } from '../../src/apply/parameters.js';
import { RESOURCE_HANDLERS } from '../../src/apply/resources/registry.js';
import { pseudoParameters, StackContext } from '../../src/apply/stack-context.js';
import { readTemplate } from '../../src/apply/template.js';
import { TemplateError } from '../../src/apply/template-error.js';
import { parseTemplateText } from '../../src/apply/template-parse.js';

function context(yaml: string, given: Record<string, string> = {}) {
  const template = readTemplate(parseTemplateText(yaml, 't.yaml'));
  const params = resolveParameters(template.parameters, new Map(Object.entries(given)));
  return { template, ctx: new StackContext(template, params, pseudoParameters({ region: 'eu-west-1', accountId: '123456789012', partition: 'aws' }, 'st'), RESOURCE_HANDLERS) };
}

describe('apply template evaluation', () => {
  test('ok/YAML short forms become the long JSON forms', () => {
    const t = parseTemplateText(
      "A: !Ref X\nB: !GetAtt R.Arn.Deep\nC: !Sub ['${a}', {a: !Ref Y}]\nD: !If [C, !Join ['-', [a, b]], !Ref AWS::NoValue]\nE: 2010-09-09\n",
      't.yaml',
    );
    assert.deepEqual(t, {
      A: { Ref: 'X' },
      B: { 'Fn::GetAtt': ['R', 'Arn.Deep'] },
      C: { 'Fn::Sub': ['${a}', { a: { Ref: 'Y' } }] },
      D: { 'Fn::If': ['C', { 'Fn::Join': ['-', ['a', 'b']] }, { Ref: 'AWS::NoValue' }] },
      E: '2010-09-09',
    });
  });

  test('ok/Sub, Join, Select, Split, FindInMap, Base64, pseudo parameters and NoValue evaluate like CloudFormation', () => {
    const { ctx } = context(
      `Parameters:\n  Env: {Type: String, Default: prod}\n  Ids: {Type: CommaDelimitedList, Default: 'a, b,c'}\nMappings:\n  M: {prod: {size: big}}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n  NotProd: !Not [!Condition IsProd]\nResources:\n  R: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {Statement: []}}}\n`,
    );
    const v = evaluate(
      {
        sub: { 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Env}/${!Literal}' },
        join: { 'Fn::Join': ['/', [{ Ref: 'AWS::StackName' }, { 'Fn::Select': [2, { Ref: 'Ids' }] }]] },
        split: { 'Fn::Split': [',', 'x,y'] },
        map: { 'Fn::FindInMap': ['M', { Ref: 'Env' }, 'size'] },
        b64: { 'Fn::Base64': 'hi' },
        gone: { 'Fn::If': ['NotProd', 'x', { Ref: 'AWS::NoValue' }] },
        list: ['keep', { 'Fn::If': ['IsProd', { Ref: 'AWS::NoValue' }, 'x'] }],
        role: { 'Fn::GetAtt': ['R', 'Arn'] },
      },
      ctx,
      'X',
    ) as Record<string, unknown>;
    assert.equal(v.sub, 'arn:aws:x:eu-west-1:123456789012:prod/${Literal}');
    assert.equal(v.join, 'st/c');
    assert.deepEqual(v.split, ['x', 'y']);
    assert.equal(v.map, 'big');
    assert.equal(v.b64, 'aGk=');
    assert.ok(!('gone' in v));
    assert.deepEqual(v.list, ['keep']);
    assert.ok(v.role instanceof Unknown && v.role.toString() === '(known after apply: R.Arn)');
  });

  test('ok/dependency order follows Ref, GetAtt, Sub variables and DependsOn, keeping template order otherwise', () => {
    const { template } = context(`Resources:
  P: {Type: AWS::RolesAnywhere::Profile, Properties: {Name: !Sub '\${R}', RoleArns: [!GetAtt Role.Arn]}}
  Role: {Type: AWS::IAM::Role, DependsOn: [T], Properties: {AssumeRolePolicyDocument: {Statement: []}}}
  T: {Type: AWS::RolesAnywhere::TrustAnchor, Properties: {Name: t, Source: {SourceType: CERTIFICATE_BUNDLE, SourceData: {X509CertificateData: x}}}}
  R: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {Statement: []}}}
`);
    const order = dependencyOrder(template.resources, (n) => n.startsWith('AWS::'), new Set(template.resources.map((r) => r.logicalId)));
    assert.deepEqual(order.map((r) => r.logicalId), ['R', 'T', 'Role', 'P']);
  });

  test('fail/a longer cycle is reported with its path', () => {
    const { template } = context(`Resources:
  A: {Type: AWS::IAM::Role, DependsOn: B, Properties: {AssumeRolePolicyDocument: {Statement: []}}}
  B: {Type: AWS::IAM::Role, DependsOn: C, Properties: {AssumeRolePolicyDocument: {Statement: []}}}
  C: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {Statement: []}, Description: !Ref A}}
`);
    assert.throws(
      () => dependencyOrder(template.resources, () => false, new Set(['A', 'B', 'C'])),
      (e: TemplateError) => e.message === 'Resources.A: circular dependency: A -> B -> C -> A',
    );
  });

  test('ok/parameters: --parameter forms, defaults, list types; fail on undeclared keys, patterns and numbers', () => {
    assert.deepEqual([...parseParameterArguments(['A=1=2', 'ParameterKey=B,ParameterValue=x,y'])], [['A', '1=2'], ['B', 'x,y']]);
    const decls = readTemplate(
      parseTemplateText("Parameters:\n  N: {Type: Number, MinValue: 1}\n  L: {Type: 'List<Number>', Default: '1,2'}\n  S: {Type: String, AllowedPattern: '[a-z]+', NoEcho: true}\nResources:\n  R: {Type: X}\n", 't'),
    ).parameters;
    const ok = resolveParameters(decls, new Map([['N', '5'], ['S', 'abc']]));
    assert.deepEqual([...ok.values], [['N', '5'], ['L', ['1', '2']], ['S', 'abc']]);
    assert.deepEqual([...ok.secret], ['S']);
    assert.throws(() => resolveParameters(decls, new Map([['N', '5'], ['S', 'abc'], ['Z', '1']])), /--parameter Z: the template declares no parameter "Z"/);
    assert.throws(() => resolveParameters(decls, new Map([['N', '5'], ['S', 'ABC']])), /Parameters\.S: value does not match AllowedPattern \[a-z\]\+/);
    assert.throws(() => resolveParameters(decls, new Map([['N', 'x'], ['S', 'a']])), /Parameters\.N: value "x" is not a number/);
    assert.throws(() => resolveParameters(decls, new Map([['N', '0'], ['S', 'a']])), /Parameters\.N: value is less than MinValue 1/);
  });

  test('fail/template sections and resource attributes are checked', () => {
    assert.throws(() => readTemplate(parseTemplateText('Resources: {}\n', 't')), /Resources: is required and must declare at least one resource/);
    assert.throws(() => readTemplate(parseTemplateText('Resource:\n  A: {Type: X}\n', 't')), /Resource: unknown template section/);
    assert.throws(() => readTemplate(parseTemplateText('Transform: AWS::Serverless-2016-10-31\nResources:\n  A: {Type: X}\n', 't')), /Transform: transforms .* are not supported/);
    assert.throws(() => readTemplate(parseTemplateText('Resources:\n  my-role: {Type: X}\n', 't')), /Resources\.my-role: a logical id must be alphanumeric/);
    assert.throws(() => readTemplate(parseTemplateText('Resources:\n  A: {Type: X, Propertes: {}}\n', 't')), /Resources\.A\.Propertes: unsupported resource attribute/);
    assert.throws(() => parseTemplateText('{"Resources": ', 't.json'), /t\.json: not valid JSON/);
  });
});
