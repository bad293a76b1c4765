// Control-plane calls are authorised by the caller's identity policies (issue [control-plane]
// item 4): Mooring can be administered with certificate-based credentials and no static key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signHmacRequest } from '@mooring/protocol';
import { Harness, HOST, sessionRequest, walkthroughSetup } from '../support/in-process.js';

describe('control-plane authorization', () => {
  const h = new Harness();
  let s: Awaited<ReturnType<typeof walkthroughSetup>>;
  let creds: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  let sessionArn: string;
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] }] });

  const asSession = (method: string, path: string, body = '') =>
    h.send(signHmacRequest({ method, path, query: '', headers: { host: HOST, ...(body ? { 'content-type': 'application/json' } : {}) }, body }, creds, { region: 'us-east-1', service: 'rolesanywhere', date: new Date() }));

  before(async () => {
    await h.start();
    s = await walkthroughSetup(h);
    const role = await h.iam({ Action: 'CreateRole', RoleName: 'operator', AssumeRolePolicyDocument: trust });
    const operatorArn = /<Arn>([^<]+)<\/Arn>/.exec(role.body)![1]!;
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['rolesanywhere:List*', 'rolesanywhere:CreateProfile'], Resource: '*' }] };
    assert.equal((await h.iam({ Action: 'PutRolePolicy', RoleName: 'operator', PolicyName: 'ops', PolicyDocument: JSON.stringify(policy) })).status, 200);
    const prof = await h.admin('rolesanywhere', 'POST', '/profiles', JSON.stringify({ name: 'ops', enabled: true, roleArns: [operatorArn] }));
    assert.equal(prof.status, 201, prof.body);
    const me = s.leaf('operator-host');
    const r = await h.send(await sessionRequest({ identity: me, trustAnchorArn: s.trustAnchorArn, profileArn: prof.json().profile.profileArn, roleArn: operatorArn }));
    assert.equal(r.status, 201, r.body);
    const c = r.json().credentialSet[0].credentials;
    creds = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
    sessionArn = `arn:aws:sts::111122223333:assumed-role/operator/${me.serialHex}`;
  });
  after(() => h.stop());

  test('ok/a session whose role allows rolesanywhere:List* can list', async () => {
    const r = await asSession('GET', '/profiles');
    assert.equal(r.status, 200, r.body);
    assert.ok(r.json().profiles.length >= 2);
  });

  test('fail/the same session cannot delete, with IAM\'s message', async () => {
    const r = await asSession('DELETE', `/profile/${s.profileId}`);
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.equal(r.json().message, `User: ${sessionArn} is not authorized to perform: rolesanywhere:DeleteProfile on resource: ${s.profileArn} because no identity-based policy allows the rolesanywhere:DeleteProfile action`);
    assert.equal((await h.admin('rolesanywhere', 'GET', `/profile/${s.profileId}`)).status, 200, 'nothing was deleted');
  });

  test('fail/CreateProfile also needs iam:PassRole on the roles; ok once granted', async () => {
    const body = JSON.stringify({ name: 'made-by-session', roleArns: [s.roleArn] });
    const denied = await asSession('POST', '/profiles', body);
    assert.equal(denied.status, 403, denied.body);
    assert.match(denied.json().message, new RegExp(`is not authorized to perform: iam:PassRole on resource: ${s.roleArn.replace(/[/]/g, '\\/')}`));
    const pass = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: s.roleArn, Condition: { StringEquals: { 'iam:PassedToService': 'rolesanywhere.amazonaws.com' } } }] };
    assert.equal((await h.iam({ Action: 'PutRolePolicy', RoleName: 'operator', PolicyName: 'pass', PolicyDocument: JSON.stringify(pass) })).status, 200);
    const ok = await asSession('POST', '/profiles', body);
    assert.equal(ok.status, 201, ok.body);
    assert.equal(ok.json().profile.createdBy, sessionArn);
  });

  test('ok/the bootstrap admin may do everything', async () => {
    assert.equal((await h.admin('rolesanywhere', 'GET', '/crls')).status, 200);
  });
});
