// `mooring apply`: JSON templates, managed-policy replacement, and templates that must be refused
// with an error naming the logical id and property, before anything is created.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApplyHarness, testCa } from './apply-support.js';

const ROLE_TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] };

describe('mooring apply: templates', () => {
  const a = new ApplyHarness();
  const ca = testCa('JSON CA');

  before(() => a.start());
  after(() => a.stop());

  const counts = async () => ({
    trustAnchors: (await a.ra('GET', '/trustanchors')).trustAnchors.length as number,
    profiles: (await a.ra('GET', '/profiles')).profiles.length as number,
  });

  test('ok/a JSON template with long-form intrinsics applies, and re-applies with no changes', async () => {
    const template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { CaPem: { Type: 'String' } },
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: JSON.stringify(ROLE_TRUST), Path: '/ra/' } },
        Anchor: {
          Type: 'AWS::RolesAnywhere::TrustAnchor',
          Properties: {
            Name: 'json-anchor',
            Enabled: 'true',
            Source: { SourceType: 'CERTIFICATE_BUNDLE', SourceData: { X509CertificateData: { Ref: 'CaPem' } } },
            NotificationSettings: [{ Enabled: true, Event: 'CA_CERTIFICATE_EXPIRY', Threshold: 30 }],
            Tags: [{ Key: 'env', Value: 'test' }],
          },
        },
        Profile: {
          Type: 'AWS::RolesAnywhere::Profile',
          DependsOn: 'Anchor',
          Properties: {
            Name: { 'Fn::Sub': '${AWS::StackName}-p' },
            RoleArns: [{ 'Fn::GetAtt': ['Role', 'Arn'] }],
            SessionPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
            AttributeMappings: [{ CertificateField: 'x509Subject', MappingRules: [{ Specifier: 'CN' }, { Specifier: 'OU' }] }],
          },
        },
      },
      Outputs: { Role: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } }, Anchor: { Value: { Ref: 'Anchor' } } },
    };
    const file = a.file('json-stack.json', JSON.stringify(template, null, 2));
    const r = await a.apply([file, '--parameter', `CaPem=${ca.pem}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Applied stack "json-stack": 3 created/);
    assert.match(r.stdout, /Role = arn:aws:iam::111122223333:role\/ra\/json-stack-Role\n/);
    const anchorId = /Anchor = ([0-9a-f-]{36})\n/.exec(r.stdout)![1]!;
    const ta = (await a.ra('GET', `/trustanchor/${anchorId}`)).trustAnchor;
    assert.equal(ta.enabled, true);
    assert.deepEqual(
      ta.notificationSettings.find((n: { event: string }) => n.event === 'CA_CERTIFICATE_EXPIRY'),
      { enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 30, channel: 'ALL', configuredBy: '111122223333' },
    );
    const profile = (await a.ra('GET', '/profiles')).profiles.find((p: { name: string }) => p.name === 'json-stack-p');
    assert.equal(profile.enabled, false, 'Enabled omitted: created disabled, as Mooring does');
    assert.deepEqual(JSON.parse(profile.sessionPolicy), template.Resources.Profile.Properties.SessionPolicy);
    assert.deepEqual(
      profile.attributeMappings.find((m: { certificateField: string }) => m.certificateField === 'x509Subject').mappingRules,
      [{ specifier: 'CN' }, { specifier: 'OU' }],
    );
    const again = await a.apply([file, '--parameter', `CaPem=${ca.pem}`]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /no changes/);
  });

  test('ok/a changed managed policy document is a new default version under the same ARN, still attached; deleting the stack removes every version', async () => {
    const yaml = (action: string) => `Resources:
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: reader
      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: ${action}, Resource: '*'}]}
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: policy-holder
      AssumeRolePolicyDocument: ${JSON.stringify(ROLE_TRUST)}
      ManagedPolicyArns: [!Ref Reader]
