import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { requireOrSkip } from '../../../../scripts/test-support.mjs';
import { REPO_ROOT } from '../support/run.js';
import { DAY, sessionRequest, walkthroughSetup, type Harness } from '../support/in-process.js';
import { CHROMIUM, CHROMIUM_ARGS, startConsoleServer } from './console-harness.js';

const skip = requireOrSkip(existsSync(CHROMIUM), 'chromium not installed (/usr/bin/chromium)');
const SHOTS = join(REPO_ROOT, 'test-artifacts', 'console');

let h: Harness;
let baseUrl: string;
let setup: Awaited<ReturnType<typeof walkthroughSetup>>;
let started: Awaited<ReturnType<typeof startConsoleServer>>;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
let leaf: ReturnType<Awaited<ReturnType<typeof walkthroughSetup>>['leaf']>;

async function createSession(): Promise<{ status: number; json: () => any }> {
  return h.send(await sessionRequest({ identity: leaf, trustAnchorArn: setup.trustAnchorArn, profileArn: setup.profileArn, roleArn: setup.roleArn }));
}

async function signIn(p: Page, accessKeyId: string, secret: string, token?: string): Promise<void> {
  await p.goto(`${baseUrl}/console`);
  assert.match(p.url(), /\/console\/sign-in/);
  await p.fill('#accessKeyId', accessKeyId);
  await p.fill('#secretAccessKey', secret);
  if (token) await p.fill('#sessionToken', token);
  await Promise.all([p.waitForLoadState('load'), p.click('button[type=submit]')]);
}

const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

before(async () => {
  if (skip) return;
  mkdirSync(SHOTS, { recursive: true });
  started = await startConsoleServer();
  ({ h, baseUrl } = started);
  setup = await walkthroughSetup(h);
  leaf = setup.leaf('myContainer');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  admin = await browser.newContext({ ignoreHTTPSErrors: true });
  page = await admin.newPage();
});

after(async () => {
  if (skip) return;
  await browser?.close();
  await h?.stop();
});

test('fail/anonymous access is redirected to sign-in, and a wrong secret is refused', { skip }, async () => {
  const ctx = await browser.newContext({ ignoreHTTPSErrors: true });
  const p = await ctx.newPage();
  const r = await p.goto(`${baseUrl}/console/subjects`);
  assert.match(p.url(), /\/console\/sign-in\?next=%2Fconsole%2Fsubjects$/);
  assert.match(r!.headers()['content-security-policy'] ?? '', /default-src 'none'/);
  await signIn(p, h.server.admin.accessKeyId, 'wrong-secret-wrong-secret-wrong-secret');
  assert.match(p.url(), /\/console\/sign-in$/);
  assert.match(await p.textContent('[data-testid=error]') ?? '', /not valid/);
  assert.deepEqual(await ctx.cookies(), []);
  await ctx.close();
});

test('ok/the admin signs in with the API credential; the cookie is HttpOnly, Secure, SameSite=Strict', { skip }, async () => {
  await signIn(page, h.server.admin.accessKeyId, h.server.admin.secretAccessKey);
  assert.match(page.url(), /\/console\/trust-anchors$/);
  assert.equal(await page.textContent('[data-testid=principal]'), h.server.admin.userArn);
  const row = page.locator(`[data-testid=trust-anchors] tr[data-id="${setup.trustAnchorId}"]`);
  assert.match(await row.innerText(), /CN=Test CA/);
  assert.match(await row.innerText(), /CA_CERTIFICATE_EXPIRY: on, 45 d before/);
  const [cookie] = await admin.cookies();
  assert.equal(cookie?.name, '__Host-mooring-console');
  assert.equal(cookie?.httpOnly, true);
  assert.equal(cookie?.secure, true);
  assert.equal(cookie?.sameSite, 'Strict');
  assert.ok(cookie!.expires <= Date.now() / 1000 + 12 * 3600 + 5, 'at most 12 h');
  await shot(page, 'trust-anchors');
});

test('ok/the subject a CreateSession just created is listed, with its certificate and the audit record', { skip }, async () => {
  const r = await createSession();
  assert.equal(r.status, 201);
  await page.goto(`${baseUrl}/console/subjects`);
  const link = page.locator('[data-testid=subjects] a', { hasText: 'CN=myContainer' });
  assert.equal(await link.count(), 1);
  await Promise.all([page.waitForURL(/\/console\/subjects\/[0-9a-f-]+$/), link.click()]);
  const creds = await page.locator('[data-testid=credentials]').innerText();
  assert.match(creds, new RegExp(leaf.serialHex));
  assert.match(creds, /\bok\b/);
  assert.doesNotMatch(creds, /failed/);
  await shot(page, 'subject');
  await page.goto(`${baseUrl}/console/audit?serial=${leaf.serialHex}`);
  const audit = await page.locator('[data-testid=audit] tbody').innerText();
  assert.match(audit, /CreateSession/);
  assert.match(audit, /success/);
  assert.match(audit, /role\/bucket-lister/);
});

