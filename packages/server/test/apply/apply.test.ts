// `mooring apply` (issue 8 item 3): a CloudFormation template in the "IAM Roles Anywhere with
// CloudFormation" style applied to a real server over HTTPS with SigV4, then CreateSession with a
// certificate of the template's CA; re-apply is a no-op, a change updates, --prune deletes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sessionRequest } from '../support/in-process.js';
import { ApplyHarness, crlPem, leaf, testCa } from './apply-support.js';

const TEMPLATE = `AWSTemplateFormatVersion: 2010-09-09
Description: IAM Roles Anywhere for on-premises workloads
Parameters:
  CACertificateBody:
    Type: String
    Description: PEM of the private CA
  OrgUnit:
    Type: String
    AllowedValues: [ops, dev]
    Default: ops
  CrlBody:
    Type: String
    Default: ''
  Duration:
    Type: Number
    Default: 3600
Conditions:
  HasCrl: !Not [!Equals [!Ref CrlBody, '']]
Resources:
  ListBucketsPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Description: list buckets
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: s3:ListAllMyBuckets
            Resource: '*'
  WorkloadRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub '\${AWS::StackName}-workload'
      MaxSessionDuration: 7200
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: rolesanywhere.amazonaws.com
            Action: [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity]
            Condition:
              StringEquals:
                aws:PrincipalTag/x509Subject/OU: !Ref OrgUnit
              ArnEquals:
                aws:SourceArn: !GetAtt TrustAnchor.TrustAnchorArn
      ManagedPolicyArns: [!Ref ListBucketsPolicy]
      Policies:
        - PolicyName: read-config
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: ssm:GetParameter
                Resource: !Sub 'arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/app/*'
      Tags:
        - Key: team
          Value: platform
  TrustAnchor:
    Type: AWS::RolesAnywhere::TrustAnchor
    Properties:
      Name: !Sub '\${AWS::StackName}-ca'
      Enabled: true
      Source:
        SourceType: CERTIFICATE_BUNDLE
        SourceData:
          X509CertificateData: !Ref CACertificateBody
  Profile:
    Type: AWS::RolesAnywhere::Profile
    Properties:
      Name: !Join ['-', [!Ref AWS::StackName, profile]]
      Enabled: true
      DurationSeconds: !Ref Duration
      RoleArns:
        - !GetAtt WorkloadRole.Arn
  Revocations:
    Type: AWS::RolesAnywhere::CRL
    Condition: HasCrl
    Properties:
      Name: revocations
      Enabled: true
      CrlData: !Ref CrlBody
      TrustAnchorArn: !GetAtt TrustAnchor.TrustAnchorArn
Outputs:
  TrustAnchorArn:
    Value: !GetAtt TrustAnchor.TrustAnchorArn
  ProfileArn:
    Value: !GetAtt Profile.ProfileArn
  RoleArn:
    Value: !GetAtt WorkloadRole.Arn
`;

