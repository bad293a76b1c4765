import type { Crl } from '../../../core/roles-anywhere/crl.js';
import { html, href, seg } from '../html.js';
import { enabledBadge, relative, when } from '../layout.js';
import { fmt, matches, pager, scanAll, slicePage, type PageCall, type PageResult } from '../console-page.js';

const PAGE = 25;

/** CRLs: issuer, age (thisUpdate), staleness (nextUpdate), entries, enabled (ListCrls). */
export async function crlsPage(c: PageCall): Promise<PageResult> {
  await c.authorize('ListCrls');
  const q = c.query.get('q') ?? '';
  const all = await scanAll((t) => c.deps.crls.list(t, 500), c.options.maxScan);
  const filtered = all.items.filter((x) => matches(q, x.name, x.crlId, x.issuer, x.trustAnchorArn));
  const pg = slicePage(filtered, c.query.get('page'), PAGE);
  const now = c.deps.clock.now();
  const link = (page: number) => href('/console/crls', { q, page });
  return {
    title: 'CRLs',
    body: html`<h1>Certificate revocation lists</h1>
<form class="filters" method="get" action="/console/crls" role="search">
<label>Name, id or issuer<input type="search" name="q" value="${q}"></label><button type="submit">Search</button></form>
<table data-testid="crls"><thead><tr><th>Name</th><th>Status</th><th>Issuer</th><th>Age (thisUpdate)</th><th>Next update</th><th>Entries</th><th>Trust anchor</th><th></th></tr></thead><tbody>
${pg.items.map((x) => row(x, now))}
</tbody></table>
${pg.items.length === 0 ? html`<p class="muted">No CRLs${q ? ' match' : ''}.</p>` : ''}
${pager({ prev: pg.page > 1 ? link(pg.page - 1) : undefined, next: pg.page < pg.pages ? link(pg.page + 1) : undefined, summary: `${pg.from}–${pg.to} of ${fmt.format(filtered.length)}` })}`,
  };
}

function row(x: Crl, now: Date) {
  const verb = x.enabled ? 'disable' : 'enable';
  // service-spec §7: a CRL past nextUpdate is stale; the server's --stale-crl-policy decides what that means.
  const stale = x.nextUpdate !== undefined && x.nextUpdate.getTime() < now.getTime();
  return html`<tr data-id="${x.crlId}"><td><strong>${x.name}</strong><br><span class="mono">${x.crlId}</span></td>
<td>${enabledBadge(x.enabled)}</td>
<td class="mono">${x.issuer}</td>
<td>${relative(x.thisUpdate, now)}<br><span class="muted">${when(x.thisUpdate)}</span></td>
<td>${x.nextUpdate ? html`${when(x.nextUpdate)}${stale ? html` <span class="badge warn">stale</span>` : ''}` : html`<span class="muted">none</span>`}</td>
<td>${fmt.format(x.revokedCount)}</td>
<td class="mono">${x.trustAnchorId}</td>
<td><a href="${`/console/crls/${seg(x.crlId)}/${verb}`}" data-testid="${verb}">${verb === 'disable' ? 'Disable…' : 'Enable…'}</a></td></tr>`;
}