test('ok/disabling a profile through the UI (with confirmation) makes the next CreateSession fail; enabling restores it', { skip }, async () => {
  await page.goto(`${baseUrl}/console/profiles`);
  const row = page.locator(`[data-testid=profiles] tr[data-id="${setup.profileId}"]`);
  assert.match(await row.innerText(), /Enabled/);
  await Promise.all([page.waitForURL(/\/disable$/), row.locator('[data-testid=disable]').click()]);
  assert.match(await page.textContent('[data-testid=confirm-text]') ?? '', /currently enabled/);
  await shot(page, 'confirm-disable');
  // Nothing happened yet: the GET only asks.
  assert.equal((await h.admin('rolesanywhere', 'GET', `/profile/${setup.profileId}`)).json().profile.enabled, true);
  await Promise.all([page.waitForURL(/\/console\/profiles$/), page.click('[data-testid=confirm]')]);
  assert.match(await page.locator(`[data-testid=profiles] tr[data-id="${setup.profileId}"]`).innerText(), /Disabled/);
  await shot(page, 'profile-disabled');

  const denied = await createSession();
  assert.equal(denied.status, 403);
  assert.match(JSON.stringify(denied.json()), /Profile is disabled/);
  await page.goto(`${baseUrl}/console/audit?outcome=failure`);
  assert.match(await page.locator('[data-testid=audit] tbody').innerText(), /AccessDeniedException[\s\S]*profile-disabled/);

  await page.goto(`${baseUrl}/console/profiles/${setup.profileId}/enable`);
  await Promise.all([page.waitForURL(/\/console\/profiles$/), page.click('[data-testid=confirm]')]);
  assert.equal((await createSession()).status, 201);
});

test('fail/a state-changing POST without the CSRF token, or from another origin, is refused', { skip }, async () => {
  const url = `${baseUrl}/console/profiles/${setup.profileId}/disable`;
  const noToken = await page.request.post(url, { form: { csrf: '' }, headers: { origin: baseUrl }, maxRedirects: 0 });
  assert.equal(noToken.status(), 403);
  await page.goto(url);
  const csrf = await page.locator('input[name=csrf]').first().inputValue();
  assert.ok(csrf.length >= 40);
  const wrongToken = await page.request.post(url, { form: { csrf: csrf.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) }, headers: { origin: baseUrl }, maxRedirects: 0 });
  assert.equal(wrongToken.status(), 403);
  const crossOrigin = await page.request.post(url, { form: { csrf }, headers: { origin: 'https://evil.example' }, maxRedirects: 0 });
  assert.equal(crossOrigin.status(), 403);
  // Same host, plain-HTTP scheme: another origin for a TLS listener.
  const plainHttp = await page.request.post(url, { form: { csrf }, headers: { origin: baseUrl.replace('https://', 'http://') }, maxRedirects: 0 });
  assert.equal(plainHttp.status(), 403);
  assert.equal((await h.admin('rolesanywhere', 'GET', `/profile/${setup.profileId}`)).json().profile.enabled, true, 'still enabled');
  // The same token from our own origin works: the refusals above were the checks, not a broken route.
  const ok = await page.request.post(url, { form: { csrf }, headers: { origin: baseUrl }, maxRedirects: 0 });
  assert.equal(ok.status(), 303);
  assert.equal((await h.admin('rolesanywhere', 'GET', `/profile/${setup.profileId}`)).json().profile.enabled, false);
  await h.admin('rolesanywhere', 'POST', `/profile/${setup.profileId}/enable`);
});

