import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../src/index.js';
import { rewriteCredentialsFile } from '../src/update/credentials-file.js';
import { goTimeString, runUpdateLoop } from '../src/update/update-loop.js';
import { withFileLock } from '../src/update/atomic-write.js';
import { captureIo } from './support/capture-io.js';
import { makePki, opensslSkip, type TestPki } from './support/pki.js';
import { CREDENTIALS, startServer, type TestServer } from './support/server.js';

const C = { accessKeyId: 'accessKeyId', secretAccessKey: 'secretAccessKey', sessionToken: 'sessionToken' };
/** The official test compares after dropping the file's last character (`trimLastChar`). */
const trimLast = (s: string) => s.slice(0, -1);

// The six golden cases of the official helper's TestUpdate (aws_signing_helper/signer_test.go).
const GOLDEN: Array<{ name: string; input: string; profile: string; expected: string }> = [
  {
    name: 'test-space-separated-keys',
    input: 'test\ntest\ntest\n[test profile]\naws_access_key_id = test\n[test]\naws_secret_access_key = test',
    profile: 'test profile',
    expected: 'test\ntest\ntest\n[test profile]\naws_access_key_id = accessKeyId\naws_secret_access_key = secretAccessKey\naws_session_token = sessionToken\n[test]\naws_secret_access_key = test',
  },
  {
    name: 'test-profile-with-other-keys',
    input: 'test\ntest\ntest\n[test profile]\naws_access_key_id = test\ntest_key = test\n[test]\naws_secret_access_key = test',
    profile: 'test profile',
    expected: 'test\ntest\ntest\n[test profile]\naws_access_key_id = accessKeyId\ntest_key = test\naws_secret_access_key = secretAccessKey\naws_session_token = sessionToken\n[test]\naws_secret_access_key = test',
  },
  {
    name: 'test-commented-profile',
    input: 'test\ntest\ntest\n# [test profile]\naws_access_key_id = test\n[test]\naws_secret_access_key = test',
    profile: 'test profile',
    expected: 'test\ntest\ntest\n# [test profile]\naws_access_key_id = test\n[test]\naws_secret_access_key = test\n[test profile]\naws_access_key_id = accessKeyId\naws_secret_access_key = secretAccessKey\naws_session_token = sessionToken\n',
  },
  {
    name: 'test-profile-does-not-exist',
    input: 'test\ntest\ntest\n[test]\naws_secret_access_key = test',
    profile: 'test profile',
    expected: 'test\ntest\ntest\n[test]\naws_secret_access_key = test\n[test profile]\naws_access_key_id = accessKeyId\naws_secret_access_key = secretAccessKey\naws_session_token = sessionToken\n',
  },
  {
    name: 'test-first-word-in-profile-matches',
    input: 'test\ntest\ntest\n[test profile]\naws_access_key_id = test\n[test]\naws_secret_access_key = test',
    profile: 'test',
    expected: 'test\ntest\ntest\n[test profile]\naws_access_key_id = test\n[test]\naws_access_key_id = accessKeyId\naws_secret_access_key = secretAccessKey\naws_session_token = sessionToken',
  },
  {
    name: 'test-multiple-profiles-with-same-name',
    input: 'test\ntest\ntest\n[test]\ntest_key = test\n[test profile]\naws_access_key_id = test\n[test]\naws_secret_access_key = test',
    profile: 'test',
    expected: 'test\ntest\ntest\n[test]\ntest_key = test\naws_access_key_id = accessKeyId\naws_secret_access_key = secretAccessKey\naws_session_token = sessionToken\n[test profile]\naws_access_key_id = test\n[test]\naws_secret_access_key = test',
  },
];

