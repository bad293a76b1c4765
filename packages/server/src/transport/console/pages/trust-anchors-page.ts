import type { TrustAnchor } from '../../../core/roles-anywhere/trust-anchor.js';
import { certFacts } from '../cert-facts.js';
import { html, href, seg } from '../html.js';
import { enabledBadge } from '../layout.js';
import { fmt, matches, pager, scanAll, slicePage, type PageCall, type PageResult } from '../console-page.js';
import { expiryCell } from './expiry-badge.js';

const PAGE = 25;

/** Trust anchors: CA subjects and expiry, enabled state, notification settings (ListTrustAnchors). */
export async function trustAnchorsPage(c: PageCall): Promise<PageResult> {
  await c.authorize('ListTrustAnchors');
  const q = c.query.get('q') ?? '';
  const all = await scanAll((t) => c.deps.trustAnchors.list(t, 500), c.options.maxScan);
  const filtered = all.items.filter((ta) => matches(q, ta.name, ta.trustAnchorId, ta.source.sourceData.x509CertificateData ? certFacts(ta.source.sourceData.x509CertificateData).map((f) => f.subject).join(' ') : undefined));
  const p = slicePage(filtered, c.query.get('page'), PAGE);
  const now = c.deps.clock.now();
  const link = (page: number) => href('/console/trust-anchors', { q, page });
  return {
    title: 'Trust anchors',
    body: html`<h1>Trust anchors</h1>
<form class="filters" method="get" action="/console/trust-anchors" role="search">
<label>Name, id or CA subject<input type="search" name="q" value="${q}"></label><button type="submit">Search</button></form>
<table data-testid="trust-anchors"><thead><tr><th>Name</th><th>Status</th><th>Source</th><th>CA certificates</th><th>Notifications</th><th></th></tr></thead><tbody>
${p.items.map((ta) => row(ta, now))}
</tbody></table>
${p.items.length === 0 ? html`<p class="muted">No trust anchors${q ? ' match' : ''}.</p>` : ''}
${pager({ prev: p.page > 1 ? link(p.page - 1) : undefined, next: p.page < p.pages ? link(p.page + 1) : undefined, summary: `${p.from}–${p.to} of ${fmt.format(filtered.length)}` })}`,
  };
}

function row(ta: TrustAnchor, now: Date) {
  const certs = certFacts(ta.source.sourceData.x509CertificateData);
  const caThreshold = ta.notificationSettings.find((n) => n.event === 'CA_CERTIFICATE_EXPIRY')?.threshold ?? 45;
  const verb = ta.enabled ? 'disable' : 'enable';
  return html`<tr data-id="${ta.trustAnchorId}"><td><strong>${ta.name}</strong><br><span class="mono">${ta.trustAnchorId}</span></td>
<td>${enabledBadge(ta.enabled)}</td>
<td>${ta.source.sourceType}${ta.source.sourceData.acmPcaArn ? html`<br><span class="mono">${ta.source.sourceData.acmPcaArn}</span>` : ''}</td>
<td>${certs.length === 0 ? html`<span class="muted">—</span>` : certs.map((f) => html`<div><span class="mono">${f.subject}</span><br>expires ${expiryCell(f.notAfter, now, caThreshold)}</div>`)}</td>
<td>${ta.notificationSettings.map((n) => html`<div>${n.event}: ${n.enabled ? 'on' : 'off'}${n.threshold !== undefined ? `, ${n.threshold} d before` : ''} <span class="muted">(${n.configuredBy})</span></div>`)}</td>
<td><a href="${`/console/trust-anchors/${seg(ta.trustAnchorId)}/${verb}`}" data-testid="${verb}">${verb === 'disable' ? 'Disable…' : 'Enable…'}</a></td></tr>`;
}
