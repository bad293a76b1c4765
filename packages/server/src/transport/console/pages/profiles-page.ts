import type { Profile } from '../../../core/roles-anywhere/profile.js';
import { html, href, seg } from '../html.js';
import { enabledBadge } from '../layout.js';
import { fmt, matches, pager, scanAll, slicePage, type PageCall, type PageResult } from '../console-page.js';

const PAGE = 25;

/** Profiles: roles, session policy, managed policies, attribute mappings (ListProfiles). */
export async function profilesPage(c: PageCall): Promise<PageResult> {
  await c.authorize('ListProfiles');
  const q = c.query.get('q') ?? '';
  const all = await scanAll((t) => c.deps.profiles.list(t, 500), c.options.maxScan);
  const filtered = all.items.filter((p) => matches(q, p.name, p.profileId, ...p.roleArns));
  const pg = slicePage(filtered, c.query.get('page'), PAGE);
  const link = (page: number) => href('/console/profiles', { q, page });
  return {
    title: 'Profiles',
    body: html`<h1>Profiles</h1>
<form class="filters" method="get" action="/console/profiles" role="search">
<label>Name, id or role ARN<input type="search" name="q" value="${q}"></label><button type="submit">Search</button></form>
<table data-testid="profiles"><thead><tr><th>Name</th><th>Status</th><th>Roles</th><th>Duration</th><th>Session policy</th><th>Attribute mappings</th><th></th></tr></thead><tbody>
${pg.items.map(row)}
</tbody></table>
${pg.items.length === 0 ? html`<p class="muted">No profiles${q ? ' match' : ''}.</p>` : ''}
${pager({ prev: pg.page > 1 ? link(pg.page - 1) : undefined, next: pg.page < pg.pages ? link(pg.page + 1) : undefined, summary: `${pg.from}–${pg.to} of ${fmt.format(filtered.length)}` })}`,
  };
}

function prettyPolicy(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function row(p: Profile) {
  const verb = p.enabled ? 'disable' : 'enable';
  return html`<tr data-id="${p.profileId}" data-name="${p.name}"><td><strong>${p.name}</strong><br><span class="mono">${p.profileId}</span><br><span class="muted">created by ${p.createdBy}</span></td>
<td>${enabledBadge(p.enabled)}${p.requireInstanceProperties ? html`<br><span class="muted">requires instance properties</span>` : ''}</td>
<td>${p.roleArns.map((r) => html`<div class="mono">${r}</div>`)}</td>
<td>${p.durationSeconds} s${p.acceptRoleSessionName ? html`<br><span class="muted">accepts roleSessionName</span>` : ''}</td>
<td>${p.sessionPolicy !== undefined ? html`<pre>${prettyPolicy(p.sessionPolicy)}</pre>` : ''}${(p.managedPolicyArns ?? []).map((a) => html`<div class="mono">${a}</div>`)}${p.sessionPolicy === undefined && !p.managedPolicyArns?.length ? html`<span class="muted">none</span>` : ''}</td>
<td>${p.attributeMappings.map((m) => html`<div>${m.certificateField}: <span class="mono">${m.mappingRules.map((r) => r.specifier).join(', ')}</span></div>`)}</td>
<td><a href="${`/console/profiles/${seg(p.profileId)}/${verb}`}" data-testid="${verb}">${verb === 'disable' ? 'Disable…' : 'Enable…'}</a></td></tr>`;
}