`;
    const first = await a.apply([a.file('policies.yaml', yaml('s3:GetObject')), '--stack-name', 'policies']);
    assert.equal(first.code, 0, first.stderr);
    const r = await a.apply([a.file('policies.yaml', yaml('s3:PutObject')), '--stack-name', 'policies']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /~ update +Reader \(AWS::IAM::ManagedPolicy\)\n +PolicyDocument: .*s3:GetObject.* -> .*s3:PutObject/);
    assert.match(r.stdout, /= no change +Role/);
    const version = await a.h.iam({ Action: 'GetPolicyVersion', PolicyArn: 'arn:aws:iam::111122223333:policy/reader', VersionId: 'v2' });
    assert.match(decodeURIComponent(version.body), /s3:PutObject.*<IsDefaultVersion>true</s);
    // Five more changes: the oldest non-default version makes room each time, as CloudFormation does.
    for (let i = 0; i < 5; i++) assert.equal((await a.apply([a.file('policies.yaml', yaml(`s3:Get${i}`)), '--stack-name', 'policies'])).code, 0);
    const versions = await a.h.iam({ Action: 'ListPolicyVersions', PolicyArn: 'arn:aws:iam::111122223333:policy/reader' });
    assert.deepEqual([...versions.body.matchAll(/<VersionId>(v\d+)</g)].map((m) => m[1]), ['v7', 'v6', 'v5', 'v4', 'v3']);
    const attached = await a.h.iam({ Action: 'ListAttachedRolePolicies', RoleName: 'policy-holder' });
    assert.match(attached.body, /policy\/reader</);
    // Dropped from the template: its non-default versions go first, then the policy.
    const roleOnly = yaml('s3:Get4').replace(/ {2}Reader:[\s\S]*?(?= {2}Role:)/, '').replace('      ManagedPolicyArns: [!Ref Reader]\n', '');
    const dropped = await a.apply([a.file('policies.yaml', roleOnly), '--stack-name', 'policies', '--prune']);
    assert.equal(dropped.code, 0, dropped.stderr + dropped.stdout);
    assert.match(dropped.stdout, /- delete +Reader/);
    assert.equal((await a.h.iam({ Action: 'GetPolicy', PolicyArn: 'arn:aws:iam::111122223333:policy/reader' })).status, 404);
  });

  const badTemplates: Array<[string, string, RegExp]> = [
    [
      'unknown resource type',
      'Resources:\n  Bucket: {Type: AWS::S3::Bucket}\n  Anchor: {Type: AWS::RolesAnywhere::TrustAnchor, Properties: {Name: a, Source: {SourceType: CERTIFICATE_BUNDLE, SourceData: {X509CertificateData: x}}}}\n',
      /^Error: Resources\.Bucket\.Type: unsupported resource type AWS::S3::Bucket \(mooring apply supports AWS::IAM::ManagedPolicy, AWS::IAM::Role, AWS::RolesAnywhere::TrustAnchor/,
    ],
    ['missing required property', 'Resources:\n  Profile: {Type: AWS::RolesAnywhere::Profile, Properties: {Name: p}}\n', /^Error: Resources\.Profile\.Properties\.RoleArns: required property is missing\n$/],
    [
      'unknown property',
      'Resources:\n  Profile: {Type: AWS::RolesAnywhere::Profile, Properties: {Name: p, RoleArns: [], Duration: 900}}\n',
      /^Error: Resources\.Profile\.Properties\.Duration: unknown property \(supported: Name, RoleArns, Enabled, DurationSeconds/,
    ],
    ['out-of-range value', 'Resources:\n  Profile: {Type: AWS::RolesAnywhere::Profile, Properties: {Name: p, RoleArns: [], DurationSeconds: 100}}\n', /^Error: Resources\.Profile\.Properties\.DurationSeconds: must be at least 900\n$/],
    [
      'cycle',
      `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {Service: rolesanywhere.amazonaws.com}, Condition: {ArnEquals: {aws:SourceArn: !GetAtt Profile.ProfileArn}}}]}
  Profile:
    Type: AWS::RolesAnywhere::Profile
    Properties: {Name: p, RoleArns: [!GetAtt Role.Arn]}
