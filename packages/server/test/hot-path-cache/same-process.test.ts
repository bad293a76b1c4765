// The hot-path caches through the real server (SQLite): CreateSession reads its configuration
// from the cache, yet a change made through the API refuses the very next CreateSession.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { buildCrl, toPem } from '@mooring/pki';
import { Harness, sessionRequest, walkthroughSetup, type Identity, walkthroughHooks } from '../support/in-process.js';

const DENY_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describe('hot-path cache: changes on this process take effect at the next CreateSession', () => {
  const h = new Harness();
  let s: Awaited<ReturnType<typeof walkthroughSetup>>;
  let me: Identity;

  walkthroughHooks(h, (setup, leaf) => {
    s = setup;
    me = leaf;
  });

  const session = async (o: { identity?: Identity; profileArn?: string; roleArn?: string } = {}) =>
    h.send(await sessionRequest({ identity: o.identity ?? me, trustAnchorArn: s.trustAnchorArn, profileArn: o.profileArn ?? s.profileArn, roleArn: o.roleArn ?? s.roleArn }));
  const failureReason = () => (h.auditEvents(1)[0]!.additionalEventData as { failureReason?: string }).failureReason;
  const ra = (method: string, path: string, body?: unknown) => h.admin('rolesanywhere', method, path, body === undefined ? '' : JSON.stringify(body));

  /** A successful CreateSession that leaves all four reads cached (checked, so the tests below exercise the cache). */
  async function warm() {
    const r = await session();
    assert.equal(r.status, 201, r.body);
    const c = h.server.hotPath;
    assert.ok(c.trustAnchors.size > 0 && c.profiles.size > 0 && c.crlVersions.size > 0 && c.roles.size > 0, 'every hot-path read is cached');
  }

  beforeEach(warm);

  test('fail/trust-anchor-disabled: refused at once after DisableTrustAnchor; EnableTrustAnchor restores', async () => {
    assert.equal((await ra('POST', `/trustanchor/${s.trustAnchorId}/disable`)).status, 200);
    const r = await session();
    assert.equal(r.status, 403, r.body);
    assert.equal(failureReason(), 'trust-anchor-disabled');
    assert.equal((await ra('POST', `/trustanchor/${s.trustAnchorId}/enable`)).status, 200);
    assert.equal((await session()).status, 201);
  });

  test('fail/profile-disabled: refused at once after DisableProfile; EnableProfile restores', async () => {
    assert.equal((await ra('POST', `/profile/${s.profileId}/disable`)).status, 200);
    const r = await session();
    assert.equal(r.status, 403, r.body);
    assert.equal(failureReason(), 'profile-disabled');
    assert.equal((await ra('POST', `/profile/${s.profileId}/enable`)).status, 200);
    assert.equal((await session()).status, 201);
  });

  test('fail/revoked: ImportCrl then EnableCrl revoking the leaf refuses at once; DeleteCrl restores', async () => {
    const leaf = s.leaf('myContainer');
    assert.equal((await session({ identity: leaf })).status, 201);
    const crl = toPem('X509 CRL', buildCrl({ issuer: { cert: s.ca.cert, key: s.ca.key }, thisUpdate: new Date(), revoked: [{ serial: leaf.serialHex, revocationDate: new Date() }] }));
    const imp = await ra('POST', '/crls', { name: 'c', crlData: Buffer.from(crl).toString('base64'), trustAnchorArn: s.trustAnchorArn, enabled: false });
    assert.equal(imp.status, 201, imp.body);
    const crlId = imp.json().crl.crlId as string;
    assert.equal((await session({ identity: leaf })).status, 201, 'a disabled CRL is not enforced');
    assert.equal((await ra('POST', `/crl/${crlId}/enable`)).status, 200);
    const r = await session({ identity: leaf });
    assert.equal(r.status, 403, r.body);
    assert.equal(r.json().message, 'Certificate revoked');
    assert.equal((await ra('DELETE', `/crl/${crlId}`)).status, 200);
    assert.equal((await session({ identity: leaf })).status, 201);
  });

  test('fail/revoked: ImportCrl with enabled=true refuses at once', async () => {
    const leaf = s.leaf('myContainer');
    assert.equal((await session({ identity: leaf })).status, 201);
    const crl = toPem('X509 CRL', buildCrl({ issuer: { cert: s.ca.cert, key: s.ca.key }, thisUpdate: new Date(), revoked: [{ serial: leaf.serialHex, revocationDate: new Date() }] }));
    const imp = await ra('POST', '/crls', { name: 'c2', crlData: Buffer.from(crl).toString('base64'), trustAnchorArn: s.trustAnchorArn, enabled: true });
    assert.equal(imp.status, 201, imp.body);
    const r = await session({ identity: leaf });
    assert.equal(r.status, 403, r.body);
    assert.equal(failureReason(), 'revoked');
    assert.equal((await ra('DELETE', `/crl/${imp.json().crl.crlId}`)).status, 200);
  });

  test('fail/trust-policy-denied: UpdateAssumeRolePolicy to Deny refuses at once; restoring it accepts', async () => {
    const deny = await h.iam({ Action: 'UpdateAssumeRolePolicy', RoleName: 'bucket-lister', PolicyDocument: DENY_ALL });
    assert.equal(deny.status, 200, deny.body);
    const r = await session();
    assert.equal(r.status, 403, r.body);
    assert.equal(failureReason(), 'trust-policy-denied');
    const { WALKTHROUGH_TRUST_POLICY } = await import('@mooring/server');
    assert.equal((await h.iam({ Action: 'UpdateAssumeRolePolicy', RoleName: 'bucket-lister', PolicyDocument: WALKTHROUGH_TRUST_POLICY })).status, 200);
    assert.equal((await session()).status, 201);
  });

  test('ok/no-negative-cache: a role missing at one CreateSession is used as soon as it is created', async () => {
    const roleArn = s.roleArn.replace(/bucket-lister$/, 'created-later');
    const p = await ra('POST', '/profiles', { name: 'later', enabled: true, roleArns: [roleArn] });
    assert.equal(p.status, 201, p.body);
    const profileArn = p.json().profile.profileArn as string;
    assert.equal((await session({ profileArn, roleArn })).status, 403);
    assert.equal(failureReason(), 'role-not-found');
    const { WALKTHROUGH_TRUST_POLICY } = await import('@mooring/server');
    const created = await h.iam({ Action: 'CreateRole', RoleName: 'created-later', AssumeRolePolicyDocument: WALKTHROUGH_TRUST_POLICY });
    assert.equal(created.status, 200, created.body);
    const r = await session({ profileArn, roleArn });
    assert.equal(r.status, 201, r.body);
  });

  test('ok/control-plane: GetTrustAnchor and GetProfile read the database, not the cache', async () => {
    // Written behind every cache's back (no feed event, no store call), e.g. by an operator's SQL.
    const db = h.db;
    db.prepare(`UPDATE trust_anchors SET doc = json_set(doc, '$.name', 'renamed-in-db') WHERE id = ?`).run(s.trustAnchorId);
    db.prepare(`UPDATE profiles SET doc = json_set(doc, '$.name', 'renamed-in-db') WHERE id = ?`).run(s.profileId);
    assert.equal((await ra('GET', `/trustanchor/${s.trustAnchorId}`)).json().trustAnchor.name, 'renamed-in-db');
    assert.equal((await ra('GET', `/profile/${s.profileId}`)).json().profile.name, 'renamed-in-db');
  });
});
