import { resourceArn } from '../../../core/roles-anywhere/resource-ids.js';
import { certFacts } from '../cert-facts.js';
import { html, href, seg } from '../html.js';
import { errorBox } from '../layout.js';
import { fmt, pager, scanAll, slicePage, type PageCall, type PageResult } from '../console-page.js';
import { expiryCell } from './expiry-badge.js';

const HORIZONS = [30, 90, 180, 365];
const PAGE = 100;
/** Certificates that expired within this window are still listed: someone may still be using them. */
const RECENTLY_EXPIRED_MS = 30 * 86_400_000;

interface Entry {
  kind: 'CA' | 'leaf';
  subject: string;
  serialHex: string;
  notAfter: Date;
  where: { label: string; link?: string };
}

/**
 * Upcoming certificate expiries: the CA certificates of every trust anchor and, for every
 * subject, the leaf certificate it last presented (the one in use), soonest first, grouped by
 * month. Each half needs the permissions of the API calls that would reveal the same data.
 */
export async function expiriesPage(c: PageCall): Promise<PageResult> {
  const daysParam = Number(c.query.get('days'));
  const days = HORIZONS.includes(daysParam) ? daysParam : 90;
  const now = c.deps.clock.now();
  const horizon = now.getTime() + days * 86_400_000;
  const entries: Entry[] = [];
  const notes = [];

  if (await c.allowed('ListTrustAnchors')) {
    const tas = await scanAll((t) => c.deps.trustAnchors.list(t, 500), c.options.maxScan);
    for (const ta of tas.items)
      for (const f of certFacts(ta.source.sourceData.x509CertificateData))
        entries.push({ kind: 'CA', subject: f.subject, serialHex: f.serialHex, notAfter: f.notAfter, where: { label: `trust anchor ${ta.name}`, link: href('/console/trust-anchors', { q: ta.trustAnchorId }) } });
  } else notes.push(errorBox('', 'CA certificates are not shown: you are not allowed rolesanywhere:ListTrustAnchors.', 'AccessDeniedException'));

  const subjectsAllowed = (await c.allowed('ListSubjects')) && (await c.allowed('GetSubject', { resourceArn: resourceArn(c.deps.config, 'subject', '*') }));
  if (subjectsAllowed) {
    const subjects = await scanAll((t) => c.deps.subjects.list(t, 500), c.options.maxScan);
    if (subjects.truncated) notes.push(html`<p class="notice">Only the first ${fmt.format(c.options.maxScan)} subjects were examined.</p>`);
    for (const s of subjects.items) {
      const latest = s.credentials.reduce<(typeof s.credentials)[number] | undefined>((a, b) => (!a || b.seenAt > a.seenAt ? b : a), undefined);
      const f = latest ? certFacts(latest.x509CertificateData)[0] : undefined;
      if (!f || f.notAfter.getTime() > horizon) continue;
      // The certificate is the subject's credential history (GetSubject): per subject, so a
      // Deny naming one subject or its tags holds here too.
      if (!(await c.allowed('GetSubject', { subjectId: s.subjectId }))) continue;
      entries.push({ kind: 'leaf', subject: f.subject, serialHex: f.serialHex, notAfter: f.notAfter, where: { label: s.x509Subject, link: `/console/subjects/${seg(s.subjectId)}` } });
    }
  } else notes.push(errorBox('', 'Leaf certificates are not shown: you are not allowed rolesanywhere:ListSubjects and rolesanywhere:GetSubject.', 'AccessDeniedException'));

  const due = entries
    .filter((e) => e.notAfter.getTime() <= horizon && e.notAfter.getTime() >= now.getTime() - RECENTLY_EXPIRED_MS)
    .sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime());
  const pg = slicePage(due, c.query.get('page'), PAGE);
  const link = (page: number) => href('/console/expiries', { days, page });
  let month = '';
  const rows = pg.items.map((e) => {
    const m = e.notAfter.toISOString().slice(0, 7);
    const heading = m !== month ? html`<tr class="timeline-month"><th colspan="4">${m}</th></tr>` : '';
    month = m;
    return html`${heading}<tr data-kind="${e.kind}"><td>${expiryCell(e.notAfter, now)}</td><td>${e.kind}</td>
<td><span class="mono">${e.subject}</span><br><span class="muted mono">serial ${e.serialHex}</span></td>
<td>${e.where.link ? html`<a href="${e.where.link}">${e.where.label}</a>` : e.where.label}</td></tr>`;
  });
  return {
    title: 'Expiries',
    body: html`<h1>Certificate expiries</h1>${notes}
<form class="filters" method="get" action="/console/expiries"><label>Horizon<select name="days">${HORIZONS.map((d) => html`<option value="${d}"${d === days ? ' selected' : ''}>next ${d} days</option>`)}</select></label><button type="submit">Show</button></form>
<p class="muted">${fmt.format(due.length)} certificates expire within ${days} days (or expired in the last 30).</p>
<table data-testid="expiries"><thead><tr><th>Expires</th><th>Kind</th><th>Certificate</th><th>Where</th></tr></thead><tbody>${rows}</tbody></table>
${pager({ prev: pg.page > 1 ? link(pg.page - 1) : undefined, next: pg.page < pg.pages ? link(pg.page + 1) : undefined, summary: `${pg.from}–${pg.to} of ${fmt.format(due.length)}` })}`,
  };
}
