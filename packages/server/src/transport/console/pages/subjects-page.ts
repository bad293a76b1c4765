import { resourceArn } from '../../../core/roles-anywhere/resource-ids.js';
import type { Subject } from '../../../core/roles-anywhere/subject.js';
import { certFacts } from '../cert-facts.js';
import { html, href, seg } from '../html.js';
import { enabledBadge, relative, when } from '../layout.js';
import { fmt, matches, pager, scanAll, slicePage, type PageCall, type PageResult } from '../console-page.js';
import { expiryCell } from './expiry-badge.js';

const SIZES = [25, 50, 100, 200];

/**
 * Subjects (ListSubjects). Without a search the store's own pagination is used, so a page costs
 * one indexed read however many subjects exist; a search scans up to `maxScan` subjects and pages
 * the matches. Certificate columns come from the subjects' credential history, which the API
 * exposes through GetSubject: the columns appear when GetSubject is allowed on `…:subject/*`, and
 * each row is filled in only if GetSubject is allowed on that subject (a Deny naming it or its
 * tags holds); a policy naming single subjects sees the summary columns only.
 */
export async function subjectsPage(c: PageCall): Promise<PageResult> {
  await c.authorize('ListSubjects');
  const showDetail = await c.allowed('GetSubject', { resourceArn: resourceArn(c.deps.config, 'subject', '*') });
  const q = (c.query.get('q') ?? '').slice(0, 200);
  const sizeParam = Number(c.query.get('size'));
  const size = SIZES.includes(sizeParam) ? sizeParam : 50;
  const now = c.deps.clock.now();

  let items: Subject[];
  let nav;
  if (q === '') {
    const token = c.query.get('next') ?? undefined;
    const page = await c.deps.subjects.list(token, size);
    items = page.items;
    nav = pager({
      first: token ? href('/console/subjects', { size }) : undefined,
      next: page.nextToken ? href('/console/subjects', { size, next: page.nextToken }) : undefined,
      summary: `${fmt.format(items.length)} subjects on this page`,
    });
  } else {
    const all = await scanAll((t) => c.deps.subjects.list(t, 500), c.options.maxScan);
    const found: Subject[] = [];
    for (const s of all.items) {
      if (matches(q, s.x509Subject, s.subjectId)) found.push(s);
      // A hit on a certificate serial reveals the credential history: only where GetSubject is
      // allowed on that very subject (an explicit Deny on it, or on its tags, holds).
      else if (showDetail && matches(q, ...s.credentials.map((x) => x.serialNumber)) && (await c.allowed('GetSubject', { subjectId: s.subjectId }))) found.push(s);
    }
    const pg = slicePage(found, c.query.get('page'), size);
    const link = (page: number) => href('/console/subjects', { q, size, page });
    items = pg.items;
    nav = pager({
      prev: pg.page > 1 ? link(pg.page - 1) : undefined,
      next: pg.page < pg.pages ? link(pg.page + 1) : undefined,
      summary: `${pg.from}–${pg.to} of ${fmt.format(found.length)} matches${all.truncated ? ` (first ${fmt.format(c.options.maxScan)} subjects searched)` : ''}`,
    });
  }
  return {
    title: 'Subjects',
    body: html`<h1>Subjects</h1>
<form class="filters" method="get" action="/console/subjects" role="search">
<label>Subject DN, id${showDetail ? ' or certificate serial' : ''}<input type="search" name="q" value="${q}" data-testid="subject-search"></label>
<label>Per page<select name="size">${SIZES.map((n) => html`<option value="${n}"${n === size ? ' selected' : ''}>${n}</option>`)}</select></label>
<button type="submit">Search</button></form>
<table data-testid="subjects"><thead><tr><th>Subject</th><th>Status</th><th>Last seen</th><th>Created</th>${showDetail ? html`<th>Latest certificate</th><th>Recent failures</th>` : ''}</tr></thead><tbody>
${await Promise.all(items.map(async (s) => row(s, now, showDetail && (await c.allowed('GetSubject', { subjectId: s.subjectId })), showDetail)))}
</tbody></table>
${items.length === 0 ? html`<p class="muted">No subjects${q ? ' match' : ' yet: a subject appears with its first CreateSession'}.</p>` : ''}
${nav}`,
  };
}

