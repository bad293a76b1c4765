import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../../core/errors/service-error.js';
import type { ConsoleDeps, ConsoleOptions } from './console-deps.js';
import { pageCall, type PageHandler } from './console-page.js';
import { ConsoleSessions, csrfTokenMatches, type ConsoleSession } from './console-session-store.js';
import { CONSOLE_CSS } from './console-style.js';
import { checkConsoleCredentials } from './credential-check.js';
import { html, href, type SafeHtml } from './html.js';
import { errorBox, layout } from './layout.js';
import { auditPage } from './pages/audit-page.js';
import { crlsPage } from './pages/crls-page.js';
import { expiriesPage } from './pages/expiries-page.js';
import { profilesPage } from './pages/profiles-page.js';
import { signInPage } from './pages/sign-in-page.js';
import { subjectDetailPage, subjectsPage } from './pages/subjects-page.js';
import { toggleAction, toggleConfirmPage } from './pages/toggle-page.js';
import { trustAnchorsPage } from './pages/trust-anchors-page.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { clearedSessionCookie, formOf, readCookie, sameOrigin, securityHeaders, SESSION_COOKIE, sessionCookie } from './web-security.js';
import { sourceIpOf } from '../raw-request.js';

const DEFAULTS: Required<ConsoleOptions> = { maxSessionMs: 12 * 3600_000, idleTimeoutMs: 3600_000, maxSessions: 10_000, maxSessionsPerPrincipal: 20, maxScan: 20_000 };
const FORM_LIMIT = 32 * 1024;

const PAGES: ReadonlyArray<[string, PageHandler]> = [
  ['/console/trust-anchors', trustAnchorsPage],
  ['/console/profiles', profilesPage],
  ['/console/subjects', subjectsPage],
  ['/console/subjects/:id', subjectDetailPage],
  ['/console/crls', crlsPage],
  ['/console/audit', auditPage],
  ['/console/expiries', expiriesPage],
  ['/console/:kind/:id/:verb', toggleConfirmPage],
];

/**
 * The operator console at /console (issue 8 item 1): server-rendered HTML, no script. Signed in
 * with the API's own credentials, verified by the API's Authenticator and never stored; every
 * page and action is authorised by the API's Authorizer with the API operation's name and
 * resource. Register before `app.ready()`.
 */
