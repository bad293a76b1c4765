import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataDirPaths, ensureDataDir, loadAdminCredential, loadTokenKeys, updateTokenKeyFile } from '../../src/app/data-dir.js';
import { systemRandom } from '../../src/core/ports/random.js';
import { SessionTokenCodec } from '../../src/core/sts/session-token.js';
import {
  activateTokenKey, generateTokenKey, parseTokenKeySet, pruneTokenKeys, RETIRED_KEY_RETENTION_SECONDS, rotateTokenKeys, serializeTokenKeySet, stageTokenKey,
  type TokenKeySet,
} from '../../src/core/sts/token-keys.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const later = (s: number) => new Date(NOW.getTime() + s * 1000);

function initial(): TokenKeySet {
  const k = generateTokenKey(systemRandom, NOW);
  return { current: k.kid, keys: [k] };
}

const claims: Parameters<SessionTokenCodec['seal']>[0] = {
  accessKeyId: 'ASIAABCDEFGHIJKLMNOP', secretAccessKey: 's'.repeat(40), accountId: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/r',
  roleId: 'AROAABCDEFGHIJKLMNOPQ', roleName: 'r', sessionName: '01', tags: [], issuedAt: 1, expiresAt: 2,
};

test('ok/rotate: a new current key; the old one still opens its tokens, then is pruned after the retention', () => {
  const s0 = initial();
  const oldCodec = SessionTokenCodec.fromKeySet(s0, systemRandom);
  const oldToken = oldCodec.seal(claims);
  const s1 = rotateTokenKeys(s0, systemRandom, later(60));
  assert.notEqual(s1.current, s0.current);
  assert.equal(s1.keys.length, 2);
  assert.deepEqual(s1.keys.find((k) => k.kid === s0.current)?.retiredAt, later(60));
  const newCodec = SessionTokenCodec.fromKeySet(s1, systemRandom);
  assert.equal(newCodec.open(oldToken).ok, true, 'tokens sealed before the rotation keep verifying');
  assert.equal(oldCodec.open(newCodec.seal(claims)).ok, false, 'a replica without the new key cannot open new tokens');
  const s2 = pruneTokenKeys(s1, later(60 + RETIRED_KEY_RETENTION_SECONDS - 1));
  assert.equal(s2.keys.length, 2, 'kept while its tokens may be live');
  const s3 = rotateTokenKeys(s1, systemRandom, later(60 + RETIRED_KEY_RETENTION_SECONDS + 1));
  assert.ok(!s3.keys.some((k) => k.kid === s0.current), 'dropped once every token it sealed has expired');
  assert.equal(s3.keys.length, 2);
  assert.equal(s0.keys.length, 1, 'input not mutated');
});

test('ok/stage then activate: every replica can open new tokens before any replica seals with the new key', () => {
  const s0 = initial();
  const staged = stageTokenKey(s0, systemRandom, NOW);
  assert.equal(staged.current, s0.current);
  const newKid = staged.keys.find((k) => k.kid !== s0.current)!.kid;
  const stagedCodec = SessionTokenCodec.fromKeySet(staged, systemRandom); // phase 1 everywhere
  const active = activateTokenKey(staged, newKid, later(10)); // phase 2 on the first replica
  const token = SessionTokenCodec.fromKeySet(active, systemRandom).seal(claims);
  assert.equal(stagedCodec.open(token).ok, true);
  assert.throws(() => activateTokenKey(staged, 'deadbeef', NOW), /not in the key set/);
});

