import { html, seg } from '../html.js';
import type { PageCall, PageResult } from '../console-page.js';

type Kind = 'trust-anchors' | 'profiles' | 'crls';
type Verb = 'enable' | 'disable';

interface KindSpec {
  label: string;
  idMember: 'trustAnchorId' | 'profileId' | 'crlId';
  op: (v: Verb) => string;
  load(c: PageCall, id: string): Promise<{ name: string; enabled: boolean }>;
  set(c: PageCall, id: string, enabled: boolean): Promise<unknown>;
}

const KINDS: Readonly<Record<Kind, KindSpec>> = {
  'trust-anchors': {
    label: 'trust anchor',
    idMember: 'trustAnchorId',
    op: (v) => (v === 'enable' ? 'EnableTrustAnchor' : 'DisableTrustAnchor'),
    load: (c, id) => c.deps.trustAnchors.get(id),
    set: (c, id, e) => c.deps.trustAnchors.setEnabled(id, e),
  },
  profiles: {
    label: 'profile',
    idMember: 'profileId',
    op: (v) => (v === 'enable' ? 'EnableProfile' : 'DisableProfile'),
    load: (c, id) => c.deps.profiles.get(id),
    set: (c, id, e) => c.deps.profiles.setEnabled(id, e),
  },
  crls: {
    label: 'CRL',
    idMember: 'crlId',
    op: (v) => (v === 'enable' ? 'EnableCrl' : 'DisableCrl'),
    load: (c, id) => c.deps.crls.get(id),
    set: (c, id, e) => c.deps.crls.setEnabled(id, e),
  },
};

export const TOGGLE_KINDS = Object.keys(KINDS) as Kind[];

function parse(c: PageCall): { kind: Kind; spec: KindSpec; verb: Verb; id: string } | undefined {
  const kind = c.params.kind as Kind;
  // Own properties only: /console/constructor/x/enable must be a 404, not Object's constructor.
  const spec = Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  const verb = c.params.verb;
  if (!spec || (verb !== 'enable' && verb !== 'disable')) return undefined;
  return { kind, spec, verb, id: c.params.id ?? '' };
}

const notFound: PageResult = { title: 'Not found', status: 404, body: html`<h1>Not found</h1>` };

/**
 * The confirmation step: names the resource and what will happen, and posts back with the CSRF
 * token. It is authorised like the action itself, so a caller who may not act is told before
 * confirming rather than after.
 */
export async function toggleConfirmPage(c: PageCall): Promise<PageResult> {
  const t = parse(c);
  if (!t) return notFound;
  await c.authorize(t.spec.op(t.verb), { [t.spec.idMember]: t.id });
  const r = await t.spec.load(c, t.id);
  // What the action does; for a CRL, enabling refuses certificates and disabling accepts them.
  const consequence =
    t.kind === 'crls'
      ? t.verb === 'enable'
        ? 'CreateSession will refuse the certificates it lists.'
        : 'Certificates it lists will no longer be refused.'
      : t.verb === 'enable'
        ? 'CreateSession will accept it again.'
        : 'Every CreateSession through it will be refused until it is enabled again. Credentials already issued stay valid until they expire.';
  const label = `${t.spec.label.charAt(0).toUpperCase()}${t.spec.label.slice(1)}`;
  const already = r.enabled === (t.verb === 'enable');
  if (already) {
    return {
      title: `${t.verb} ${t.spec.label}`,
      body: html`<h1>${label} <span class="mono">${r.name}</span></h1>
<p class="notice" data-testid="confirm-text">${label} <strong>${r.name}</strong> (<span class="mono">${t.id}</span>) is already ${r.enabled ? 'enabled' : 'disabled'}. Nothing to do.</p>
<p><a href="${`/console/${t.kind}`}">Back</a></p>`,
    };
  }
  return {
    title: `${t.verb} ${t.spec.label}`,
    body: html`<h1>${t.verb === 'enable' ? 'Enable' : 'Disable'} ${t.spec.label} <span class="mono">${r.name}</span>?</h1>
<p class="notice" data-testid="confirm-text">${label} <strong>${r.name}</strong> (<span class="mono">${t.id}</span>) is currently ${r.enabled ? 'enabled' : 'disabled'}. ${consequence}</p>
<form method="post" action="${`/console/${t.kind}/${seg(t.id)}/${t.verb}`}">
<input type="hidden" name="csrf" value="${c.ctx.csrfToken}">
<button type="submit" class="${t.verb === 'disable' ? 'danger' : ''}" data-testid="confirm">${t.verb === 'enable' ? 'Enable' : 'Disable'}</button>
<a href="${`/console/${t.kind}`}">Cancel</a></form>`,
  };
}

/** The action, after the CSRF and Origin checks of the POST guard. Answers with a redirect (POST/redirect/GET). */
export async function toggleAction(c: PageCall): Promise<PageResult> {
  const t = parse(c);
  if (!t) return notFound;
  await c.authorize(t.spec.op(t.verb), { [t.spec.idMember]: t.id });
  await t.spec.set(c, t.id, t.verb === 'enable');
  return { redirect: `/console/${t.kind}` };
}
