import type { AuditQuery } from '../../../core/audit/audit-store.js';
import type { AuditRecord } from '../../../core/audit/audit-record.js';
import { validationError } from '../../../core/errors/service-error.js';
import { html, href } from '../html.js';
import { pager, type PageCall, type PageResult } from '../console-page.js';

const PAGE = 50;
/** Pages read at most per request when filtering by outcome (the store has no outcome index). */
const MAX_READS = 20;

/**
 * The audit trail. Reading it is authorised as `cloudtrail:LookupEvents` on `*`: Roles Anywhere
 * has no action for reading its own trail, and the records are CloudTrail events, so an operator's
 * existing CloudTrail-reader policy grants it (documented in docs/console.md). Times are UTC.
 */
export async function auditPage(c: PageCall): Promise<PageResult> {
  await c.authorizeAction('cloudtrail:LookupEvents', '*');
  const f = {
    serial: (c.query.get('serial') ?? '').trim().slice(0, 100),
    role: (c.query.get('role') ?? '').trim().slice(0, 2048),
    outcome: c.query.get('outcome') === 'success' || c.query.get('outcome') === 'failure' ? (c.query.get('outcome') as string) : '',
    since: (c.query.get('since') ?? '').trim(),
    until: (c.query.get('until') ?? '').trim(),
  };
  const criteria: AuditQuery = { limit: PAGE };
  if (f.serial) criteria.serial = f.serial;
  if (f.role) criteria.roleArn = f.role.startsWith('arn:') ? f.role : `arn:${c.deps.config.partition}:iam::${c.deps.config.accountId}:role/${f.role}`;
  const since = parseTime(f.since, 'since');
  const until = parseTime(f.until, 'until');
  if (since) criteria.since = since;
  if (until) criteria.until = until;

  const wanted = (r: AuditRecord) => f.outcome === '' || (f.outcome === 'failure') === (r.event.errorCode !== undefined);
  const records: AuditRecord[] = [];
  let token = c.query.get('next') ?? undefined;
  for (let reads = 0; reads < MAX_READS; reads++) {
    const page = await c.deps.audit.query({ ...criteria, ...(token ? { nextToken: token } : {}) });
    if (page === 'bad-token') throw validationError('Invalid nextToken');
    records.push(...page.records.filter(wanted));
    token = page.nextToken;
    if (!token || records.length >= PAGE) break;
  }
  const filters = { serial: f.serial, role: f.role, outcome: f.outcome, since: f.since, until: f.until };
  return {
    title: 'Audit trail',
    body: html`<h1>Audit trail</h1>
<form class="filters" method="get" action="/console/audit" role="search">
<label>Certificate serial (hex)<input name="serial" value="${f.serial}" data-testid="audit-serial"></label>
<label>Role (name or ARN)<input name="role" value="${f.role}"></label>
<label>Outcome<select name="outcome"><option value="">any</option><option value="success"${f.outcome === 'success' ? ' selected' : ''}>success</option><option value="failure"${f.outcome === 'failure' ? ' selected' : ''}>failure</option></select></label>
<label>Since (UTC)<input type="datetime-local" name="since" value="${f.since}"></label>
<label>Until (UTC)<input type="datetime-local" name="until" value="${f.until}"></label>
<button type="submit">Filter</button> <a href="/console/audit">Reset</a></form>
<p class="muted">Oldest first. Every CreateSession and every API call, successful or not, is recorded before its response leaves.</p>
<table data-testid="audit"><thead><tr><th>Time (UTC)</th><th>Event</th><th>Outcome</th><th>Certificate</th><th>Role / session</th><th>Source</th></tr></thead><tbody>
${records.map(row)}
</tbody></table>
${records.length === 0 ? html`<p class="muted">No records match.</p>` : ''}
${pager({ first: c.query.get('next') ? href('/console/audit', filters) : undefined, next: token ? href('/console/audit', { ...filters, next: token }) : undefined, summary: `${records.length} records` })}`,
  };
}

/** `datetime-local` values ("2025-01-02T03:04") or ISO-8601, read as UTC. */
function parseTime(v: string, name: string): Date | undefined {
  if (v === '') return undefined;
  const iso = /Z$|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw validationError(`Invalid ${name} time: expected YYYY-MM-DDTHH:MM (UTC)`);
  return d;
}

function row(r: AuditRecord) {
  const e = r.event;
  const cert = (e.userIdentity as { certificate?: { serialNumber?: string; subject?: string; issuer?: string } }).certificate;
  const params = e.requestParameters ?? {};
  const resp = e.responseElements ?? {};
  const reason = e.additionalEventData?.failureReason;
  return html`<tr data-seq="${r.seq}"><td>${e.eventTime}</td><td>${e.eventName}</td>
<td>${e.errorCode ? html`<span class="badge off">${e.errorCode}</span>${typeof reason === 'string' ? html`<br><span class="muted">${reason}</span>` : ''}` : html`<span class="badge on">success</span>`}</td>
<td>${cert ? html`<span class="mono">${cert.serialNumber ?? ''}</span><br><span class="mono">${cert.subject ?? ''}</span>` : html`<span class="muted">—</span>`}</td>
<td><span class="mono">${typeof params.roleArn === 'string' ? params.roleArn : ''}</span>${typeof resp.roleSessionName === 'string' ? html`<br>session ${resp.roleSessionName}` : ''}</td>
<td>${e.sourceIPAddress}</td></tr>`;
}
