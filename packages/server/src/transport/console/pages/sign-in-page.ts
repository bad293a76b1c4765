import { html, type SafeHtml } from '../html.js';
import { errorBox, layout } from '../layout.js';

/** The sign-in form: an access key id and secret, plus a session token for temporary credentials. */
export function signInPage(o: { next?: string; error?: string }): SafeHtml {
  return layout(
    'Sign in',
    html`<form class="signin" method="post" action="/console/sign-in" autocomplete="off">
<h1>Sign in to Mooring</h1>
<p class="muted">Use the same credentials as the API: the administrator's access key (<span class="mono">admin-credentials</span>) or temporary credentials from CreateSession.</p>
${o.error ? errorBox('Sign-in failed', o.error) : ''}
<input type="hidden" name="next" value="${o.next ?? ''}">
<label for="accessKeyId">Access key ID</label><input id="accessKeyId" name="accessKeyId" required spellcheck="false" autocapitalize="off">
<label for="secretAccessKey">Secret access key</label><input id="secretAccessKey" name="secretAccessKey" type="password" required>
<label for="sessionToken">Session token <span class="muted">(temporary credentials only)</span></label><input id="sessionToken" name="sessionToken" type="password">
<button type="submit">Sign in</button></form>`,
  );
}
