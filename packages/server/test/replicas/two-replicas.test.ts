// Issue [scale] item 2–3: two replicas on one PostgreSQL schema behave as one service.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildCrl, toPem } from '@mooring/pki';
import { signHmacRequest } from '@mooring/protocol';
import { verifyAuditChain } from '../../src/core/audit/verify-audit-chain.js';
import type { Change } from '../../src/store/postgres/change-feed.js';
import { HOST, sessionRequest, walkthroughSetup } from '../support/in-process.js';
import { dropSchema, newSchemaName, postgresSkip } from '../store-contract/backends.js';
import { startReplica, type Replica } from './replica.js';

const skip = await postgresSkip();

describe('two replicas on one database', { skip }, () => {
  const schema = newSchemaName();
  let a: Replica;
  let b: Replica;
  let fx: Awaited<ReturnType<typeof walkthroughSetup>>;

  before(async () => {
    a = await startReplica({ schema });
    // The second replica starts from a copy of the first one's data dir (token keys, TLS).
    b = await startReplica({ schema, copyDataDirFrom: a.dataDir });
    fx = await walkthroughSetup(a.h);
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await dropSchema(schema);
  });

  test('ok/the copied data dir shares the bootstrap admin (from the database)', () => {
    assert.equal(b.admin.accessKeyId, a.admin.accessKeyId);
  });

  test('ok/a resource created through one replica is used at once by CreateSession on the other', async () => {
    const r = await b.h.send(await sessionRequest({ identity: fx.leaf('myContainer'), trustAnchorArn: fx.trustAnchorArn, profileArn: fx.profileArn, roleArn: fx.roleArn }));
    assert.equal(r.status, 201, r.body);
  });

  test('ok/credentials minted by one replica are accepted by GetCallerIdentity on the other', async () => {
    const r = await a.h.send(await sessionRequest({ identity: fx.leaf('myContainer'), trustAnchorArn: fx.trustAnchorArn, profileArn: fx.profileArn, roleArn: fx.roleArn }));
    assert.equal(r.status, 201, r.body);
    const creds = r.json().credentialSet[0].credentials;
    const call = signHmacRequest(
      { method: 'POST', path: '/', query: '', headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' },
      { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
      { region: 'us-east-1', service: 'sts', date: new Date() },
    );
    const id = await b.h.send(call);
    assert.equal(id.status, 200, id.body);
    assert.match(id.body, /assumed-role\/bucket-lister\//);
  });

  test('ok/CRL enable on one replica blocks CreateSession on the other within 1 s, and is announced', async () => {
    const leaf = fx.leaf('myContainer');
    const heard: Change[] = [];
    const off = b.stores.changes.subscribe((c) => heard.push(c));
    try {
      const crl = toPem('X509 CRL', buildCrl({ issuer: { cert: fx.ca.cert, key: fx.ca.key }, thisUpdate: new Date(), revoked: [{ serial: leaf.serialHex, revocationDate: new Date() }] }));
      const imp = await a.h.admin('rolesanywhere', 'POST', '/crls', JSON.stringify({ name: 'c', crlData: Buffer.from(crl).toString('base64'), trustAnchorArn: fx.trustAnchorArn }));
      assert.equal(imp.status, 201, imp.body);
      const crlId = imp.json().crl.crlId as string;
      const before = await b.h.send(await sessionRequest({ identity: leaf, trustAnchorArn: fx.trustAnchorArn, profileArn: fx.profileArn, roleArn: fx.roleArn }));
      assert.equal(before.status, 201, 'an imported CRL is not enforced until enabled');
      const enabledAt = Date.now();
      assert.equal((await a.h.admin('rolesanywhere', 'POST', `/crl/${crlId}/enable`)).status, 200);
      let status = 0;
      while (Date.now() - enabledAt < 1000) {
        const r = await b.h.send(await sessionRequest({ identity: leaf, trustAnchorArn: fx.trustAnchorArn, profileArn: fx.profileArn, roleArn: fx.roleArn }));
        status = r.status;
        if (status === 403) {
          assert.match(r.body, /revoked/i);
          break;
        }
      }
      assert.equal(status, 403, 'refused on the other replica within one second');
      while (!heard.some((c) => c.kind === 'crl' && c.id === crlId) && Date.now() - enabledAt < 1000) await new Promise((r) => setTimeout(r, 10));
      assert.ok(heard.some((c) => c.kind === 'crl' && c.id === crlId), 'replica B heard the CRL change');
      assert.equal((await a.h.admin('rolesanywhere', 'POST', `/crl/${crlId}/disable`)).status, 200);
      const again = await b.h.send(await sessionRequest({ identity: leaf, trustAnchorArn: fx.trustAnchorArn, profileArn: fx.profileArn, roleArn: fx.roleArn }));
      assert.equal(again.status, 201, 'disable takes effect on the other replica too');
    } finally {
      off();
    }
  });

  test('ok/profile disable on one replica refuses CreateSession on the other', async () => {
    assert.equal((await b.h.admin('rolesanywhere', 'POST', `/profile/${fx.profileId}/disable`)).status, 200);
    const r = await a.h.send(await sessionRequest({ identity: fx.leaf('myContainer'), trustAnchorArn: fx.trustAnchorArn, profileArn: fx.profileArn, roleArn: fx.roleArn }));
    assert.equal(r.status, 403, r.body);
    assert.equal((await b.h.admin('rolesanywhere', 'POST', `/profile/${fx.profileId}/enable`)).status, 200);
  });

  test('ok/concurrent updates of one trust anchor through two replicas lose nothing', async () => {
    for (let i = 0; i < 5; i++) {
      const [u, t] = await Promise.all([
        a.h.admin('rolesanywhere', 'PATCH', `/trustanchor/${fx.trustAnchorId}`, JSON.stringify({ trustAnchorId: fx.trustAnchorId, name: `name-${i}` })),
        b.h.admin('rolesanywhere', 'POST', '/TagResource', JSON.stringify({ resourceArn: fx.trustAnchorArn, tags: [{ key: `k${i}`, value: 'v' }] })),
      ]);
      assert.equal(u.status, 200, u.body);
      assert.ok(t.status === 200 || t.status === 201, t.body);
    }
    const got = await b.h.admin('rolesanywhere', 'GET', `/trustanchor/${fx.trustAnchorId}`);
    assert.equal(got.json().trustAnchor.name, 'name-4');
    const tags = await a.h.admin('rolesanywhere', 'GET', '/ListTagsForResource', '', `resourceArn=${encodeURIComponent(fx.trustAnchorArn)}`);
    assert.deepEqual((tags.json().tags as Array<{ key: string }>).map((x) => x.key).sort(), ['k0', 'k1', 'k2', 'k3', 'k4']);
  });

  test('ok/both replicas write one unbroken audit chain', async () => {
    await a.stores.auditSink.flush();
    await b.stores.auditSink.flush();
    const verdict = await verifyAuditChain(a.stores.audit);
    assert.equal(verdict.ok, true, JSON.stringify(verdict));
    const page = await a.stores.audit.query({ eventName: 'CreateSession', limit: 1000 });
    assert.ok(page !== 'bad-token' && page.records.length >= 5);
  });
});