describe('credentials file rewrite', () => {
  for (const g of GOLDEN) {
    test(`ok/golden ${g.name}`, () => {
      assert.equal(trimLast(rewriteCredentialsFile(g.input, g.profile, C)), g.expected);
    });
  }

  test('ok/official bug fixed: the last line of a section at the end of the file is kept', () => {
    const out = rewriteCredentialsFile('[p]\naws_access_key_id = old\nregion = eu-west-1\n', 'p', C);
    assert.equal(out, '[p]\naws_access_key_id = accessKeyId\nregion = eu-west-1\naws_secret_access_key = secretAccessKey\naws_session_token = sessionToken\n');
  });

  test('ok/official bug fixed: a header on the last line is filled, not duplicated', () => {
    const out = rewriteCredentialsFile('[other]\nx = 1\n[p]', 'p', C);
    assert.equal(out, '[other]\nx = 1\n[p]\naws_access_key_id = accessKeyId\naws_secret_access_key = secretAccessKey\naws_session_token = sessionToken\n');
    assert.equal(out.match(/\[p\]/g)?.length, 1);
  });

  test('ok/empty file, CRLF kept, comments and idempotence', () => {
    assert.equal(rewriteCredentialsFile('', 'default', C), '[default]\naws_access_key_id = accessKeyId\naws_secret_access_key = secretAccessKey\naws_session_token = sessionToken\n\n');
    const crlf = rewriteCredentialsFile('; note\r\n[p]\r\naws_session_token = t\r\n[q]\r\n', 'p', C);
    assert.equal(crlf, '; note\r\n[p]\r\naws_session_token = sessionToken\r\naws_access_key_id = accessKeyId\r\naws_secret_access_key = secretAccessKey\r\n[q]\r\n');
    const once = rewriteCredentialsFile('# c\n[a]\nk = v\n', 'p', C);
    assert.equal(rewriteCredentialsFile(once, 'p', C), once);
  });

  test('ok/a key merely starting with an owned name is not replaced', () => {
    const out = rewriteCredentialsFile('[p]\naws_session_token_note = keep\n[q]\n', 'p', C);
    assert.match(out, /aws_session_token_note = keep\n/);
  });
});

describe('update loop', () => {
  test('ok/a failure is retried instead of exiting, then it refreshes before expiry', async () => {
    let calls = 0;
    const writes: string[] = [];
    const logs: string[] = [];
    const controller = new AbortController();
    await runUpdateLoop({
      fetch: async () => {
        calls++;
        if (calls === 1) throw new Error('AccessDeniedException: flaky');
        // Expires 5 min + 150 ms from now: the next refresh is due at once (1 s floor).
        return { ...CREDENTIALS, accessKeyId: `A${calls}`, expiration: new Date(Date.now() + 300_150).toISOString(), raw: {} };
      },
      write: async (c) => {
        writes.push(c.accessKeyId);
        if (writes.length === 2) controller.abort();
      },
      once: false,
      signal: controller.signal,
      log: (l) => logs.push(l),
      describe: (e) => (e as Error).message,
      minRetryMs: 20,
    });
    assert.deepEqual(writes, ['A2', 'A3']);
    assert.match(logs[0] ?? '', /^AccessDeniedException: flaky; retrying in 0 s$/);
    assert.match(logs[1] ?? '', /^Credentials will be refreshed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC$/);
  });

  test('fail/--once: the error is the result', async () => {
    await assert.rejects(
      runUpdateLoop({ fetch: async () => Promise.reject(new Error('boom')), write: async () => {}, once: true, log: () => {}, describe: String }),
      /boom/,
    );
  });

  test('ok/the lock serialises concurrent writers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-lock-'));
    const file = join(dir, 'f');
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((n) =>
        withFileLock(file, async () => {
          order.push(`${n}+`);
          await new Promise((r) => setTimeout(r, 30));
          order.push(`${n}-`);
        }),
      ),
    );
    for (let i = 0; i < order.length; i += 2) assert.equal(order[i]?.[0], order[i + 1]?.[0], order.join(' '));
    assert.ok(!existsSync(`${file}.lock`));
  });
});