function outputs(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^ {2}(\w+) = (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

describe('mooring apply', () => {
  const a = new ApplyHarness();
  const ca = testCa();
  const good = leaf(ca, 'ops', 0x1001n);
  const otherOu = leaf(ca, 'dev', 0x1002n);
  const revoked = leaf(ca, 'ops', 0x1003n);
  let file = '';
  let params: string[] = [];
  let out: Record<string, string> = {};

  before(async () => {
    await a.start();
    file = a.file('roles-anywhere.yaml', TEMPLATE);
    params = ['--parameter', `CACertificateBody=${ca.pem}`, '--parameter', `CrlBody=${crlPem(ca, [revoked.serialHex])}`];
  });
  after(() => a.stop());

  const createSession = async (identity: typeof good) =>
    a.h.send(await sessionRequest({ identity, trustAnchorArn: out.TrustAnchorArn!, profileArn: out.ProfileArn!, roleArn: out.RoleArn! }));

  test('ok/dry run of a new stack plans every create and changes nothing', async () => {
    const r = await a.apply([file, ...params, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    for (const id of ['ListBucketsPolicy', 'WorkloadRole', 'TrustAnchor', 'Profile', 'Revocations']) assert.match(r.stdout, new RegExp(`\\+ will create +${id} `));
    assert.match(r.stdout, /Dry run, nothing changed: 5 to create/);
    assert.match(r.stdout, /ProfileArn = \(known after apply: Profile\.ProfileArn\)/);
    assert.equal((await a.ra('GET', '/trustanchors')).trustAnchors.length, 0);
  });

  test('ok/apply creates role, managed policy, trust anchor, profile and CRL in dependency order; outputs printed', async () => {
    const r = await a.apply([file, ...params]);
    assert.equal(r.code, 0, r.stderr);
    const order = [...r.stdout.matchAll(/^\+ create +(\w+)/gm)].map((m) => m[1]);
    assert.deepEqual(order, ['ListBucketsPolicy', 'TrustAnchor', 'WorkloadRole', 'Profile', 'Revocations']);
    assert.match(r.stdout, /Applied stack "roles-anywhere": 5 created/);
    out = outputs(r.stdout);
    assert.equal(out.RoleArn, 'arn:aws:iam::111122223333:role/roles-anywhere-workload');
    assert.match(out.TrustAnchorArn!, /^arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor\/[0-9a-f-]{36}$/);
    const profile = (await a.ra('GET', `/profile/${out.ProfileArn!.split('/')[1]}`)).profile;
    assert.equal(profile.name, 'roles-anywhere-profile');
    assert.equal(profile.durationSeconds, 3600);
    assert.deepEqual(profile.roleArns, [out.RoleArn]);
    const tags = (await a.h.admin('rolesanywhere', 'GET', '/ListTagsForResource', '', `resourceArn=${encodeURIComponent(out.ProfileArn!)}`)).json().tags;
    assert.deepEqual(tags, [
      { key: 'mooring:apply/stack-name', value: 'roles-anywhere' },
      { key: 'mooring:apply/logical-id', value: 'Profile' },
    ]);
    const role = await a.h.iam({ Action: 'GetRole', RoleName: 'roles-anywhere-workload' });
    assert.match(role.body, /<MaxSessionDuration>7200<\/MaxSessionDuration>/);
    const attached = await a.h.iam({ Action: 'ListAttachedRolePolicies', RoleName: 'roles-anywhere-workload' });
    assert.match(attached.body, /<PolicyArn>arn:aws:iam::111122223333:policy\/roles-anywhere-ListBucketsPolicy<\/PolicyArn>/);
  });

  test('ok/a certificate with the template OU gets credentials; another OU and a revoked serial are refused', async () => {
    const ok = await createSession(good);
    assert.equal(ok.status, 201, ok.body);
    assert.equal(ok.json().credentialSet[0].roleArn, out.RoleArn);
    assert.equal(ok.json().credentialSet[0].credentials.accessKeyId.slice(0, 4), 'ASIA');
    const denied = await createSession(otherOu);
    assert.equal(denied.status, 403);
    assert.match(denied.json().message, /Unable to assume role/);
    const gone = await createSession(revoked);
    assert.equal(gone.status, 403);
    assert.equal(gone.json().message, 'Certificate revoked');
  });

  test('ok/a second apply of the same template changes nothing and says "no changes"', async () => {
    const before = await a.ra('GET', `/profile/${out.ProfileArn!.split('/')[1]}`);
    const r = await a.apply([file, ...params]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /no changes: stack "roles-anywhere" is up to date \(5 resources\)/);
    assert.doesNotMatch(r.stdout, /^[+~±-] /m);
    assert.deepEqual(outputs(r.stdout), out);
    const after = await a.ra('GET', `/profile/${out.ProfileArn!.split('/')[1]}`);
    assert.equal(after.profile.updatedAt, before.profile.updatedAt);
  });

  test('ok/a changed template shows the diff in a dry run, then updates in place', async () => {
    const changed = a.file(
      'roles-anywhere.yaml',
      TEMPLATE.replace('Value: platform', 'Value: security').replace("Action: ssm:GetParameter", 'Action: [ssm:GetParameter, ssm:GetParameters]'),
    );
    const args = [changed, ...params, '--parameter', 'Duration=1800', '--parameter', 'OrgUnit=dev'];
    const plan = await a.apply([...args, '--dry-run']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /~ will update +Profile \(AWS::RolesAnywhere::Profile\)\n +DurationSeconds: 3600 -> 1800\n/);
    assert.match(plan.stdout, /~ will update +WorkloadRole[^\n]*\n(?: +\w+: [^\n]*\n)*? +Tags: \[\{"Key":"team","Value":"platform"\}\] -> \[\{"Key":"team","Value":"security"\}\]/);
    assert.match(plan.stdout, /= no change +TrustAnchor/);
    assert.equal((await a.ra('GET', `/profile/${out.ProfileArn!.split('/')[1]}`)).profile.durationSeconds, 3600);

    const r = await a.apply(args);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Applied stack "roles-anywhere": 0 created, 2 updated, 0 replaced, 0 deleted, 3 unchanged\./);
    assert.deepEqual(outputs(r.stdout), out, 'an update keeps every identifier');
    assert.equal((await a.ra('GET', `/profile/${out.ProfileArn!.split('/')[1]}`)).profile.durationSeconds, 1800);
    // The trust policy now wants OU=dev.
    assert.equal((await createSession(otherOu)).status, 201);
    assert.equal((await createSession(good)).status, 403);
    const again = await a.apply(args);
    assert.match(again.stdout, /no changes/);
  });

  test('ok/resources removed from the template are kept without --prune and deleted with it', async () => {
    // Without CrlBody the CRL's condition is false: it leaves the stack.
    const args = [file, '--parameter', `CACertificateBody=${ca.pem}`, '--parameter', 'Duration=1800', '--parameter', 'OrgUnit=dev'];
    const kept = await a.apply(args);
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /\? kept +Revocations \(AWS::RolesAnywhere::CRL\) — not in the template; kept \(use --prune to delete it\)/);
    assert.equal((await a.ra('GET', '/crls')).crls.length, 1);
    const plan = await a.apply([...args, '--prune', '--dry-run']);
    assert.match(plan.stdout, /- will delete +Revocations/);
    assert.equal((await a.ra('GET', '/crls')).crls.length, 1);
    const pruned = await a.apply([...args, '--prune']);
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.match(pruned.stdout, /- delete +Revocations/);
    assert.equal((await a.ra('GET', '/crls')).crls.length, 0);
    // The revoked certificate (OU=ops) is now refused only by the trust policy, no longer by the CRL.
    assert.match((await createSession(revoked)).json().message, /Unable to assume role/);
  });

  test('ok/--prune with a template that drops everything but the trust anchor deletes the rest, role policies first', async () => {
    const only = a.file(
      'roles-anywhere.yaml',
      `Parameters:\n  CACertificateBody: {Type: String}\nResources:\n  TrustAnchor:\n    Type: AWS::RolesAnywhere::TrustAnchor\n    Properties:\n      Name: !Sub '\${AWS::StackName}-ca'\n      Enabled: true\n      Source: {SourceType: CERTIFICATE_BUNDLE, SourceData: {X509CertificateData: !Ref CACertificateBody}}\n`,
    );
    const r = await a.apply([only, '--parameter', `CACertificateBody=${ca.pem}`, '--prune']);
    assert.equal(r.code, 0, r.stderr);
    const deleted = [...r.stdout.matchAll(/^- delete +(\w+)/gm)].map((m) => m[1]);
    assert.deepEqual(deleted, ['Profile', 'ListBucketsPolicy', 'WorkloadRole']);
    assert.equal((await a.ra('GET', '/profiles')).profiles.length, 0);
    assert.match((await a.h.iam({ Action: 'GetRole', RoleName: 'roles-anywhere-workload' })).body, /NoSuchEntity/);
    assert.equal((await a.ra('GET', '/trustanchors')).trustAnchors.length, 1);
  });
});
