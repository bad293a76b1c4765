// The 26 operations of @aws-sdk/client-rolesanywhere@3.332.0 (the only published version) through
// the SDK's real rest-json serializers/deserializers and error classes (issue 3 conformance).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Agent } from 'node:https';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { requireOrSkip } from '../../../../scripts/test-support.mjs';
import { startLiveServer, type LiveServer } from './live-server.js';

const require = createRequire(import.meta.url);
const installed = (() => {
  try {
    require.resolve('@aws-sdk/client-rolesanywhere');
    return true;
  } catch {
    return false;
  }
})();
const skip = requireOrSkip(installed, '@aws-sdk/client-rolesanywhere is not installed (devDependency)');

describe('control plane with @aws-sdk/client-rolesanywhere', { skip }, () => {
  let L: LiveServer;
  before(async () => {
    L = await startLiveServer();
  });
  after(() => L?.stop());

  test('ok/its 26 operations, pagination and the modelled error classes', async () => {
    const sdk = await import('@aws-sdk/client-rolesanywhere');
    // 3.332.0 predates plain-object request handlers: give it its own NodeHttpHandler.
    const { NodeHttpHandler } = require('@aws-sdk/node-http-handler') as { NodeHttpHandler: new (o: { httpsAgent: Agent }) => unknown };
    const client = (creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
      new sdk.RolesAnywhereClient({ region: 'us-east-1', endpoint: L.endpoint, credentials: creds, maxAttempts: 1, requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: L.h.server.caPem }) }) as never });
    const ra = client({ accessKeyId: L.h.server.admin.accessKeyId, secretAccessKey: L.h.server.admin.secretAccessKey });
    const sent = new Set<string>();
    const send = async <T>(cmd: { constructor: { name: string } }): Promise<T> => {
      sent.add(cmd.constructor.name);
      return (await ra.send(cmd as never)) as T;
    };
    const ta = (await send<any>(new sdk.CreateTrustAnchorCommand({ name: 'sdk ta', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: L.caPem } } }))).trustAnchor;
    assert.ok(ta.createdAt instanceof Date);
    const taId = { trustAnchorId: ta.trustAnchorId };
    await send(new sdk.GetTrustAnchorCommand(taId));
    await send(new sdk.UpdateTrustAnchorCommand({ ...taId, name: 'sdk ta 2' }));
    await send(new sdk.DisableTrustAnchorCommand(taId));
    await send(new sdk.EnableTrustAnchorCommand(taId));
    let count = 0;
    for await (const page of sdk.paginateListTrustAnchors({ client: ra, pageSize: 1 }, {})) count += page.trustAnchors?.length ?? 0;
    assert.ok(count >= 2);
    sent.add('ListTrustAnchorsCommand');
    const p = (await send<any>(new sdk.CreateProfileCommand({ name: 'sdk profile', roleArns: [L.roleArn] }))).profile;
    const pId = { profileId: p.profileId };
    await send(new sdk.GetProfileCommand(pId));
    await send(new sdk.ListProfilesCommand({}));
    await send(new sdk.UpdateProfileCommand({ ...pId, durationSeconds: 900 }));
    await send(new sdk.EnableProfileCommand(pId));
    await send(new sdk.DisableProfileCommand(pId));
    const data = readFileSync(L.crlFile);
    const crl = (await send<any>(new sdk.ImportCrlCommand({ name: 'sdk crl', crlData: data, trustAnchorArn: ta.trustAnchorArn }))).crl;
    assert.deepEqual(Buffer.from(crl.crlData), data);
    const cId = { crlId: crl.crlId };
    await send(new sdk.GetCrlCommand(cId));
    await send(new sdk.ListCrlsCommand({}));
    await send(new sdk.UpdateCrlCommand({ ...cId, name: 'sdk crl 2' }));
    await send(new sdk.EnableCrlCommand(cId));
    await send(new sdk.DisableCrlCommand(cId));
    await send(new sdk.ListSubjectsCommand({}));
    assert.equal((await send<any>(new sdk.GetSubjectCommand({ subjectId: L.subjectId }))).subject.x509Subject, 'CN=myContainer');
    await send(new sdk.TagResourceCommand({ resourceArn: crl.crlArn, tags: [{ key: 'k', value: 'v' }] }));
    assert.deepEqual((await send<any>(new sdk.ListTagsForResourceCommand({ resourceArn: crl.crlArn }))).tags, [{ key: 'k', value: 'v' }]);
    await send(new sdk.UntagResourceCommand({ resourceArn: crl.crlArn, tagKeys: ['k'] }));

    await assert.rejects(ra.send(new sdk.TagResourceCommand({ resourceArn: crl.crlArn, tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) })), (e: Error) => e instanceof sdk.TooManyTagsException && e.message === 'Too many tags.');
    await assert.rejects(ra.send(new sdk.GetCrlCommand({ crlId: '00000000-0000-4000-8000-000000000000' })), (e: Error) => e instanceof sdk.ResourceNotFoundException);
    await assert.rejects(ra.send(new sdk.CreateProfileCommand({ name: 'x', roleArns: ['nope'] })), (e: Error) => e instanceof sdk.ValidationException && /roleArns\.1\.member/.test(e.message));
    await assert.rejects(client(L.session).send(new sdk.ListCrlsCommand({})), (e: Error) => e instanceof sdk.AccessDeniedException);

    await send(new sdk.DeleteCrlCommand(cId));
    await send(new sdk.DeleteProfileCommand(pId));
    await send(new sdk.DeleteTrustAnchorCommand(taId));
    assert.equal(sent.size, 26);
  });
});