`,
      /^Error: Resources\.Role: circular dependency: Role -> Profile -> Role\n$/,
    ],
    ['unknown Ref', 'Resources:\n  Profile: {Type: AWS::RolesAnywhere::Profile, Properties: {Name: p, RoleArns: [!Ref Nope]}}\n', /^Error: Resources\.Profile\.Properties\.RoleArns\.0\.Ref: unresolved reference "Nope": not a resource, parameter or pseudo parameter\n$/],
    [
      'unknown GetAtt attribute',
      'Resources:\n  Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {Statement: []}}}\n  Profile: {Type: AWS::RolesAnywhere::Profile, Properties: {Name: p, RoleArns: [!GetAtt Role.Name]}}\n',
      /^Error: Resources\.Profile\.Properties\.RoleArns\.0\.Fn::GetAtt: Role \(AWS::IAM::Role\) has no attribute "Name" \(Fn::GetAtt supports: Arn, RoleId\)\n$/,
    ],
    ['unknown YAML tag', 'Resources:\n  Profile: {Type: AWS::RolesAnywhere::Profile, Properties: {Name: !Bogus p, RoleArns: []}}\n', /^Error: .*bad\.yaml:2:67: Unresolved tag: !Bogus \(supported short forms: !Ref, !GetAtt, !Sub/],
    ['unsupported intrinsic', 'Resources:\n  Profile: {Type: AWS::RolesAnywhere::Profile, Properties: {Name: !ImportValue other, RoleArns: []}}\n', /^Error: Resources\.Profile\.Properties\.Name\.Fn::ImportValue: Fn::ImportValue is not supported by mooring apply\n$/],
    [
      'parameter outside AllowedValues',
      'Parameters:\n  Ou: {Type: String, AllowedValues: [ops, dev], Default: qa}\nResources:\n  Profile: {Type: AWS::RolesAnywhere::Profile, Properties: {Name: !Ref Ou, RoleArns: []}}\n',
      /^Error: Parameters\.Ou: value "qa" is not one of the AllowedValues \[ops, dev\]\n$/,
    ],
    ['parameter without a value', 'Parameters:\n  Ca: {Type: String}\nResources:\n  Profile: {Type: AWS::RolesAnywhere::Profile, Properties: {Name: !Ref Ca, RoleArns: []}}\n', /^Error: Parameters\.Ca: no value: pass --parameter Ca=VALUE or give it a Default\n$/],
    ['role permissions boundary', 'Resources:\n  Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {Statement: []}, PermissionsBoundary: arn:aws:iam::aws:policy/X}}\n', /^Error: Resources\.Role\.Properties\.PermissionsBoundary: permissions boundaries are not supported by Mooring\n$/],
  ];

  for (const [name, text, message] of badTemplates) {
    test(`fail/${name}: clear error, exit 1, nothing created`, async () => {
      const before = await counts();
      const r = await a.apply([a.file('bad.yaml', text)]);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '', 'refused before contacting the server');
      assert.deepEqual(await counts(), before);
    });
  }

  test('fail/an API refusal names the resource and the service error; earlier resources stay applied', async () => {
    const text = `Resources:
  Good:
    Type: AWS::RolesAnywhere::Profile
    Properties: {Name: good, RoleArns: []}
  Anchor:
    Type: AWS::RolesAnywhere::TrustAnchor
    DependsOn: Good
    Properties: {Name: a, Source: {SourceType: CERTIFICATE_BUNDLE, SourceData: {X509CertificateData: not a certificate}}}
`;
    const r = await a.apply([a.file('api-error.yaml', text)]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: Resources\.Anchor \(AWS::RolesAnywhere::TrustAnchor\): CreateTrustAnchor: ValidationException: /);
    assert.match(r.stdout, /\+ create +Good/);
  });

  test('fail/usage: no endpoint, two templates, a bad stack name exit 2', async () => {
    const { runApplyCommand } = await import('../../src/apply/apply-command.js');
    const run = async (argv: string[]) => {
      let stderr = '';
      const code = await runApplyCommand(argv, { stdout: () => {}, stderr: (s) => (stderr += s), env: {} });
      return { code, stderr };
    };
    assert.deepEqual(await run(['t.yaml']), { code: 2, stderr: (await run(['t.yaml'])).stderr });
    assert.match((await run(['t.yaml'])).stderr, /--endpoint URL is required/);
    assert.equal((await run(['a.yaml', 'b.yaml', '--endpoint', 'https://x'])).code, 2);
    assert.match((await run(['t.yaml', '--endpoint', 'https://x', '--stack-name', '9lives'])).stderr, /--stack-name "9lives": must start with a letter/);
  });

  test('fail/wrong credentials are reported as the service error, not a stack trace', async () => {
    const file = a.file('creds.yaml', 'Resources:\n  P: {Type: AWS::RolesAnywhere::Profile, Properties: {Name: p, RoleArns: []}}\n');
    const r = await a.apply([file], { ...a.env, AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: GetCallerIdentity: SignatureDoesNotMatch: /);
    assert.ok(!r.stderr.includes('x'.repeat(40)), 'the secret is never printed');
  });
});

describe('mooring apply: TLS trust', () => {
  const a = new ApplyHarness();
  before(() => a.start());
  after(() => a.stop());

  test('fail/without AWS_CA_BUNDLE the self-signed server is refused, with a hint', async () => {
    const file = a.file('tls.yaml', 'Resources:\n  P: {Type: AWS::RolesAnywhere::Profile, Properties: {Name: p, RoleArns: []}}\n');
    const { AWS_CA_BUNDLE: _unused, ...env } = a.env;
    const r = await a.apply([file], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: GetCallerIdentity: .*certificate.*\(set AWS_CA_BUNDLE to the server's tls\/ca\.pem\)\n$/);
  });
});
