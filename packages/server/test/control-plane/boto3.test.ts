// All 30 Roles Anywhere control-plane operations driven by boto3 (issue 3 conformance): one
// python3 process, credentials and CA bundle from the environment, the modelled exception classes.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commandWorks, requireOrSkip } from '../../../../scripts/test-support.mjs';
import { runAsync } from '../support/run.js';
import { startLiveServer, type LiveServer } from './live-server.js';

const skip = requireOrSkip(commandWorks('python3', ['-c', 'import boto3']), 'boto3 (pip install boto3) is needed for the control-plane conformance test');

const SCRIPT = String.raw`
import json, os, sys, boto3
ep, role_arn, subject_id, ca_pem, crl_file = sys.argv[1:6]
ra = boto3.client('rolesanywhere', endpoint_url=ep)
out = {'ops': []}
def op(_op, **kw):
    out['ops'].append(_op)
    return getattr(ra, _op)(**kw)
src = {'sourceType': 'CERTIFICATE_BUNDLE', 'sourceData': {'x509CertificateData': ca_pem}}
ta = op('create_trust_anchor', name='boto ta', source=src, enabled=True)['trustAnchor']
tid = ta['trustAnchorId']
op('get_trust_anchor', trustAnchorId=tid)
op('update_trust_anchor', trustAnchorId=tid, name='boto ta 2')
op('disable_trust_anchor', trustAnchorId=tid)
op('enable_trust_anchor', trustAnchorId=tid)
out['put'] = op('put_notification_settings', trustAnchorId=tid, notificationSettings=[{'enabled': False, 'event': 'END_ENTITY_CERTIFICATE_EXPIRY'}])['trustAnchor']['notificationSettings'][1]
out['reset'] = op('reset_notification_settings', trustAnchorId=tid, notificationSettingKeys=[{'event': 'END_ENTITY_CERTIFICATE_EXPIRY', 'channel': 'ALL'}])['trustAnchor']['notificationSettings'][1]['configuredBy']
op('list_trust_anchors')
# The paginator has no limit key (model), so page by hand with pageSize=1 through every nextToken.
seen, kw = [], {'pageSize': 1}
while True:
    page = ra.list_trust_anchors(**kw)
    seen += page['trustAnchors']
    if 'nextToken' not in page: break
    kw['nextToken'] = page['nextToken']
out['paged'] = [len(seen), len(ra.get_paginator('list_trust_anchors').paginate().build_full_result()['trustAnchors'])]
p = op('create_profile', name='boto profile', roleArns=[role_arn], durationSeconds=1200)['profile']
pid = p['profileId']
out['createdAt'] = type(p['createdAt']).__name__
op('get_profile', profileId=pid)
op('list_profiles')
op('update_profile', profileId=pid, acceptRoleSessionName=True)
op('enable_profile', profileId=pid)
op('disable_profile', profileId=pid)
op('put_attribute_mapping', profileId=pid, certificateField='x509Issuer', mappingRules=[{'specifier': 'CN'}])
out['mappings'] = op('delete_attribute_mapping', profileId=pid, certificateField='x509Issuer')['profile']['attributeMappings']
data = open(crl_file, 'rb').read()
c = op('import_crl', name='boto crl', crlData=data, trustAnchorArn=ta['trustAnchorArn'], tags=[{'key': 'a', 'value': 'b'}])['crl']
out['echo'] = c['crlData'] == data
op('get_crl', crlId=c['crlId'])
op('list_crls')
op('update_crl', crlId=c['crlId'], crlData=data)
op('enable_crl', crlId=c['crlId'])
op('disable_crl', crlId=c['crlId'])
op('list_subjects')
out['subject'] = op('get_subject', subjectId=subject_id)['subject']['x509Subject']
op('tag_resource', resourceArn=c['crlArn'], tags=[{'key': 'x', 'value': 'y'}])
out['tags'] = op('list_tags_for_resource', resourceArn=c['crlArn'])['tags']
op('untag_resource', resourceArn=c['crlArn'], tagKeys=['a', 'x'])
errors = {}
def expect(code, fn, **kw):
    try:
        fn(**kw)
        errors[code] = 'no error'
    except getattr(ra.exceptions, code) as e:
        errors[code] = [e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']]
expect('TooManyTagsException', ra.tag_resource, resourceArn=c['crlArn'], tags=[{'key': 'k%d' % i, 'value': 'v'} for i in range(51)])
expect('ValidationException', ra.import_crl, name='bad', crlData=b'garbage', trustAnchorArn=ta['trustAnchorArn'])
expect('ResourceNotFoundException', ra.get_crl, crlId='00000000-0000-4000-8000-000000000000')
denied = boto3.client('rolesanywhere', endpoint_url=ep, aws_access_key_id=os.environ['S_AK'], aws_secret_access_key=os.environ['S_SK'], aws_session_token=os.environ['S_ST'])
try:
    denied.list_crls()
except denied.exceptions.AccessDeniedException as e:
    errors['AccessDeniedException'] = [e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']]
out['errors'] = errors
op('delete_crl', crlId=c['crlId'])
op('delete_profile', profileId=pid)
op('delete_trust_anchor', trustAnchorId=tid)
print(json.dumps(out))
`;

describe('control plane with boto3', { skip }, () => {
  let L: LiveServer;
  before(async () => {
    L = await startLiveServer();
  });
  after(() => L?.stop());

  test('ok/all 30 operations, pagination and every error type', async () => {
    const script = join(L.dir, 'drive.py');
    writeFileSync(script, SCRIPT);
    const env = { ...L.env, S_AK: L.session.accessKeyId, S_SK: L.session.secretAccessKey, S_ST: L.session.sessionToken };
    const r = await runAsync('python3', [script, L.endpoint, L.roleArn, L.subjectId, L.caPem, L.crlFile], { env, cwd: L.dir });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(new Set(out.ops).size, 30);
    assert.deepEqual(out.put, { enabled: false, event: 'END_ENTITY_CERTIFICATE_EXPIRY', threshold: 45, channel: 'ALL', configuredBy: '111122223333' });
    assert.equal(out.reset, 'rolesanywhere.amazonaws.com');
    assert.ok(out.paged[0] >= 2);
    assert.equal(out.paged[0], out.paged[1]);
    assert.equal(out.createdAt, 'datetime');
    assert.deepEqual(out.mappings.map((m: { certificateField: string }) => m.certificateField), ['x509SAN', 'x509Subject']);
    assert.equal(out.echo, true);
    assert.equal(out.subject, 'CN=myContainer');
    assert.deepEqual(out.tags, [{ key: 'a', value: 'b' }, { key: 'x', value: 'y' }]);
    assert.deepEqual(out.errors.TooManyTagsException, [400, 'Too many tags.']);
    assert.equal(out.errors.ValidationException[0], 400);
    assert.match(out.errors.ValidationException[1], /^Invalid CRL/);
    assert.equal(out.errors.ResourceNotFoundException[0], 404);
    assert.equal(out.errors.AccessDeniedException[0], 403);
  });
});