/** `columns`: the certificate columns are shown; `detail`: this subject's may be filled in (GetSubject on it). */
function row(s: Subject, now: Date, detail: boolean, columns: boolean) {
  const latest = s.credentials.reduce<Subject['credentials'][number] | undefined>((a, b) => (!a || b.seenAt > a.seenAt ? b : a), undefined);
  const failures = s.credentials.filter((x) => x.failed).length;
  const cert = latest ? certFacts(latest.x509CertificateData)[0] : undefined;
  const certificateCells = !columns
    ? ''
    : !detail
      ? html`<td class="muted" data-testid="detail-denied">—</td><td class="muted">—</td>`
      : html`<td>${latest ? html`<span class="mono">${latest.serialNumber}</span>${cert ? html`<br>expires ${expiryCell(cert.notAfter, now)}` : ''}` : '—'}</td>
<td>${failures > 0 ? html`<span class="badge off">${failures} of ${s.credentials.length}</span>` : html`<span class="muted">0 of ${s.credentials.length}</span>`}</td>`;
  return html`<tr data-id="${s.subjectId}"><td><a href="${`/console/subjects/${seg(s.subjectId)}`}" class="mono">${s.x509Subject}</a></td>
<td>${enabledBadge(s.enabled)}</td><td>${relative(s.lastSeenAt, now)}<br><span class="muted">${when(s.lastSeenAt)}</span></td><td>${when(s.createdAt)}</td>
${certificateCells}</tr>`;
}

/** One subject (GetSubject): recent certificates with outcome, instance properties. */
export async function subjectDetailPage(c: PageCall): Promise<PageResult> {
  const id = c.params.id ?? '';
  await c.authorize('GetSubject', { subjectId: id });
  const s = await c.deps.subjects.get(id);
  const now = c.deps.clock.now();
  const creds = [...s.credentials].sort((a, b) => b.seenAt.getTime() - a.seenAt.getTime());
  return {
    title: s.x509Subject,
    body: html`<p><a href="/console/subjects">← Subjects</a></p>
<h1 class="mono">${s.x509Subject}</h1>
<p>${enabledBadge(s.enabled)} <span class="mono">${s.subjectArn}</span></p>
<p>Last seen ${when(s.lastSeenAt)} (${relative(s.lastSeenAt, now)}), first seen ${when(s.createdAt)}.</p>
<h2>Recent certificates</h2>
<table data-testid="credentials"><thead><tr><th>Seen</th><th>Outcome</th><th>Serial</th><th>Issuer</th><th>Expires</th><th></th></tr></thead><tbody>
${creds.map((x) => {
  const cert = certFacts(x.x509CertificateData)[0];
  return html`<tr><td>${when(x.seenAt)}</td><td>${x.failed ? html`<span class="badge off">failed</span>` : html`<span class="badge on">ok</span>`}</td>
<td class="mono">${x.serialNumber}</td><td class="mono">${x.issuer}</td><td>${cert ? expiryCell(cert.notAfter, now) : '—'}</td>
<td><a href="${href('/console/audit', { serial: x.serialNumber })}">audit</a></td></tr>`;
})}
</tbody></table>
<h2>Instance properties</h2>
${(s.instanceProperties ?? []).length === 0 ? html`<p class="muted">None reported.</p>` : html`<table><thead><tr><th>Seen</th><th>Outcome</th><th>Properties</th></tr></thead><tbody>
${(s.instanceProperties ?? []).map((p) => html`<tr><td>${when(p.seenAt)}</td><td>${p.failed ? 'failed' : 'ok'}</td><td class="mono">${Object.entries(p.properties).map(([k, v]) => html`<div>${k}=${v}</div>`)}</td></tr>`)}
</tbody></table>`}`,
  };
}
