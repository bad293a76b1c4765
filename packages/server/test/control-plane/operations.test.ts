// The control-plane operations added for issue 3 (attribute mappings, notification settings,
// tagging, CRLs, subjects, paging, bad input) through the real app (fastify inject).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildCrl, toPem } from '@mooring/pki';
import { SqliteSubjectStore } from '../../src/store/sqlite/sqlite-subject-store.js';
import { Harness, sessionRequest, walkthroughSetup, DAY, HOST } from '../support/in-process.js';

describe('control-plane operations', () => {
  const h = new Harness();
  let s: Awaited<ReturnType<typeof walkthroughSetup>>;

  before(async () => {
    await h.start();
    s = await walkthroughSetup(h);
  });
  after(() => h.stop());

  const ra = (method: string, path: string, body?: unknown, query = '') =>
    h.admin('rolesanywhere', method, path, body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body), query);
  const expectError = (r: Awaited<ReturnType<typeof ra>>, status: number, code: string, message?: string | RegExp) => {
    assert.equal(r.status, status, r.body);
    assert.equal(r.headers['x-amzn-errortype'], code);
    if (typeof message === 'string') assert.equal(r.json().message, message);
    else if (message) assert.match(r.json().message, message);
  };
  const crlData = (serials: string[] = []) =>
    Buffer.from(toPem('X509 CRL', buildCrl({ issuer: { cert: s.ca.cert, key: s.ca.key }, thisUpdate: new Date(Date.now() - DAY), nextUpdate: new Date(Date.now() + DAY), revoked: serials.map((serial) => ({ serial, revocationDate: new Date(Date.now() - DAY) })) })));

  test('ok/PutAttributeMapping replaces the field\'s rules and normalises Name and Name/ to Name/*', async () => {
    const r = await ra('PUT', `/profiles/${s.profileId}/mappings`, { certificateField: 'x509SAN', mappingRules: [{ specifier: 'Name' }, { specifier: 'Name/' }, { specifier: 'DNS' }] });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json().profile.attributeMappings, [
      { certificateField: 'x509Issuer', mappingRules: [{ specifier: '*' }] },
      { certificateField: 'x509SAN', mappingRules: [{ specifier: 'Name/*' }, { specifier: 'DNS' }] },
      { certificateField: 'x509Subject', mappingRules: [{ specifier: '*' }] },
    ]);
    const put = await ra('PUT', `/profiles/${s.profileId}/mappings`, { certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'OU' }] });
    assert.deepEqual(put.json().profile.attributeMappings[2], { certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'OU' }] });
  });

  test('ok/DeleteAttributeMapping removes the given specifiers, or the whole field without specifiers', async () => {
    const d = await ra('DELETE', `/profiles/${s.profileId}/mappings`, undefined, 'certificateField=x509Subject&specifiers=OU');
    assert.equal(d.status, 200, d.body);
    assert.deepEqual(d.json().profile.attributeMappings.find((m: { certificateField: string }) => m.certificateField === 'x509Subject'), { certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }] });
    const all = await ra('DELETE', `/profiles/${s.profileId}/mappings`, undefined, 'certificateField=x509Issuer');
    assert.deepEqual(all.json().profile.attributeMappings.map((m: { certificateField: string }) => m.certificateField), ['x509SAN', 'x509Subject']);
    expectError(await ra('DELETE', `/profiles/${s.profileId}/mappings`, undefined, 'certificateField=x509Bogus'), 400, 'ValidationException',
      "1 validation error detected: Value 'x509Bogus' at 'certificateField' failed to satisfy constraint: Member must satisfy enum value set: [x509Subject, x509Issuer, x509SAN]");
  });

  test('ok/custom attribute mappings filter the session tags the trust policy sees; packedPolicySize is reported', async () => {
    // Only x509Subject/CN is mapped now (previous tests), which the walkthrough trust policy needs.
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    await ra('PATCH', `/profile/${s.profileId}`, { sessionPolicy: policy });
    const me = s.leaf('myContainer');
    const ok = await h.send(await sessionRequest({ identity: me, trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn }));
    assert.equal(ok.status, 201, ok.body);
    assert.equal(ok.json().credentialSet[0].packedPolicySize, Math.ceil((policy.length / 2048) * 100));
    // Unmapping the CN removes the tag, so the trust policy's StringEquals on it no longer holds.
    await ra('PUT', `/profiles/${s.profileId}/mappings`, { certificateField: 'x509Subject', mappingRules: [{ specifier: 'OU' }] });
    const denied = await h.send(await sessionRequest({ identity: me, trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn }));
    expectError(denied, 403, 'AccessDeniedException', `Unable to assume role for ${s.roleArn}.`);
    await ra('PUT', `/profiles/${s.profileId}/mappings`, { certificateField: 'x509Subject', mappingRules: [{ specifier: '*' }] });
  });

  test('ok/subjects record instance properties and failed attempts after the chain check', async () => {
    const me = s.leaf('myContainer');
    const r = await h.send(await sessionRequest({ identity: me, trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn, body: { instanceProperties: { host: 'ci-7', os: 'linux' } } }));
    assert.equal(r.status, 201, r.body);
    const subjectId = (r.json().subjectArn as string).split('/').pop()!;
    // A refused attempt (role not in the profile) after a valid chain is recorded as failed.
    const bad = await h.send(await sessionRequest({ identity: me, trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: 'arn:aws:iam::111122223333:role/nope', body: { instanceProperties: { host: 'ci-8' } } }));
    assert.equal(bad.status, 403);
    const sub = (await ra('GET', `/subject/${subjectId}`)).json().subject;
    assert.equal(sub.x509Subject, 'CN=myContainer');
    assert.deepEqual(sub.instanceProperties.map((p: { properties: unknown; failed: boolean }) => [p.properties, p.failed]).slice(0, 2), [[{ host: 'ci-8' }, true], [{ host: 'ci-7', os: 'linux' }, false]]);
    assert.equal(sub.credentials[0].serialNumber, me.serialHex);
    assert.equal(sub.credentials[0].failed, true);
    const oversized = await h.send(await sessionRequest({ identity: me, trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn, body: { instanceProperties: { k: 'x'.repeat(201) } } }));
    expectError(oversized, 400, 'ValidationException', /at 'instanceProperties\.k\.value' failed to satisfy constraint: Member must have length less than or equal to 200/);
  });

  test('ok/PutNotificationSettings upserts by (event, channel); ResetNotificationSettings restores the defaults', async () => {
    const put = await ra('PATCH', '/put-notifications-settings', { trustAnchorId: s.trustAnchorId, notificationSettings: [{ enabled: false, event: 'END_ENTITY_CERTIFICATE_EXPIRY' }, { enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 10, channel: 'ALL' }] });
    assert.equal(put.status, 200, put.body);
    assert.deepEqual(put.json().trustAnchor.notificationSettings, [
      { enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 10, channel: 'ALL', configuredBy: '111122223333' },
      { enabled: false, event: 'END_ENTITY_CERTIFICATE_EXPIRY', threshold: 45, channel: 'ALL', configuredBy: '111122223333' },
    ]);
    const reset = await ra('PATCH', '/reset-notifications-settings', { trustAnchorId: s.trustAnchorId, notificationSettingKeys: [{ event: 'CA_CERTIFICATE_EXPIRY' }] });
    assert.deepEqual(reset.json().trustAnchor.notificationSettings[0], { enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 45, channel: 'ALL', configuredBy: 'rolesanywhere.amazonaws.com' });
    assert.equal(reset.json().trustAnchor.notificationSettings[1].configuredBy, '111122223333');
    expectError(await ra('PATCH', '/put-notifications-settings', { trustAnchorId: s.trustAnchorId, notificationSettings: [{ enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 361 }] }), 400, 'ValidationException',
      "1 validation error detected: Value '361' at 'notificationSettings.1.member.threshold' failed to satisfy constraint: Member must have value less than or equal to 360");
    expectError(await ra('PATCH', '/reset-notifications-settings', { trustAnchorId: '00000000-0000-4000-8000-000000000000', notificationSettingKeys: [] }), 404, 'ResourceNotFoundException');
  });

  test('fail/tag keys starting with aws: are reserved (ValidationException), on TagResource and on create', async () => {
    const tagged = await ra('POST', '/TagResource', { resourceArn: s.profileArn, tags: [{ key: 'aws:cloudformation:stack-name', value: 'x' }] });
    expectError(tagged, 400, 'ValidationException', "Tag keys starting with 'aws:' are reserved for internal use.");
    const created = await ra('POST', '/profiles', { name: 'reserved', roleArns: [s.roleArn], tags: [{ key: 'AWS:x', value: 'v' }] });
    expectError(created, 400, 'ValidationException', "Tag keys starting with 'aws:' are reserved for internal use.");
  });

  test('ok/tags on trust anchors, profiles, CRLs and subjects; TooManyTagsException past 50', async () => {
    const crl = (await ra('POST', '/crls', { name: 'tags', crlData: crlData().toString('base64'), trustAnchorArn: s.trustAnchorArn, tags: [{ key: 'a', value: '1' }] })).json().crl;
    const subjects = (await ra('GET', '/subjects')).json().subjects;
    for (const arn of [s.trustAnchorArn, s.profileArn, crl.crlArn, subjects[0].subjectArn]) {
      const t = await ra('POST', '/TagResource', { resourceArn: arn, tags: [{ key: 'team', value: 'infra' }, { key: 'env', value: '' }] });
      assert.equal(t.status, 201, t.body);
      assert.equal(t.body, '');
      const l = await ra('GET', '/ListTagsForResource', undefined, `resourceArn=${encodeURIComponent(arn)}`);
      assert.deepEqual(l.json().tags.filter((x: { key: string }) => x.key !== 'a'), [{ key: 'team', value: 'infra' }, { key: 'env', value: '' }]);
      const u = await ra('POST', '/UntagResource', { resourceArn: arn, tagKeys: ['team'] });
      assert.equal(u.status, 200);
      assert.deepEqual((await ra('GET', '/ListTagsForResource', undefined, `resourceArn=${encodeURIComponent(arn)}`)).json().tags.map((x: { key: string }) => x.key).filter((k: string) => k !== 'a'), ['env']);
    }
    const many = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expectError(await ra('POST', '/TagResource', { resourceArn: s.profileArn, tags: many }), 400, 'TooManyTagsException', 'Too many tags.');
    expectError(await ra('POST', '/TagResource', { resourceArn: s.profileArn.replace(/[0-9a-f]{8}-/, '00000000-'), tags: [] }), 404, 'ResourceNotFoundException');
    expectError(await ra('POST', '/TagResource', { resourceArn: 'arn:aws:s3:::bucket', tags: [] }), 400, 'ValidationException');
    // Tag values are sensitive: never echoed in a validation message.
    const bad = await ra('POST', '/TagResource', { resourceArn: s.profileArn, tags: [{ key: 'k', value: 'sec ret!' }] });
    expectError(bad, 400, 'ValidationException', "1 validation error detected: Value at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [ a-zA-Z0-9_.:/=+@-]*");
    await ra('DELETE', `/crl/${crl.crlId}`);
  });

  test('ok/CRL lifecycle: disabled by default, exact bytes echoed (PEM and DER), update, quota of 2 per anchor', async () => {
    const pem = crlData(['0a']);
    const der = buildCrl({ issuer: { cert: s.ca.cert, key: s.ca.key }, thisUpdate: new Date(), revoked: [] });
    const a = await ra('POST', '/crls', { name: 'pem', crlData: pem.toString('base64'), trustAnchorArn: s.trustAnchorArn });
    assert.equal(a.status, 201, a.body);
    const crl = a.json().crl;
    assert.equal(crl.enabled, false);
    assert.equal(crl.crlData, pem.toString('base64'));
    assert.match(crl.crlArn, new RegExp(`^arn:aws:rolesanywhere:us-east-1:111122223333:crl/${crl.crlId}$`));
    const b = await ra('POST', '/crls', { name: 'der', crlData: der.toString('base64'), trustAnchorArn: s.trustAnchorArn, enabled: true });
    assert.equal(b.json().crl.crlData, der.toString('base64'));
    expectError(await ra('POST', '/crls', { name: 'third', crlData: der.toString('base64'), trustAnchorArn: s.trustAnchorArn }), 400, 'ValidationException', /at most 2 CRLs per trust anchor/);
    const u = await ra('PATCH', `/crl/${crl.crlId}`, { name: 'renamed' });
    assert.equal(u.json().crl.name, 'renamed');
    assert.equal(u.json().crl.crlData, pem.toString('base64'));
    assert.equal((await ra('GET', `/crl/${crl.crlId}`)).json().crl.name, 'renamed');
    assert.equal((await ra('POST', `/crl/${crl.crlId}/enable`)).json().crl.enabled, true);
    const gone = await ra('DELETE', `/crl/${crl.crlId}`);
    assert.equal(gone.json().crl.crlId, crl.crlId);
    expectError(await ra('GET', `/crl/${crl.crlId}`), 404, 'ResourceNotFoundException');
    await ra('DELETE', `/crl/${b.json().crl.crlId}`);
    const big = Buffer.alloc(300_001, 0x41);
    expectError(await ra('POST', '/crls', { name: 'big', crlData: big.toString('base64'), trustAnchorArn: s.trustAnchorArn }), 400, 'ValidationException',
      "1 validation error detected: Value '<300001 bytes>' at 'crlData' failed to satisfy constraint: Member must have length less than or equal to 300000");
    expectError(await ra('POST', '/crls', { name: 'x', crlData: pem.toString('base64'), trustAnchorArn: s.trustAnchorArn.replace(/[0-9a-f]{8}-/, '00000000-') }), 404, 'ResourceNotFoundException');
  });

  test('ok/lists page over thousands of resources with an opaque nextToken; pageSize defaults to 50 and is capped at 500', async () => {
    const store = new SqliteSubjectStore(h.db);
    const before = (await ra('GET', '/subjects', undefined, 'pageSize=500')).json().subjects.length;
    for (let i = 0; i < 2500; i++) {
      await store.recordAttempt({
        x509Subject: `CN=bulk-${i}`,
        newSubject: () => ({ subjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, subjectArn: `arn:aws:rolesanywhere:us-east-1:111122223333:subject/00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }),
        credential: { seenAt: new Date(), serialNumber: '01', issuer: 'CN=x', enabled: true, x509CertificateData: '', failed: false },
        now: new Date(),
        keep: 10,
      });
    }
    const first = (await ra('GET', '/subjects')).json();
    assert.equal(first.subjects.length, 50);
    assert.ok(first.nextToken);
    const seen = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await ra('GET', '/subjects', undefined, `pageSize=1000${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`);
      assert.equal(r.status, 200, r.body);
      const out = r.json();
      assert.ok(out.subjects.length <= 500);
      for (const x of out.subjects) seen.add(x.subjectId);
      token = out.nextToken;
      pages++;
    } while (token);
    assert.equal(seen.size, before + 2500);
    assert.equal(pages, Math.ceil((before + 2500) / 500));
    expectError(await ra('GET', '/subjects', undefined, 'nextToken=garbage!'), 400, 'ValidationException');
    expectError(await ra('GET', '/profiles', undefined, 'pageSize=abc'), 400, 'ValidationException', "1 validation error detected: Value 'abc' at 'pageSize' failed to satisfy constraint: Member must be an integer");
  });

  test('fail/bad input: Coral messages from the model, unknown members ignored, wrong content type, truncated JSON, duplicate names allowed', async () => {
    expectError(await ra('POST', '/profiles', { name: 'bad name!', roleArns: ['nope'], durationSeconds: 50000 }), 400, 'ValidationException',
      "3 validation errors detected: Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [ a-zA-Z0-9-_]*; " +
      "Value 'nope' at 'roleArns.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws(-[^:]+)?:iam(:.*){2}(:role.*); " +
      "Value '50000' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200");
    expectError(await ra('POST', '/trustanchors', { name: 'x' }), 400, 'ValidationException', "1 validation error detected: Value 'null' at 'source' failed to satisfy constraint: Member must not be null");
    expectError(await ra('GET', '/profile/not-a-uuid'), 400, 'ValidationException', /at 'profileId' failed to satisfy constraint: Member must have length greater than or equal to 36/);
    const dup1 = await ra('POST', '/profiles', { name: 'same', roleArns: [s.roleArn], somethingNew: { nested: true } });
    const dup2 = await ra('POST', '/profiles', { name: 'same', roleArns: [s.roleArn] });
    assert.equal(dup1.status, 201, dup1.body);
    assert.equal(dup2.status, 201);
    assert.notEqual(dup1.json().profile.profileId, dup2.json().profile.profileId);
    expectError(await ra('POST', '/profiles', '{"name": "trunc", "roleArns": ['), 400, 'ValidationException', 'Request body is not valid JSON');
    // Wrong content type, signed like any other request.
    const { signHmacRequest } = await import('@mooring/protocol');
    const signed = signHmacRequest(
      { method: 'POST', path: '/profiles', query: '', headers: { host: HOST, 'content-type': 'text/plain' }, body: '{"name":"x","roleArns":[]}' },
      { accessKeyId: h.server.admin.accessKeyId, secretAccessKey: h.server.admin.secretAccessKey },
      { region: 'us-east-1', service: 'rolesanywhere', date: new Date() },
    );
    expectError(await h.send(signed), 400, 'ValidationException', /^Unsupported content type: text\/plain/);
    expectError(await ra('GET', '/nope'), 404, 'UnknownOperationException');
  });
});
