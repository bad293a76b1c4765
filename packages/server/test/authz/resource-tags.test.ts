// aws:ResourceTag/<key> and aws:TagKeys in control-plane authorisation (Service Authorization
// Reference; service-spec Appendix C): a guardrail on a resource tag must hold, and one on the
// keys UntagResource removes too.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signHmacRequest } from '@mooring/protocol';
import { HOST, sessionRequest, walkthroughSuite } from '../support/in-process.js';

describe('resource-tags', () => {
  const { h, setup, me } = walkthroughSuite();
  let creds: { accessKeyId: string; secretAccessKey: string; sessionToken: string };

  const asSession = (method: string, path: string, body = '', query = '') =>
    h.send(signHmacRequest({ method, path, query, headers: { host: HOST, ...(body ? { 'content-type': 'application/json' } : {}) }, body }, creds, { region: 'us-east-1', service: 'rolesanywhere', date: new Date() }));

  async function anchor(tags: Array<{ key: string; value: string }>): Promise<{ id: string; arn: string }> {
    const r = await h.admin('rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name: 'tagged', tags, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: setup().ca.pem } } }));
    assert.equal(r.status, 201, r.body);
    return { id: r.json().trustAnchor.trustAnchorId, arn: r.json().trustAnchor.trustAnchorArn };
  }

  test('ok/session credentials under a policy with tag guardrails', async () => {
    const s = setup();
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'rolesanywhere:*', Resource: '*' },
        { Effect: 'Deny', Action: ['rolesanywhere:DeleteTrustAnchor', 'rolesanywhere:UntagResource', 'rolesanywhere:DisableTrustAnchor'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/protected': 'true' } } },
        { Effect: 'Deny', Action: 'rolesanywhere:UntagResource', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['owner'] } } },
        { Effect: 'Deny', Action: 'rolesanywhere:GetTrustAnchor', Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceTag/team': 'infra' } } },
      ],
    };
    const roleName = s.roleArn.split('/').pop()!;
    assert.equal((await h.iam({ Action: 'PutRolePolicy', RoleName: roleName, PolicyName: 'tags', PolicyDocument: JSON.stringify(policy) })).status, 200);
    const r = await h.send(await sessionRequest({ identity: me(), trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn }));
    assert.equal(r.status, 201, r.body);
    creds = r.json().credentialSet[0].credentials;
  });

  test('fail/a Deny on aws:ResourceTag protects the tagged trust anchor from DeleteTrustAnchor and DisableTrustAnchor', async () => {
    const protectedTa = await anchor([{ key: 'protected', value: 'true' }, { key: 'team', value: 'infra' }]);
    const del = await asSession('DELETE', `/trustanchor/${protectedTa.id}`);
    assert.equal(del.status, 403, del.body);
    assert.equal(del.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.match(del.json().message, /is not authorized to perform: rolesanywhere:DeleteTrustAnchor on resource: arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor\//);
    assert.equal((await asSession('POST', `/trustanchor/${protectedTa.id}/disable`)).status, 403);
    assert.equal((await h.admin('rolesanywhere', 'GET', `/trustanchor/${protectedTa.id}`)).status, 200, 'still there');
    const plain = await anchor([{ key: 'protected', value: 'false' }]);
    assert.equal((await asSession('DELETE', `/trustanchor/${plain.id}`)).status, 200);
  });

  test('fail/UntagResource cannot remove the guardrail tag, nor a key that aws:TagKeys denies', async () => {
    const protectedTa = await anchor([{ key: 'protected', value: 'true' }]);
    const untag = await asSession('POST', '/UntagResource', JSON.stringify({ resourceArn: protectedTa.arn, tagKeys: ['protected'] }));
    assert.equal(untag.status, 403, untag.body);
    const plain = await anchor([{ key: 'owner', value: 'me' }, { key: 'note', value: 'x' }]);
    assert.equal((await asSession('POST', '/UntagResource', JSON.stringify({ resourceArn: plain.arn, tagKeys: ['owner'] }))).status, 403);
    assert.equal((await asSession('POST', '/UntagResource', JSON.stringify({ resourceArn: plain.arn, tagKeys: ['note'] }))).status, 200);
    const left = await h.admin('rolesanywhere', 'GET', '/ListTagsForResource', '', `resourceArn=${encodeURIComponent(plain.arn)}`);
    assert.deepEqual(left.json().tags, [{ key: 'owner', value: 'me' }]);
  });

  test('ok/a condition on aws:ResourceTag sees the resource tags; unknown resources still answer 404', async () => {
    const infra = await anchor([{ key: 'team', value: 'infra' }]);
    const other = await anchor([{ key: 'team', value: 'web' }]);
    assert.equal((await asSession('GET', `/trustanchor/${infra.id}`)).status, 200);
    assert.equal((await asSession('GET', `/trustanchor/${other.id}`)).status, 403);
    // No resource, no tags: StringNotEquals on the missing key holds, so the Deny applies.
    assert.equal((await asSession('GET', '/trustanchor/00000000-0000-4000-8000-000000000000')).status, 403);
    assert.equal((await h.admin('rolesanywhere', 'GET', '/trustanchor/00000000-0000-4000-8000-000000000000')).status, 404);
  });
});
