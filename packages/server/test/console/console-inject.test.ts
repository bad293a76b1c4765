import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildCrl } from '@mooring/pki';
import { sessionRequest, walkthroughSetup, type Harness } from '../support/in-process.js';
import { checkConsoleCredentials } from '../../src/transport/console/credential-check.js';
import { escapeHtml, html } from '../../src/transport/console/html.js';
import type { ConsoleDeps } from '../../src/transport/console/console-deps.js';
import { startConsoleServer } from './console-harness.js';

// Fast checks through fastify inject(): no browser. The browser flows are in console-browser.test.ts.
const HOSTHDR = { host: 'mooring.test', origin: 'https://mooring.test', 'content-type': 'application/x-www-form-urlencoded' };

let h: Harness;
let deps: ConsoleDeps;
let setup: Awaited<ReturnType<typeof walkthroughSetup>>;

before(async () => {
  ({ h, deps } = await startConsoleServer());
  setup = await walkthroughSetup(h);
});
after(async () => h?.stop());

async function sessionCreds() {
  const r = await h.send(await sessionRequest({ identity: setup.leaf('myContainer'), trustAnchorArn: setup.trustAnchorArn, profileArn: setup.profileArn, roleArn: setup.roleArn }));
  assert.equal(r.status, 201, r.body);
  return r.json().credentialSet[0].credentials as { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string };
}

async function signIn(form: Record<string, string>, headers: Record<string, string> = HOSTHDR) {
  const r = await h.server.app.inject({ method: 'POST', url: '/console/sign-in', headers, payload: new URLSearchParams(form).toString() });
  const cookie = String(r.headers['set-cookie'] ?? '').split(';')[0] ?? '';
  return { r, cookie };
}

const get = (url: string, cookie: string) => h.server.app.inject({ method: 'GET', url, headers: { host: 'mooring.test', cookie } });

