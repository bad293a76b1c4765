// All 30 Roles Anywhere control-plane operations driven by the real AWS CLI v1 (issue 3
// conformance): botocore's rest-json serializer, SigV4 signer, blob encoding, auto-pagination and
// error parsing against the server on a real TLS socket. Groups run side by side (CLI start-up
// dominates).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commandWorks, requireOrSkip } from '../../../../scripts/test-support.mjs';
import { runAsync } from '../support/run.js';
import { startLiveServer, type LiveServer } from './live-server.js';

const skip = requireOrSkip(commandWorks('aws'), 'the AWS CLI (pip install awscli) is needed for the control-plane conformance test');

describe('control plane with the AWS CLI', { skip, concurrency: true }, () => {
  let L: LiveServer;
  before(async () => {
    L = await startLiveServer();
  });
  after(() => L?.stop());

  const raw = (args: string[], env: NodeJS.ProcessEnv = L.env) =>
    runAsync('aws', ['rolesanywhere', ...args, '--endpoint-url', L.endpoint, '--output', 'json'], { env, cwd: L.dir });
  const aws = async (...args: string[]) => {
    const r = await raw(args);
    assert.equal(r.status, 0, `aws rolesanywhere ${args.join(' ')}\n${r.stderr}`);
    return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, any>);
  };
  const fails = async (code: string, message: RegExp | undefined, args: string[], env?: NodeJS.ProcessEnv) => {
    const r = await raw(args, env);
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(r.stderr, new RegExp(`An error occurred \\(${code}\\) when calling the \\w+ operation`), r.stderr);
    if (message) assert.match(r.stderr, message);
  };

  test('ok/trust anchors, notification settings and CRLs', async () => {
    const source = JSON.stringify({ sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: L.caPem } });
    const ta = (await aws('create-trust-anchor', '--name', 'cli ta', '--source', source, '--enabled', '--tags', 'key=team,value=infra')).trustAnchor;
    assert.equal(ta.enabled, true);
    const id = ta.trustAnchorId as string;
    assert.equal((await aws('get-trust-anchor', '--trust-anchor-id', id)).trustAnchor.name, 'cli ta');
    assert.equal((await aws('update-trust-anchor', '--trust-anchor-id', id, '--name', 'renamed')).trustAnchor.name, 'renamed');
    assert.equal((await aws('disable-trust-anchor', '--trust-anchor-id', id)).trustAnchor.enabled, false);
    assert.equal((await aws('enable-trust-anchor', '--trust-anchor-id', id)).trustAnchor.enabled, true);
    const put = await aws('put-notification-settings', '--trust-anchor-id', id, '--notification-settings', 'enabled=true,event=CA_CERTIFICATE_EXPIRY,threshold=30');
    assert.deepEqual(put.trustAnchor.notificationSettings[0], { enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 30, channel: 'ALL', configuredBy: '111122223333' });
    const reset = await aws('reset-notification-settings', '--trust-anchor-id', id, '--notification-setting-keys', 'event=CA_CERTIFICATE_EXPIRY');
    assert.equal(reset.trustAnchor.notificationSettings[0].configuredBy, 'rolesanywhere.amazonaws.com');
    // Auto-pagination with one item per page walks every nextToken.
    const all = await aws('list-trust-anchors', '--page-size', '1');
    assert.ok(all.trustAnchors.length >= 2);
    const firstPage = await aws('list-trust-anchors', '--max-items', '1');
    assert.equal(firstPage.trustAnchors.length, 1);
    assert.ok(firstPage.NextToken);

    const crl = (await aws('import-crl', '--name', 'cli crl', '--crl-data', `fileb://${L.crlFile}`, '--trust-anchor-arn', ta.trustAnchorArn)).crl;
    assert.equal(crl.enabled, false);
    const cid = crl.crlId as string;
    assert.equal(Buffer.from((await aws('get-crl', '--crl-id', cid)).crl.crlData, 'base64').toString('utf8').split('\n')[0], '-----BEGIN X509 CRL-----');
    assert.ok((await aws('list-crls')).crls.some((c: { crlId: string }) => c.crlId === cid));
    assert.equal((await aws('update-crl', '--crl-id', cid, '--name', 'crl2')).crl.name, 'crl2');
    assert.equal((await aws('enable-crl', '--crl-id', cid)).crl.enabled, true);
    assert.equal((await aws('disable-crl', '--crl-id', cid)).crl.enabled, false);
    assert.equal((await aws('delete-crl', '--crl-id', cid)).crl.crlId, cid);
    await fails('ValidationException', /Invalid CRL/, ['import-crl', '--name', 'bad', '--crl-data', `fileb://${join(L.dir, 'ca.pem')}`, '--trust-anchor-arn', ta.trustAnchorArn]);
    assert.equal((await aws('delete-trust-anchor', '--trust-anchor-id', id)).trustAnchor.trustAnchorId, id);
  });

  test('ok/profiles and attribute mappings', async () => {
    const p = (await aws('create-profile', '--name', 'cli profile', '--role-arns', L.roleArn, '--enabled')).profile;
    const id = p.profileId as string;
    assert.equal((await aws('get-profile', '--profile-id', id)).profile.name, 'cli profile');
    assert.ok((await aws('list-profiles', '--page-size', '1')).profiles.some((x: { profileId: string }) => x.profileId === id));
    assert.equal((await aws('update-profile', '--profile-id', id, '--duration-seconds', '1800')).profile.durationSeconds, 1800);
    assert.equal((await aws('disable-profile', '--profile-id', id)).profile.enabled, false);
    assert.equal((await aws('enable-profile', '--profile-id', id)).profile.enabled, true);
    const put = await aws('put-attribute-mapping', '--profile-id', id, '--certificate-field', 'x509SAN', '--mapping-rules', 'specifier=Name', 'specifier=URI');
    assert.deepEqual(put.profile.attributeMappings[1], { certificateField: 'x509SAN', mappingRules: [{ specifier: 'Name/*' }, { specifier: 'URI' }] });
    const del = await aws('delete-attribute-mapping', '--profile-id', id, '--certificate-field', 'x509SAN', '--specifiers', 'URI');
    assert.deepEqual(del.profile.attributeMappings[1].mappingRules, [{ specifier: 'Name/*' }]);
    assert.equal((await aws('delete-profile', '--profile-id', id)).profile.profileId, id);
  });

  test('ok/subjects and tags; every error type', async () => {
    assert.ok((await aws('list-subjects')).subjects.some((x: { subjectId: string }) => x.subjectId === L.subjectId));
    const sub = (await aws('get-subject', '--subject-id', L.subjectId)).subject;
    assert.equal(sub.x509Subject, 'CN=myContainer');
    await aws('tag-resource', '--resource-arn', sub.subjectArn, '--tags', 'key=owner,value=ops');
    assert.deepEqual((await aws('list-tags-for-resource', '--resource-arn', sub.subjectArn)).tags, [{ key: 'owner', value: 'ops' }]);
    await aws('untag-resource', '--resource-arn', sub.subjectArn, '--tag-keys', 'owner');
    assert.deepEqual((await aws('list-tags-for-resource', '--resource-arn', sub.subjectArn)).tags, []);

    const tags = join(L.dir, 'tags.json');
    writeFileSync(tags, JSON.stringify(Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }))));
    await fails('TooManyTagsException', /Too many tags\./, ['tag-resource', '--resource-arn', sub.subjectArn, '--tags', `file://${tags}`]);
    await fails('ValidationException', /Value '50000' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200/, ['create-profile', '--name', 'x', '--role-arns', L.roleArn, '--duration-seconds', '50000']);
    await fails('ResourceNotFoundException', undefined, ['get-profile', '--profile-id', '00000000-0000-4000-8000-000000000000']);
    const sessionEnv = { ...L.env, AWS_ACCESS_KEY_ID: L.session.accessKeyId, AWS_SECRET_ACCESS_KEY: L.session.secretAccessKey, AWS_SESSION_TOKEN: L.session.sessionToken };
    await fails('AccessDeniedException', /is not authorized to perform: rolesanywhere:ListProfiles/, ['list-profiles'], sessionEnv);
  });
});