export function registerConsole(app: FastifyInstance, deps: ConsoleDeps, opts: ConsoleOptions = {}): void {
  const options: Required<ConsoleOptions> = { ...DEFAULTS, ...opts };
  const sessions = new ConsoleSessions({ store: deps.sessionStore, clock: deps.clock, random: deps.random, limits: options });
  const throttle = new SignInThrottle();
  const now = () => deps.clock.now().getTime();

  app.register(async (scope) => {
    // The API app keeps every body as raw bytes; a host app without that still gets our forms.
    if (!scope.hasContentTypeParser('application/x-www-form-urlencoded'))
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer', bodyLimit: FORM_LIMIT }, (_r, b, done) => done(null, b));

    scope.get('/console/assets/console.css', async (_req, reply) =>
      securityHeaders(reply).header('content-type', 'text/css; charset=utf-8').header('cache-control', 'max-age=300').send(CONSOLE_CSS),
    );

    // `/console/` too: a browser that was sent to sign in from there comes back to it.
    for (const url of ['/console', '/console/'])
      scope.get(url, async (req, reply) => ((await current(req)) ? redirect(reply, '/console/trust-anchors') : toSignIn(reply, '/console/trust-anchors')));

    scope.get('/console/sign-in', async (req, reply) => {
      if (await current(req)) return redirect(reply, '/console/trust-anchors');
      return sendHtml(reply, 200, signInPage({ next: safeNext((req.query as Record<string, unknown>).next) }));
    });

    scope.post('/console/sign-in', { bodyLimit: FORM_LIMIT }, async (req, reply) => {
      // Login CSRF: no session exists yet, so the Origin check is the defence (OWASP CSRF cheat sheet).
      if (!sameOrigin(req)) return sendHtml(reply, 403, layout('Forbidden', errorBox('', 'Cross-origin sign-in refused.', 'Forbidden')));
      const form = formOf(req.body);
      const next = safeNext(form.get('next'));
      const who = sourceIpOf(req);
      if (throttle.blocked(who, now())) return sendHtml(reply, 429, signInPage({ next, error: 'Too many failed sign-ins from your address. Wait a few minutes.' }));
      const token = (form.get('sessionToken') ?? '').trim();
      const check = await checkConsoleCredentials(deps, {
        accessKeyId: (form.get('accessKeyId') ?? '').trim(),
        secretAccessKey: (form.get('secretAccessKey') ?? '').trim(),
        ...(token ? { sessionToken: token } : {}),
      });
      if (!check.ok) {
        throttle.fail(who, now());
        // One message for every failure: which part was wrong is not the browser's business.
        const message = check.reason === 'expired-token' ? 'These credentials have expired.' : 'The access key, secret or session token is not valid.';
        req.log.info({ reason: check.reason }, 'console sign-in refused');
        return sendHtml(reply, 401, signInPage({ next, error: message }));
      }
      throttle.succeed(who);
      // The console session never outlives the credentials it was opened with, nor 12 hours.
      const expiresAt = Math.min(now() + options.maxSessionMs, check.credentialExpiresAt ?? Infinity);
      const { id } = await sessions.create(check.principal, expiresAt);
      req.log.info({ principal: check.principal.arn }, 'console sign-in');
      reply.header('set-cookie', sessionCookie(id, (expiresAt - now()) / 1000));
      return redirect(reply, next ?? '/console/trust-anchors');
    });

    scope.post('/console/sign-out', { bodyLimit: FORM_LIMIT }, async (req, reply) => {
      const s = await guardPost(req, reply);
      if (!s) return reply;
      await sessions.delete(readCookie(req, SESSION_COOKIE));
      reply.header('set-cookie', clearedSessionCookie());
      return redirect(reply, '/console/sign-in');
    });

    for (const [url, handler] of PAGES) scope.get(url, async (req, reply) => run(req, reply, handler, await current(req)));
    scope.post('/console/:kind/:id/:verb', { bodyLimit: FORM_LIMIT }, async (req, reply) => {
      const s = await guardPost(req, reply);
      if (!s) return reply;
      return run(req, reply, toggleAction, s);
    });
    scope.get('/console/*', async (req, reply) =>
      run(req, reply, async () => ({ title: 'Not found', status: 404, body: html`<h1>Not found</h1><p>No console page here.</p>` }), await current(req)),
    );
  });

  /** Read from the shared store on every request: a sign-out on another replica takes effect at once. */
  function current(req: FastifyRequest): Promise<ConsoleSession | undefined> {
    return sessions.get(readCookie(req, SESSION_COOKIE));
  }

  /** State-changing requests: a live session, a same-origin request, and the session's CSRF token. */
  async function guardPost(req: FastifyRequest, reply: FastifyReply): Promise<ConsoleSession | undefined> {
    const s = await current(req);
    if (!s) {
      await toSignIn(reply, '/console/trust-anchors');
      return undefined;
    }
    if (!sameOrigin(req) || !csrfTokenMatches(s, formOf(req.body).get('csrf'))) {
      await sendHtml(reply, 403, layout('Forbidden', errorBox('', 'The request was refused: missing or invalid CSRF token, or a cross-origin request. Reload the page and try again.', 'Forbidden')));
      return undefined;
    }
    return s;
  }

  async function run(req: FastifyRequest, reply: FastifyReply, handler: PageHandler, s: ConsoleSession | undefined): Promise<FastifyReply> {
    const path = req.url.split('?')[0] ?? '/console';
    if (!s) return toSignIn(reply, req.method === 'GET' ? req.url : undefined);
    const ctx = { principal: s.principal, csrfToken: s.csrfToken, path };
    const query = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
    const call = pageCall(deps, options, s.principal, ctx, query, req.params as Record<string, string>, sourceIpOf(req));
    try {
      const r = await handler(call);
      if ('redirect' in r) return redirect(reply, r.redirect);
      return sendHtml(reply, r.status ?? 200, layout(r.title, r.body, ctx));
    } catch (e) {
      if (!(e instanceof ServiceError)) {
        req.log.error({ err: { message: (e as Error).message } }, 'console page failed');
        return sendHtml(reply, 500, layout('Error', errorBox('', 'An internal error occurred. Try again.', 'InternalServerException'), ctx));
      }
      const title = e.code === 'AccessDeniedException' ? 'Access denied' : 'Error';
      return sendHtml(reply, e.status, layout(title, html`<h1>${title}</h1>${errorBox(title, e.message, e.code)}`, ctx));
    }
  }
}

function sendHtml(reply: FastifyReply, status: number, page: SafeHtml): FastifyReply {
  return securityHeaders(reply).code(status).header('content-type', 'text/html; charset=utf-8').send(page.value);
}

/** 303 See Other: the follow-up is always a GET (RFC 9110 §15.4.4), so a refresh never re-posts. */
function redirect(reply: FastifyReply, location: string): FastifyReply {
  return securityHeaders(reply).code(303).header('location', location).send('');
}

function toSignIn(reply: FastifyReply, next: string | undefined): FastifyReply {
  return redirect(reply, href('/console/sign-in', { next: safeNext(next) }));
}

/** Only a path inside the console may be a post-sign-in target: no open redirect (OWASP Unvalidated Redirects). */
function safeNext(v: unknown): string | undefined {
  if (typeof v !== 'string' || v.length > 2000) return undefined;
  if (!/^\/console(\/|\?|$)/.test(v) || v.startsWith('//') || v.includes('\\') || v.startsWith('/console/sign-')) return undefined;
  // Resolved as a browser would (dot-segments, percent-encoding of anything a header cannot
  // carry), and checked again: /console/../x must not leave the console, and a raw CR/LF or
  // non-Latin-1 character must not reach the Location header.
  let url: URL;
  try {
    url = new URL(v, 'https://console.invalid');
  } catch {
    return undefined;
  }
  const resolved = `${url.pathname}${url.search}`;
  if (url.origin !== 'https://console.invalid' || !/^\/console(\/|\?|$)/.test(resolved) || resolved.startsWith('//') || resolved.startsWith('/console/sign-')) return undefined;
  return resolved;
}
