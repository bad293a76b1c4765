// Certificates issued by `mooring pki` get credentials from a real CreateSession (the composed app via
// inject()), with the CA from `init-ca` as the trust anchor bundle: root-issued, intermediate-issued
// (chain in X-Amz-X509-Chain), and a SPIFFE URI matched by an x509SAN/URI trust-policy condition.
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Harness, sessionRequest } from '../support/in-process.js';
import type { Identity } from '../support/in-process.js';
import { pki, readCerts, tempDir } from './helpers.js';

function trustPolicy(condition: Record<string, string>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
      Condition: { StringEquals: condition },
    }],
  });
}

async function setup(h: Harness, name: string, bundlePem: string, condition: Record<string, string>) {
  const role = await h.iam({ Action: 'CreateRole', RoleName: name, AssumeRolePolicyDocument: trustPolicy(condition) });
  assert.equal(role.status, 200, role.body);
  const roleArn = /<Arn>([^<]+)<\/Arn>/.exec(role.body)![1]!;
  const ta = await h.admin('rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name, enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: bundlePem } } }));
  assert.equal(ta.status, 201, ta.body);
  const profile = await h.admin('rolesanywhere', 'POST', '/profiles', JSON.stringify({ name, enabled: true, roleArns: [roleArn] }));
  assert.equal(profile.status, 201, profile.body);
  return { roleArn, trustAnchorArn: ta.json().trustAnchor.trustAnchorArn as string, profileArn: profile.json().profile.profileArn as string };
}

function identity(prefix: string): { id: Identity; chain: Buffer[] } {
  const [leaf, ...rest] = readCerts(`${prefix}-fullchain.pem`);
  return {
    id: { der: leaf!.der, key: createPrivateKey(readFileSync(`${prefix}-key.pem`)), serialHex: leaf!.serialHex, serialDecimal: leaf!.serialDecimal },
    chain: rest.map((c) => c.der),
  };
}

describe('CreateSession with mooring pki certificates', () => {
  const h = new Harness();
  let tmp: string;
  before(async () => {
    await h.start();
  });
  after(() => h.stop());

  test('ok/root CA from init-ca as trust anchor, RSA leaf from issue: 201 with the serial as session name', async (t) => {
    tmp = tempDir(t);
    const ca = join(tmp, 'ca');
    assert.equal((await pki(['init-ca', '--dir', ca, '--cn', 'myPrivateCA', '--key', 'rsa2048'])).code, 0);
    assert.equal((await pki(['issue', '--dir', ca, '--cn', 'myContainer', '--key', 'rsa2048', '--out', join(tmp, 'my')])).code, 0);
    const s = await setup(h, 'root-issued', readFileSync(join(ca, 'ca-cert.pem'), 'utf8'), { 'aws:PrincipalTag/x509Subject/CN': 'myContainer' });
    const { id } = identity(join(tmp, 'my'));
    const r = await h.send(await sessionRequest({ identity: id, ...s }));
    assert.equal(r.status, 201, r.body);
    const set = r.json().credentialSet[0];
    assert.match(set.credentials.accessKeyId, /^ASIA/);
    assert.equal(set.assumedRoleUser.arn, `arn:aws:sts::111122223333:assumed-role/root-issued/${id.serialHex}`);
    assert.equal(set.sourceIdentity, 'CN=myContainer');
  });

  test('ok/intermediate-issued SPIFFE leaf: chain from fullchain, x509SAN/URI condition matches', async (t) => {
    tmp = tempDir(t);
    const ca = join(tmp, 'ca');
    assert.equal((await pki(['init-ca', '--dir', ca, '--intermediate'])).code, 0);
    const spiffe = 'spiffe://example.org/ns/prod/sa/web';
    assert.equal((await pki(['issue', '--dir', ca, '--cn', 'web', '--ou', 'prod', '--uri', spiffe, '--out', join(tmp, 'web')])).code, 0);
    assert.equal((await pki(['issue', '--dir', ca, '--cn', 'web', '--uri', 'spiffe://example.org/ns/dev/sa/web', '--out', join(tmp, 'dev')])).code, 0);
    const s = await setup(h, 'spiffe-web', readFileSync(join(ca, 'ca-cert.pem'), 'utf8'), { 'aws:PrincipalTag/x509SAN/URI': spiffe, 'aws:PrincipalTag/x509Subject/OU': 'prod' });

    const web = identity(join(tmp, 'web'));
    assert.equal(web.chain.length, 1);
    const ok = await h.send(await sessionRequest({ identity: web.id, chain: web.chain, ...s }));
    assert.equal(ok.status, 201, ok.body);
    assert.equal(ok.json().credentialSet[0].assumedRoleUser.arn, `arn:aws:sts::111122223333:assumed-role/spiffe-web/${web.id.serialHex}`);

    // Without the intermediate the path does not reach the root trust anchor.
    const noChain = await h.send(await sessionRequest({ identity: web.id, ...s }));
    assert.equal(noChain.status, 403, noChain.body);
    // Another SPIFFE ID from the same CA is trusted but the role's condition refuses it.
    const dev = identity(join(tmp, 'dev'));
    const denied = await h.send(await sessionRequest({ identity: dev.id, chain: dev.chain, ...s }));
    assert.equal(denied.status, 403, denied.body);
    assert.equal(denied.headers['x-amzn-errortype'], 'AccessDeniedException');
  });

  test('ok/revoke + crl + ImportCrl: the revoked leaf is refused, the others still get credentials', async (t) => {
    tmp = tempDir(t);
    const ca = join(tmp, 'ca');
    assert.equal((await pki(['init-ca', '--dir', ca, '--intermediate'])).code, 0);
    assert.equal((await pki(['issue', '--dir', ca, '--cn', 'myContainer', '--out', join(tmp, 'a')])).code, 0);
    assert.equal((await pki(['issue', '--dir', ca, '--cn', 'myContainer', '--out', join(tmp, 'b')])).code, 0);
    // ca-bundle.pem (root + intermediate): ImportCrl verifies the intermediate's CRL against it.
    const s = await setup(h, 'revocation', readFileSync(join(ca, 'ca-bundle.pem'), 'utf8'), { 'aws:PrincipalTag/x509Subject/CN': 'myContainer' });
    const a = identity(join(tmp, 'a'));
    const b = identity(join(tmp, 'b'));
    assert.equal((await pki(['revoke', '--dir', ca, '--serial', a.id.serialHex, '--reason', 'keyCompromise'])).code, 0);
    assert.equal((await pki(['crl', '--dir', ca, '--out', join(tmp, 'crl.pem')])).code, 0);
    // `aws rolesanywhere import-crl --crl-data fileb://crl.pem` sends the file's bytes base64-encoded.
    const imported = await h.admin('rolesanywhere', 'POST', '/crls', JSON.stringify({
      name: 'pki-crl', enabled: true, trustAnchorArn: s.trustAnchorArn, crlData: readFileSync(join(tmp, 'crl.pem')).toString('base64'),
    }));
    assert.equal(imported.status, 201, imported.body);
    // With the intermediate in the bundle, no chain is needed.
    const before = await h.send(await sessionRequest({ identity: b.id, ...s }));
    assert.equal(before.status, 201, before.body);
    const refused = await h.send(await sessionRequest({ identity: a.id, chain: a.chain, ...s }));
    assert.equal(refused.status, 403, refused.body);
    assert.equal(refused.json().message, 'Certificate revoked');
    const fine = await h.send(await sessionRequest({ identity: b.id, chain: b.chain, ...s }));
    assert.equal(fine.status, 201, fine.body);
  });
});
