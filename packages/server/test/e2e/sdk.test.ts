// The AWS SDK for JavaScript v3 against Mooring: fromRolesAnywhere() as the credential provider
// of a real STSClient, and the admin credential driving IAM through the SDK.
import assert from 'node:assert/strict';
import { Agent } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromRolesAnywhere } from '@mooring/client';
import { Harness, walkthroughSetup } from '../support/in-process.js';

describe('sdk', () => {
  const h = new Harness();
  let s: Awaited<ReturnType<typeof walkthroughSetup>>;
  let endpoint: string;

  before(async () => {
    await h.start();
    s = await walkthroughSetup(h);
    endpoint = (await h.server.app.listen({ host: '127.0.0.1', port: 0 })).replace('http://', 'https://');
  });
  after(() => h.stop());

  test('ok/STSClient with fromRolesAnywhere gets the assumed-role identity, with one CreateSession for two calls', async () => {
    const me = s.leaf('myContainer') as ReturnType<typeof s.leaf>;
    const credentials = fromRolesAnywhere({
      certificate: me.pem,
      privateKey: me.keyPem,
      trustAnchorArn: s.trustAnchorArn,
      profileArn: s.profileArn,
      roleArn: s.roleArn,
      endpoint,
      caBundle: h.server.caPem,
    });
    const sts = new STSClient({ region: 'us-east-1', endpoint, credentials, requestHandler: { httpsAgent: new Agent({ ca: h.server.caPem }) } });
    const before = h.auditEvents(1000).filter((e) => e.eventName === 'CreateSession').length;
    const a = await sts.send(new GetCallerIdentityCommand({}));
    const b = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(a.Arn, `arn:aws:sts::111122223333:assumed-role/bucket-lister/${me.serialHex}`);
    assert.equal(b.Arn, a.Arn);
    assert.equal(a.Account, '111122223333');
    const sessions = h.auditEvents(1000).filter((e) => e.eventName === 'CreateSession').length - before;
    assert.equal(sessions, 1, 'the provider caches credentials');
    sts.destroy();
  });

  test('fail/STSClient with a certificate the trust policy refuses surfaces AccessDeniedException', async () => {
    const other = s.leaf('someoneElse') as ReturnType<typeof s.leaf>;
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint,
      credentials: fromRolesAnywhere({ certificate: other.pem, privateKey: other.keyPem, trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn, endpoint, caBundle: h.server.caPem }),
      requestHandler: { httpsAgent: new Agent({ ca: h.server.caPem }) },
    });
    await assert.rejects(sts.send(new GetCallerIdentityCommand({})), (err: Error & { code?: string }) => {
      assert.match(`${err.name} ${err.code ?? ''} ${err.message}`, /AccessDeniedException/);
      return true;
    });
    sts.destroy();
  });
});