test('ok/html escapes every interpolation, including nested arrays and attributes', () => {
  const evil = `<script>alert("x")</script>'&\``;
  assert.equal(escapeHtml(evil), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;&#96;');
  assert.equal(html`<a title="${evil}">${[evil, html`<b>${evil}</b>`]}</a>`.value.includes('<script>'), false);
  assert.equal(html`<i>${html`<b>ok</b>`}</i>`.value, '<i><b>ok</b></i>');
});

test('ok/checkConsoleCredentials accepts the admin key and a session credential, with the credential expiry', async () => {
  const adminCheck = await checkConsoleCredentials(deps, { accessKeyId: h.server.admin.accessKeyId, secretAccessKey: h.server.admin.secretAccessKey });
  assert.ok(adminCheck.ok && adminCheck.principal.isAdmin && adminCheck.credentialExpiresAt === undefined);
  const c = await sessionCreds();
  const s = await checkConsoleCredentials(deps, c);
  assert.ok(s.ok);
  assert.equal(s.credentialExpiresAt, Date.parse(c.expiration));
  assert.match(s.principal.arn, /assumed-role\/bucket-lister\//);
});

test('fail/checkConsoleCredentials refuses a wrong secret, a token paired with another key, and junk', async () => {
  const wrong = await checkConsoleCredentials(deps, { accessKeyId: h.server.admin.accessKeyId, secretAccessKey: `${h.server.admin.secretAccessKey}x` });
  assert.deepEqual(wrong, { ok: false, reason: 'bad-signature' });
  const a = await sessionCreds();
  const b = await sessionCreds();
  assert.deepEqual(await checkConsoleCredentials(deps, { ...a, sessionToken: b.sessionToken }), { ok: false, reason: 'invalid-token' });
  assert.deepEqual(await checkConsoleCredentials(deps, { ...a, secretAccessKey: b.secretAccessKey }), { ok: false, reason: 'bad-signature' });
  assert.deepEqual(await checkConsoleCredentials(deps, { accessKeyId: 'AKIA<script>', secretAccessKey: 'x' }), { ok: false, reason: 'malformed-input' });
});

test('fail/sign-in from another origin is refused; next= cannot redirect off the console', async () => {
  const cross = await signIn({ accessKeyId: h.server.admin.accessKeyId, secretAccessKey: h.server.admin.secretAccessKey }, { ...HOSTHDR, origin: 'https://evil.example' });
  assert.equal(cross.r.statusCode, 403);
  assert.equal(cross.r.headers['set-cookie'], undefined);
  for (const next of ['//evil.example/console', 'https://evil.example', '/console\\@evil', '/consolex', '/console/../../evil', '/console/..//evil.example']) {
    const { r } = await signIn({ accessKeyId: h.server.admin.accessKeyId, secretAccessKey: h.server.admin.secretAccessKey, next });
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/console/trust-anchors', next);
  }
  const { r } = await signIn({ accessKeyId: h.server.admin.accessKeyId, secretAccessKey: h.server.admin.secretAccessKey, next: '/console/subjects?q=x' });
  assert.equal(r.headers.location, '/console/subjects?q=x');
  // Characters a header cannot carry are percent-encoded (they once made the redirect a 500).
  for (const [next, location] of [['/console/☃', '/console/%E2%98%83'], ['/console/subjects\r\nSet-Cookie: x=1', '/console/subjectsSet-Cookie:%20x=1']]) {
    const odd = await signIn({ accessKeyId: h.server.admin.accessKeyId, secretAccessKey: h.server.admin.secretAccessKey, next: next as string });
    assert.equal(odd.r.statusCode, 303, next);
    assert.equal(odd.r.headers.location, location);
  }
  assert.match(String(r.headers['set-cookie']), /HttpOnly; Secure; SameSite=Strict/);
});

test('fail/sign-in is throttled after repeated failures from one address', async () => {
  const { h: other } = await startConsoleServer();
  try {
    const form = new URLSearchParams({ accessKeyId: other.server.admin.accessKeyId, secretAccessKey: 'nope' }).toString();
    const codes = [];
    for (let i = 0; i < 11; i++) codes.push((await other.server.app.inject({ method: 'POST', url: '/console/sign-in', headers: HOSTHDR, payload: form })).statusCode);
    assert.deepEqual(codes, [...Array(10).fill(401), 429]);
  } finally {
    await other.stop();
  }
});

test('ok/a role allowed only rolesanywhere:List* can list through the console but not disable', async () => {
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'rolesanywhere:List*', Resource: '*' }] });
  assert.equal((await h.iam({ Action: 'PutRolePolicy', RoleName: 'bucket-lister', PolicyName: 'list', PolicyDocument: policy })).status, 200);
  try {
    const { cookie } = await signIn(await sessionCreds());
    const list = await get('/console/profiles', cookie);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(setup.profileId));
    assert.match(String(list.headers['content-security-policy']), /script-src|default-src 'none'/);
    // ListSubjects is allowed, GetSubject is not: summary columns only.
    const subjects = await get('/console/subjects', cookie);
    assert.equal(subjects.statusCode, 200);
    assert.doesNotMatch(subjects.body, /Latest certificate/);
    const confirm = await get(`/console/profiles/${setup.profileId}/disable`, cookie);
    assert.equal(confirm.statusCode, 403);
    assert.match(confirm.body, /not authorized to perform: rolesanywhere:DisableProfile on resource: arn:aws:rolesanywhere:us-east-1:111122223333:profile\//);
    // Even with a valid CSRF token, the POST is authorised and refused.
    const sessionPage = await get('/console/profiles', cookie);
    const csrf = /name="csrf" value="([^"]+)"/.exec(sessionPage.body)![1]!;
    const post = await h.server.app.inject({ method: 'POST', url: `/console/profiles/${setup.profileId}/disable`, headers: { ...HOSTHDR, cookie }, payload: `csrf=${encodeURIComponent(csrf)}` });
    assert.equal(post.statusCode, 403);
    assert.equal((await h.admin('rolesanywhere', 'GET', `/profile/${setup.profileId}`)).json().profile.enabled, true);
  } finally {
    await h.iam({ Action: 'DeleteRolePolicy', RoleName: 'bucket-lister', PolicyName: 'list' });
  }
});

test('fail/unknown console paths need a session and then answer an HTML 404; the API keeps its JSON 404', async () => {
  const anon = await get('/console/nope', '');
  assert.equal(anon.statusCode, 303);
  const { cookie } = await signIn({ accessKeyId: h.server.admin.accessKeyId, secretAccessKey: h.server.admin.secretAccessKey });
  const r = await get('/console/nope', cookie);
  assert.equal(r.statusCode, 404);
  assert.match(String(r.headers['content-type']), /text\/html/);
  const api = await get('/nope', '');
  assert.equal(api.headers['x-amzn-errortype'], 'UnknownOperationException');
});

test('ok/the console root works with and without its trailing slash, before and after sign-in', async () => {
  const { cookie } = await signIn({ accessKeyId: h.server.admin.accessKeyId, secretAccessKey: h.server.admin.secretAccessKey });
  for (const url of ['/console', '/console/']) {
    const anon = await get(url, '');
    assert.equal(anon.statusCode, 303, url);
    assert.match(String(anon.headers.location), /^\/console\/sign-in/, url);
    const signedIn = await get(url, cookie);
    assert.equal(signedIn.statusCode, 303, url);
    assert.equal(signedIn.headers.location, '/console/trust-anchors', url);
  }
});