test('ok/key sets with dates survive serialisation; old files without dates still parse', () => {
  const s1 = rotateTokenKeys(initial(), systemRandom, NOW);
  const back = parseTokenKeySet(serializeTokenKeySet(s1));
  assert.ok(back.ok);
  if (back.ok) assert.deepEqual(back.value, s1);
  const legacy = JSON.stringify({ current: 'aabbccdd', keys: [{ kid: 'aabbccdd', key: Buffer.alloc(32, 1).toString('base64') }] });
  assert.ok(parseTokenKeySet(legacy).ok);
  const bad = JSON.stringify({ current: 'aabbccdd', keys: [{ kid: 'aabbccdd', key: Buffer.alloc(32, 1).toString('base64'), retiredAt: 'yesterday' }] });
  assert.deepEqual(parseTokenKeySet(bad), { ok: false, reason: 'bad-date' });
});

test('ok/MOORING_TOKEN_KEYS (JSON or file:) wins over the data dir; errors never show key material', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-keys-'));
  try {
    ensureDataDir(dir);
    const set = initial();
    const json = serializeTokenKeySet(set);
    assert.deepEqual(loadTokenKeys(dir, systemRandom, { MOORING_TOKEN_KEYS: json }), { set, source: 'env' });
    const file = join(dir, 'shared-keys.json');
    writeFileSync(file, json, { mode: 0o600 });
    assert.equal(loadTokenKeys(dir, systemRandom, { MOORING_TOKEN_KEYS: `file:${file}` }).set.current, set.current);
    const fromDir = loadTokenKeys(dir, systemRandom, {});
    assert.equal(fromDir.source, 'data-dir');
    assert.equal(loadTokenKeys(dir, systemRandom, {}).set.current, fromDir.set.current, 'created once, then reused');
    const secret = set.keys[0]!.key.toString('base64');
    assert.throws(
      () => loadTokenKeys(dir, systemRandom, { MOORING_TOKEN_KEYS: json.replace(`"${set.current}"`, '"zz"') }),
      (e: Error) => /MOORING_TOKEN_KEYS is invalid/.test(e.message) && !e.message.includes(secret),
    );
    assert.throws(() => loadTokenKeys(dir, systemRandom, { MOORING_TOKEN_KEYS: `file:${join(dir, 'nope')}` }), /cannot read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ok/updateTokenKeyFile rotates the data dir key file in place, mode 0600', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-keys-'));
  try {
    ensureDataDir(dir);
    const first = loadTokenKeys(dir, systemRandom, {}).set;
    const path = dataDirPaths(dir).tokenKeys;
    const next = updateTokenKeyFile(path, (s) => rotateTokenKeys(s, systemRandom, NOW));
    assert.notEqual(next.current, first.current);
    assert.equal(loadTokenKeys(dir, systemRandom, {}).set.current, next.current);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.ok(readFileSync(path, 'utf8').includes(first.current), 'the old key stays for verification');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ok/MOORING_ADMIN_CREDENTIALS: ID:SECRET, shared-credentials text, file:; fail/malformed without echoing the secret', () => {
  const id = 'AKIAABCDEFGHIJKLMNOP';
  const secret = 'a'.repeat(39) + '/';
  assert.deepEqual(loadAdminCredential({ MOORING_ADMIN_CREDENTIALS: `${id}:${secret}` }), { accessKeyId: id, secretAccessKey: secret });
  const ini = `[other]\naws_access_key_id = AKIAZZZZZZZZZZZZZZZZ\naws_secret_access_key = ${'b'.repeat(40)}\n[mooring-admin]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`;
  assert.equal(loadAdminCredential({ MOORING_ADMIN_CREDENTIALS: ini })?.accessKeyId, id);
  const dir = mkdtempSync(join(tmpdir(), 'mooring-admin-'));
  try {
    writeFileSync(join(dir, 'creds'), ini);
    assert.equal(loadAdminCredential({ MOORING_ADMIN_CREDENTIALS: `file:${join(dir, 'creds')}` })?.secretAccessKey, secret);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(loadAdminCredential({}), undefined);
  assert.throws(() => loadAdminCredential({ MOORING_ADMIN_CREDENTIALS: `${id}:short-secret` }), (e: Error) => !e.message.includes('short-secret'));
});
