import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionClaims } from '../../src/core/sts/session-claims.js';
import { SessionTokenCodec } from '../../src/core/sts/session-token.js';
import { generateTokenKey, parseTokenKeySet, serializeTokenKeySet } from '../../src/core/sts/token-keys.js';
import { seededRandom } from '../iam/fixtures.js';

const claims: SessionClaims = {
  accessKeyId: 'ASIAAAAAAAAAAAAAAAAA',
  secretAccessKey: 's'.repeat(40),
  accountId: '123456789012',
  roleArn: 'arn:aws:iam::123456789012:role/r',
  roleId: 'AROAAAAAAAAAAAAAAAAAA',
  roleName: 'r',
  sessionName: 'sess',
  sourceIdentity: 'CN=client',
  tags: [{ key: 'k', value: 'v' }],
  issuedAt: 1_700_000_000,
  expiresAt: 1_700_003_600,
  certificateSerial: '0a1b',
  managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
};

function codecWith(random = seededRandom('codec')) {
  const k1 = generateTokenKey(random);
  const k2 = generateTokenKey(random);
  return { k1, k2, codec: new SessionTokenCodec({ keys: [k1, k2], currentKid: k1.kid, random }) };
}

test('ok/session-token: seal then open returns the claims; token is base64 and opaque', () => {
  const { codec } = codecWith();
  const token = codec.seal(claims);
  assert.match(token, /^[A-Za-z0-9+/]+={0,2}$/);
  assert.ok(!token.includes(claims.secretAccessKey));
  assert.ok(!Buffer.from(token, 'base64').includes(Buffer.from(claims.secretAccessKey)));
  assert.deepEqual(codec.open(token), { ok: true, claims });
});

test('ok/session-token: fresh IV per seal', () => {
  const { codec } = codecWith();
  assert.notEqual(codec.seal(claims), codec.seal(claims));
});

test('ok/session-token: rotation — tokens of an old current key still open', () => {
  const random = seededRandom('rot');
  const { k1, k2, codec: before } = codecWith(random);
  const old = before.seal(claims);
  const after = new SessionTokenCodec({ keys: [k1, k2], currentKid: k2.kid, random });
  assert.equal(after.open(old).ok, true);
  const fresh = after.seal(claims);
  assert.equal(Buffer.from(fresh, 'base64').subarray(2, 10).toString('latin1'), k2.kid);
  // A replica that has not yet learnt k2 reports unknown-key, not tampering.
  const stale = new SessionTokenCodec({ keys: [k1], currentKid: k1.kid, random });
  assert.deepEqual(stale.open(fresh), { ok: false, reason: 'unknown-key' });
});

test('fail/session-token: any flipped bit is tampered', () => {
  const { codec } = codecWith();
  const bytes = Buffer.from(codec.seal(claims), 'base64');
  // version/kid-length are structure, kid maps to another key: test IV, ciphertext and tag bytes.
  for (const i of [10, 15, 30, bytes.length - 20, bytes.length - 1]) {
    const copy = Buffer.from(bytes);
    copy[i] = (copy[i] as number) ^ 1;
    assert.deepEqual(codec.open(copy.toString('base64')), { ok: false, reason: 'tampered' }, `byte ${i}`);
  }
});

test('fail/session-token: kid swapped to another known key is tampered (kid is AAD)', () => {
  const { k2, codec } = codecWith();
  const bytes = Buffer.from(codec.seal(claims), 'base64');
  Buffer.from(k2.kid, 'latin1').copy(bytes, 2);
  assert.deepEqual(codec.open(bytes.toString('base64')), { ok: false, reason: 'tampered' });
});

test('fail/session-token: malformed inputs', () => {
  const { codec } = codecWith();
  const good = Buffer.from(codec.seal(claims), 'base64');
  const v2 = Buffer.from(good);
  v2[0] = 2;
  for (const bad of ['', 'not base64!', 'AAAA', good.subarray(0, 20).toString('base64'), v2.toString('base64'), 'A'.repeat(70000)]) {
    assert.deepEqual(codec.open(bad), { ok: false, reason: 'malformed' });
  }
  const unknownKid = Buffer.from(good);
  Buffer.from('ffffffff', 'latin1').copy(unknownKid, 2);
  assert.deepEqual(codec.open(unknownKid.toString('base64')), { ok: false, reason: 'unknown-key' });
});

test('fail/session-token: bad key set rejected at construction', () => {
  const random = seededRandom();
  const k = generateTokenKey(random);
  assert.throws(() => new SessionTokenCodec({ keys: [k], currentKid: 'deadbeef', random }), /not in the key set/);
  assert.throws(() => new SessionTokenCodec({ keys: [{ kid: k.kid, key: Buffer.alloc(16) }], currentKid: k.kid, random }), /32 bytes/);
  assert.throws(() => new SessionTokenCodec({ keys: [k, k], currentKid: k.kid, random }), /duplicate/);
});

test('ok/token-keys: generate, serialise, parse round trip', () => {
  const random = seededRandom('keys');
  const a = generateTokenKey(random);
  const b = generateTokenKey(random);
  assert.match(a.kid, /^[0-9a-f]{8}$/);
  assert.equal(a.key.length, 32);
  const text = serializeTokenKeySet({ current: b.kid, keys: [a, b] });
  const parsed = parseTokenKeySet(text);
  assert.ok(parsed.ok);
  assert.equal(parsed.value.current, b.kid);
  assert.deepEqual(parsed.value.keys.map((k) => [k.kid, k.key.toString('hex')]), [[a.kid, a.key.toString('hex')], [b.kid, b.key.toString('hex')]]);
});

test('fail/token-keys: parse reports the problem', () => {
  const k = { kid: '0011aabb', key: Buffer.alloc(32, 7).toString('base64') };
  const cases: Array<[string, string]> = [
    ['{', 'not-json'],
    ['[]', 'bad-shape'],
    [JSON.stringify({ current: 'x', keys: [] }), 'bad-shape'],
    [JSON.stringify({ current: k.kid, keys: [{ ...k, kid: 'XYZ' }] }), 'bad-kid'],
    [JSON.stringify({ current: k.kid, keys: [{ ...k, key: Buffer.alloc(31).toString('base64') }] }), 'bad-key'],
    [JSON.stringify({ current: k.kid, keys: [k, k] }), 'duplicate-kid'],
    [JSON.stringify({ current: 'ffffffff', keys: [k] }), 'unknown-current'],
  ];
  for (const [text, reason] of cases) assert.deepEqual(parseTokenKeySet(text), { ok: false, reason });
});
