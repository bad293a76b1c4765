import type { Principal } from '../../core/auth/principal.js';
import { html, type HtmlValue, type SafeHtml } from './html.js';

export const NAV: ReadonlyArray<[string, string]> = [
  ['/console/trust-anchors', 'Trust anchors'],
  ['/console/profiles', 'Profiles'],
  ['/console/subjects', 'Subjects'],
  ['/console/crls', 'CRLs'],
  ['/console/audit', 'Audit trail'],
  ['/console/expiries', 'Expiries'],
];

export interface PageContext {
  principal: Principal;
  csrfToken: string;
  /** Which nav entry is current. */
  path: string;
}

/** The full document around a page body; the principal's ARN is shown so operators know who they are. */
export function layout(title: string, body: HtmlValue, ctx?: PageContext): SafeHtml {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Mooring console</title><link rel="stylesheet" href="/console/assets/console.css"></head>
<body>${ctx ? nav(ctx) : html`<header><span class="brand">Mooring</span></header>`}
<main>${body}</main></body></html>`;
}

function nav(ctx: PageContext): SafeHtml {
  return html`<header><a class="brand" href="/console">Mooring</a>
${NAV.map(([p, label]) => html`<a href="${p}"${ctx.path.startsWith(p) ? html` class="current" aria-current="page"` : ''}>${label}</a>`)}
<span class="who"><span data-testid="principal">${ctx.principal.arn}</span>
<form method="post" action="/console/sign-out"><input type="hidden" name="csrf" value="${ctx.csrfToken}"><button type="submit">Sign out</button></form></span></header>`;
}

export function enabledBadge(enabled: boolean): SafeHtml {
  return enabled ? html`<span class="badge on">Enabled</span>` : html`<span class="badge off">Disabled</span>`;
}

/** ISO time without milliseconds, in UTC (the audit trail's and the API's zone). */
export function when(d: Date | string | undefined): string {
  if (d === undefined) return '—';
  const date = typeof d === 'string' ? new Date(d) : d;
  return Number.isNaN(date.getTime()) ? String(d) : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "3 d ago", "in 12 d": coarse relative time for ages and expiries. */
export function relative(d: Date, now: Date): string {
  const ms = d.getTime() - now.getTime();
  const abs = Math.abs(ms);
  const unit = abs >= 86_400_000 ? [86_400_000, 'd'] : abs >= 3_600_000 ? [3_600_000, 'h'] : [60_000, 'min'];
  const n = Math.floor(abs / (unit[0] as number));
  return ms >= 0 ? `in ${n} ${unit[1]}` : `${n} ${unit[1]} ago`;
}

export function errorBox(title: string, message: string, code?: string): SafeHtml {
  return html`<div class="notice error" role="alert" data-testid="error"><strong>${code ?? title}</strong>: ${message}</div>`;
}
