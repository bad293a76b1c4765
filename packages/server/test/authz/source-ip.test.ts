// aws:SourceIp of an IPv4 client on a dual-stack listener, which Node reports as ::ffff:a.b.c.d
// (RFC 4291 §2.5.5.2), is the IPv4 address: a Deny on an IPv4 range must hold for it on every
// path (CreateSession's trust policy, the control plane), and the audit trail records it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signHmacRequest } from '@mooring/protocol';
import { WALKTHROUGH_TRUST_POLICY } from '@mooring/server';
import { HOST, sessionRequest, walkthroughSuite } from '../support/in-process.js';

const BLOCKED = '203.0.113.7';
const denyFrom = (action: string) => ({ Effect: 'Deny', Action: action, Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': `${BLOCKED}/32` } } });

describe('source-ip', () => {
  const { h, setup, me } = walkthroughSuite();
  const roleName = () => setup().roleArn.split('/').pop()!;

  test('fail/a trust-policy Deny on an IPv4 address holds for the IPv4-mapped form of that address', async () => {
    const trust = JSON.parse(WALKTHROUGH_TRUST_POLICY) as { Statement: unknown[] };
    const { Resource: _trustPoliciesHaveNoResource, ...deny } = denyFrom('sts:AssumeRole');
    trust.Statement.push({ ...deny, Principal: { Service: 'rolesanywhere.amazonaws.com' } });
    const u = await h.iam({ Action: 'UpdateAssumeRolePolicy', RoleName: roleName(), PolicyDocument: JSON.stringify(trust) });
    assert.equal(u.status, 200, u.body);
    const s = setup();
    const req = () => sessionRequest({ identity: me(), trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn });
    for (const from of [BLOCKED, `::ffff:${BLOCKED}`]) {
      const r = await h.send(await req(), from);
      assert.equal(r.status, 403, `${from}: ${r.body}`);
    }
    const other = await h.send(await req(), '::ffff:198.51.100.1');
    assert.equal(other.status, 201, other.body);
    const recorded = h.auditEvents(5).filter((e) => e.eventName === 'CreateSession').map((e) => e.sourceIPAddress);
    assert.ok(recorded.includes(BLOCKED), JSON.stringify(recorded));
    assert.ok(recorded.includes('198.51.100.1'), JSON.stringify(recorded));
    assert.ok(!recorded.some((ip) => String(ip).startsWith('::ffff:')), JSON.stringify(recorded));
    await h.iam({ Action: 'UpdateAssumeRolePolicy', RoleName: roleName(), PolicyDocument: WALKTHROUGH_TRUST_POLICY });
  });

  test('fail/a control-plane Deny on an IPv4 address holds for the IPv4-mapped form of that address', async () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'rolesanywhere:*', Resource: '*' }, denyFrom('rolesanywhere:ListProfiles')] };
    const put = await h.iam({ Action: 'PutRolePolicy', RoleName: roleName(), PolicyName: 'ip', PolicyDocument: JSON.stringify(policy) });
    assert.equal(put.status, 200, put.body);
    const s = setup();
    const session = await h.send(await sessionRequest({ identity: me(), trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn }));
    assert.equal(session.status, 201, session.body);
    const c = session.json().credentialSet[0].credentials;
    const list = () => signHmacRequest({ method: 'GET', path: '/profiles', query: '', headers: { host: HOST }, body: '' },
      { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken }, { region: 'us-east-1', service: 'rolesanywhere', date: new Date() });
    assert.equal((await h.send(list(), `::ffff:${BLOCKED}`)).status, 403);
    assert.equal((await h.send(list(), '::ffff:198.51.100.1')).status, 200);
  });
});