test('fail/a console path naming an Object.prototype member is a 404, not a 500', async () => {
  const { cookie } = await signIn({ accessKeyId: h.server.admin.accessKeyId, secretAccessKey: h.server.admin.secretAccessKey });
  for (const kind of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    const r = await get(`/console/${kind}/x/enable`, cookie);
    assert.equal(r.statusCode, 404, `${kind}: ${r.body.slice(0, 200)}`);
  }
});

test('ok/toggle confirmations say what happens: enabling a CRL refuses its certificates; a no-op offers no button', async () => {
  const { cookie } = await signIn({ accessKeyId: h.server.admin.accessKeyId, secretAccessKey: h.server.admin.secretAccessKey });
  const ta = await h.admin('rolesanywhere', 'GET', `/trustanchor/${setup.trustAnchorId}`);
  assert.equal(ta.json().trustAnchor.enabled, true);
  const noop = await get(`/console/trust-anchors/${setup.trustAnchorId}/enable`, cookie);
  assert.equal(noop.statusCode, 200);
  assert.match(noop.body, /is already enabled\. Nothing to do\./);
  assert.doesNotMatch(noop.body, /data-testid="confirm"/);
  const disable = await get(`/console/trust-anchors/${setup.trustAnchorId}/disable`, cookie);
  assert.match(disable.body, /Trust anchor <strong>/);
  assert.match(disable.body, /data-testid="confirm"/);
  const crlDer = buildCrl({ issuer: { cert: setup.ca.cert, key: setup.ca.key }, thisUpdate: new Date(Date.now() - 60_000), nextUpdate: new Date(Date.now() + 86_400_000), revoked: [] });
  const crl = await h.admin('rolesanywhere', 'POST', '/crls', JSON.stringify({ name: 'console-crl', crlData: crlDer.toString('base64'), trustAnchorArn: setup.trustAnchorArn }));
  assert.equal(crl.status, 201, crl.body);
  const enable = await get(`/console/crls/${crl.json().crl.crlId}/enable`, cookie);
  assert.match(enable.body, /is currently disabled\. CreateSession will refuse the certificates it lists\./);
});

test('fail/a Deny of GetSubject on one subject hides its certificate in the list, the serial search and the expiries page', async () => {
  // The myContainer session creates its subject; find it and its latest serial.
  await sessionCreds();
  const subjects = (await h.admin('rolesanywhere', 'GET', '/subjects')).json().subjects as Array<{ subjectId: string; x509Subject: string; subjectArn: string }>;
  const mine = subjects.find((x) => x.x509Subject === 'CN=myContainer')!;
  const serial = (await h.admin('rolesanywhere', 'GET', `/subject/${mine.subjectId}`)).json().subject.credentials[0].serialNumber as string;
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['rolesanywhere:ListSubjects', 'rolesanywhere:GetSubject', 'rolesanywhere:ListTrustAnchors'], Resource: '*' },
      { Effect: 'Deny', Action: 'rolesanywhere:GetSubject', Resource: mine.subjectArn },
    ],
  });
  assert.equal((await h.iam({ Action: 'PutRolePolicy', RoleName: 'bucket-lister', PolicyName: 'subjects', PolicyDocument: policy })).status, 200);
  try {
    const { cookie } = await signIn(await sessionCreds());
    assert.equal((await get(`/console/subjects/${mine.subjectId}`, cookie)).statusCode, 403);
    const list = await get('/console/subjects', cookie);
    assert.match(list.body, /Latest certificate/);
    const row = new RegExp(`<tr data-id="${mine.subjectId}">[\\s\\S]*?</tr>`).exec(list.body)?.[0] ?? '';
    assert.match(row, /data-testid="detail-denied"/);
    assert.doesNotMatch(row, new RegExp(serial));
    const search = await get(`/console/subjects?q=${serial}`, cookie);
    assert.doesNotMatch(search.body, new RegExp(mine.subjectId));
    const expiries = await get('/console/expiries?days=365', cookie);
    assert.equal(expiries.statusCode, 200);
    assert.doesNotMatch(expiries.body, /CN=myContainer/);
  } finally {
    await h.iam({ Action: 'DeleteRolePolicy', RoleName: 'bucket-lister', PolicyName: 'subjects' });
  }
});
