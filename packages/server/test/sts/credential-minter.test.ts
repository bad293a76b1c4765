import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mintSessionCredentials } from '../../src/core/sts/credential-minter.js';
import { SessionTokenCodec } from '../../src/core/sts/session-token.js';
import { generateTokenKey } from '../../src/core/sts/token-keys.js';
import { T0, TRUST_POLICY, config, newRoleService, seededRandom } from '../iam/fixtures.js';

test('ok/mint: ASIA key, 40-char secret, expiration, assumed-role identity, sealed claims', async () => {
  const { service } = newRoleService();
  const role = await service.createRole({ roleName: 'ci', assumeRolePolicyDocument: TRUST_POLICY });
  const random = seededRandom('mint');
  const key = generateTokenKey(random);
  const codec = new SessionTokenCodec({ keys: [key], currentKid: key.kid, random });
  const creds = mintSessionCredentials(
    {
      role,
      sessionName: '1a2b',
      sourceIdentity: 'CN=agent',
      tags: [{ key: 'x509Subject/CN', value: 'agent' }],
      durationSeconds: 900,
      now: T0,
      trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/ta',
      certificateSerial: '1a2b',
    },
    { codec, random, config },
  );
  assert.match(creds.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.match(creds.secretAccessKey, /^[A-Za-z0-9+/]{40}$/);
  assert.equal(creds.expiration.toISOString(), '2025-03-01T12:15:00.000Z');
  assert.deepEqual(creds.assumedRoleUser, {
    arn: 'arn:aws:sts::123456789012:assumed-role/ci/1a2b',
    assumedRoleId: `${role.roleId}:1a2b`,
  });
  const opened = codec.open(creds.sessionToken);
  assert.ok(opened.ok);
  assert.equal(opened.claims.accessKeyId, creds.accessKeyId);
  assert.equal(opened.claims.secretAccessKey, creds.secretAccessKey);
  assert.equal(opened.claims.roleArn, role.arn);
  assert.equal(opened.claims.expiresAt - opened.claims.issuedAt, 900);
  assert.equal(opened.claims.sourceIdentity, 'CN=agent');
  assert.equal(opened.claims.trustAnchorArn, 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/ta');
  assert.equal(opened.claims.profileArn, undefined);
  // Two mints never share key ids.
  const again = mintSessionCredentials({ role, sessionName: 's', tags: [], durationSeconds: 900, now: T0 }, { codec, random, config });
  assert.notEqual(again.accessKeyId, creds.accessKeyId);
});

test('fail/mint: non-positive duration is a programming error', async () => {
  const { service } = newRoleService();
  const role = await service.createRole({ roleName: 'ci', assumeRolePolicyDocument: TRUST_POLICY });
  const random = seededRandom();
  const key = generateTokenKey(random);
  const codec = new SessionTokenCodec({ keys: [key], currentKid: key.kid, random });
  assert.throws(() => mintSessionCredentials({ role, sessionName: 's', tags: [], durationSeconds: 0, now: T0 }, { codec, random, config }), RangeError);
});