describe('mooring-helper update', { skip: opensslSkip }, () => {
  let pki: TestPki;
  let ra: TestServer;
  before(async () => {
    if (opensslSkip) return;
    pki = makePki();
    ra = await startServer();
  });
  after(() => ra?.close());
  const args = (profile: string) => [
    'update', '--once', '--profile', profile,
    '--certificate', pki.rsaCert, '--private-key', pki.rsaKeyPkcs8,
    '--trust-anchor-arn', 'arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/t',
    '--profile-arn', 'arn:aws:rolesanywhere:us-east-1:000000000000:profile/p',
    '--role-arn', 'arn:aws:iam::000000000000:role/R', '--endpoint', ra.url,
  ];

  test('ok/--once creates the directory 0700 and the file 0600, with the profile', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mooring-home-'));
    const io = captureIo({ HOME: home });
    assert.equal(await main(args('default'), io), 0, io.err());
    const file = join(home, '.aws', 'credentials');
    assert.equal(statSync(join(home, '.aws')).mode & 0o777, 0o700);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(
      readFileSync(file, 'utf8'),
      `[default]\naws_access_key_id = ${CREDENTIALS.accessKeyId}\naws_secret_access_key = ${CREDENTIALS.secretAccessKey}\naws_session_token = ${CREDENTIALS.sessionToken}\n\n`,
    );
    assert.equal(io.out(), '');
    assert.ok(!io.err().includes(CREDENTIALS.secretAccessKey));
  });

  test('ok/AWS_SHARED_CREDENTIALS_FILE: other sections and comments kept, concurrent updates both land', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-cred-'));
    const real = join(dir, 'real-credentials');
    writeFileSync(real, '# managed by hand\n[keep]\naws_access_key_id = AKIAKEEP\nregion = x\n', { mode: 0o644 });
    const link = join(dir, 'credentials');
    symlinkSync(real, link);
    const env = { AWS_SHARED_CREDENTIALS_FILE: link };
    const codes = await Promise.all(['one', 'two', 'three'].map((p) => main(args(p), captureIo(env))));
    assert.deepEqual(codes, [0, 0, 0]);
    const text = readFileSync(real, 'utf8');
    assert.ok(text.startsWith('# managed by hand\n[keep]\naws_access_key_id = AKIAKEEP\nregion = x\n'), text);
    for (const p of ['one', 'two', 'three']) assert.match(text, new RegExp(`\\[${p}\\]\\naws_access_key_id = ${CREDENTIALS.accessKeyId}\\n`));
    assert.equal(statSync(real).mode & 0o777, 0o600);
    assert.ok(statSync(link, { throwIfNoEntry: true }) && readdirSync(dir).sort().join(',') === 'credentials,real-credentials', readdirSync(dir).join(','));
  });

  test('fail/--once with a CreateSession error exits 1 and leaves the file alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-cred-'));
    const file = join(dir, 'credentials');
    writeFileSync(file, '[x]\n');
    ra.replies.push({ status: 403, headers: { 'x-amzn-ErrorType': 'AccessDeniedException' }, body: '{"message":"Untrusted signing certificate"}' });
    const io = captureIo({ AWS_SHARED_CREDENTIALS_FILE: file });
    assert.equal(await main(args('default'), io), 1);
    assert.match(io.err(), /^operation error RolesAnywhere: CreateSession, https response error StatusCode: 403, RequestID: [^,]*, AccessDeniedException: Untrusted signing certificate\n$/);
    assert.equal(readFileSync(file, 'utf8'), '[x]\n');
  });
});

test('ok/goTimeString prints Go\'s time.String() of a UTC time', () => {
  assert.equal(goTimeString(Date.parse('2026-11-22T22:14:41Z')), '2026-11-22 22:14:41 +0000 UTC');
  assert.equal(goTimeString(Date.parse('2026-11-22T22:14:41.120Z')), '2026-11-22 22:14:41.12 +0000 UTC');
});