test('fail/a session credential whose role has no permissions sees AccessDenied pages', { skip }, async () => {
  const r = await createSession();
  assert.equal(r.status, 201);
  const c = r.json().credentialSet[0].credentials;
  const ctx = await browser.newContext({ ignoreHTTPSErrors: true });
  const p = await ctx.newPage();
  await signIn(p, c.accessKeyId, c.secretAccessKey, c.sessionToken);
  assert.match(await p.textContent('[data-testid=principal]') ?? '', /assumed-role\/bucket-lister\//);
  assert.match(await p.textContent('[data-testid=error]') ?? '', /is not authorized to perform: rolesanywhere:ListTrustAnchors on resource: \*/);
  await shot(p, 'access-denied');
  for (const [path, action] of [['profiles', 'ListProfiles'], ['subjects', 'ListSubjects'], ['crls', 'ListCrls'], ['audit', 'cloudtrail:LookupEvents']] as const) {
    const res = await p.goto(`${baseUrl}/console/${path}`);
    assert.equal(res!.status(), 403, path);
    assert.match(await p.textContent('[data-testid=error]') ?? '', new RegExp(action));
  }
  // Not even the confirmation page of an action it may not take.
  assert.equal((await p.goto(`${baseUrl}/console/profiles/${setup.profileId}/disable`))!.status(), 403);
  // The console session ends no later than the credentials.
  const [cookie] = await ctx.cookies();
  assert.ok(cookie!.expires <= Date.parse(c.expiration) / 1000 + 1);
  await ctx.close();
});

test('ok/the expiry timeline lists the CA certificate and the subject\'s leaf, soonest first', { skip }, async () => {
  await page.goto(`${baseUrl}/console/expiries?days=365`);
  const rows = page.locator('[data-testid=expiries] tr[data-kind]');
  const text = await rows.allInnerTexts();
  const leafIdx = text.findIndex((t) => t.includes('CN=myContainer'));
  const caIdx = text.findIndex((t) => t.includes('CN=Test CA'));
  assert.ok(leafIdx >= 0 && caIdx >= 0, text.join('\n'));
  assert.ok(leafIdx < caIdx, 'the 30-day leaf comes before the 365-day CA');
  await page.goto(`${baseUrl}/console/expiries?days=90`);
  assert.doesNotMatch(await page.locator('[data-testid=expiries]').innerText(), /CN=Test CA/);
  await shot(page, 'expiries');
});

test('ok/1,000 subjects render paginated and searchable, and hostile DNs are shown as text', { skip }, async () => {
  const db = h.db;
  db.pragma('synchronous = OFF'); // bulk fixture only
  const now = new Date();
  const hostile = 'CN=<img src=x onerror="document.title=\'pwned\'">,O=x';
  for (let i = 0; i < 1000; i++) {
    const dn = i === 500 ? hostile : `CN=subject-${String(i).padStart(4, '0')},OU=fleet`;
    await started.subjectStore.recordAttempt({
      x509Subject: dn,
      newSubject: () => {
        const id = h.server.config.accountId + '-' + String(i).padStart(4, '0');
        const subjectId = `00000000-0000-4000-8000-00${id.slice(-10)}`;
        return { subjectId, subjectArn: `arn:aws:rolesanywhere:us-east-1:111122223333:subject/${subjectId}` };
      },
      credential: { seenAt: new Date(now.getTime() - i * 60_000), serialNumber: (0x1000 + i).toString(16), issuer: 'CN=Test CA', enabled: true, x509CertificateData: leaf.pem, failed: i % 7 === 0 },
      now,
      keep: 10,
    });
  }
  db.pragma('synchronous = FULL');
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.goto(`${baseUrl}/console/subjects`);
  assert.equal(await page.locator('[data-testid=subjects] tbody tr').count(), 50);
  const firstPage = await page.locator('[data-testid=subjects] tbody').innerText();
  await Promise.all([page.waitForURL(/next=/), page.click('[data-testid=next-page]')]);
  assert.equal(await page.locator('[data-testid=subjects] tbody tr').count(), 50);
  assert.notEqual(await page.locator('[data-testid=subjects] tbody').innerText(), firstPage);
  await shot(page, 'subjects-page-2');

  await page.fill('[data-testid=subject-search]', 'subject-0777');
  await Promise.all([page.waitForURL(/q=subject-0777/), page.click('form[role=search] button')]);
  const found = page.locator('[data-testid=subjects] tbody tr');
  assert.equal(await found.count(), 1);
  assert.match(await found.innerText(), /CN=subject-0777,OU=fleet/);

  await page.goto(`${baseUrl}/console/subjects?q=${encodeURIComponent('onerror')}`);
  assert.equal(await page.locator('[data-testid=subjects] tbody tr').count(), 1);
  assert.equal(await page.locator('[data-testid=subjects] a.mono').first().textContent(), hostile, 'shown verbatim, as text');
  assert.equal(await page.locator('main img').count(), 0, 'no element was injected');
  assert.notEqual(await page.title(), 'pwned');
  assert.equal(dialogs, 0);
  await shot(page, 'subjects-hostile');

  await page.goto(`${baseUrl}/console/subjects?q=fleet&size=200&page=5`);
  assert.match(await page.textContent('[data-testid=page-summary]') ?? '', /801–999 of 999 matches/);
});

test('ok/sign-out ends the server-side session', { skip }, async () => {
  await page.goto(`${baseUrl}/console/crls`);
  await Promise.all([page.waitForURL(/sign-in/), page.click('header button[type=submit]')]);
  await page.goto(`${baseUrl}/console/crls`);
  assert.match(page.url(), /\/console\/sign-in/);
});
