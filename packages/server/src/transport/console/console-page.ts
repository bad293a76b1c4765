import type { Principal } from '../../core/auth/principal.js';
import { ServiceError } from '../../core/errors/service-error.js';
import { authorizeOperation } from '../authorize-operation.js';
import type { ConsoleDeps, ConsoleOptions } from './console-deps.js';
import { html, type HtmlValue, type SafeHtml } from './html.js';
import type { PageContext } from './layout.js';

/** Everything a page handler sees about the request it answers. */
export interface PageCall {
  deps: ConsoleDeps;
  options: Required<ConsoleOptions>;
  principal: Principal;
  ctx: PageContext;
  query: URLSearchParams;
  params: Record<string, string>;
  sourceIp: string;
  /** Throws AccessDeniedException exactly as the API would for `rolesanywhere:<opName>` with this input. */
  authorize(opName: string, input?: Record<string, unknown>): Promise<void>;
  /** Any other IAM action (e.g. cloudtrail:LookupEvents for the audit trail). */
  authorizeAction(action: string, resource: string): Promise<void>;
  /** true/false instead of throwing; for optional parts of a page. */
  allowed(opName: string, input?: Record<string, unknown>): Promise<boolean>;
}

export type PageResult = { title: string; body: HtmlValue; status?: number } | { redirect: string };
export type PageHandler = (c: PageCall) => Promise<PageResult>;

export function pageCall(deps: ConsoleDeps, options: Required<ConsoleOptions>, principal: Principal, ctx: PageContext, query: URLSearchParams, params: Record<string, string>, sourceIp: string): PageCall {
  // Same decision procedure as the REST API (authorize-operation.ts): the console is just another client.
  const authorize = (opName: string, input: Record<string, unknown> = {}) => authorizeOperation(deps, principal, opName, input, sourceIp);
  return {
    deps,
    options,
    principal,
    ctx,
    query,
    params,
    sourceIp,
    authorize,
    async authorizeAction(action, resource) {
      const d = await deps.authorizer.authorize(principal, { action, resource, context: { 'aws:SourceIp': sourceIp } });
      if (!d.ok) throw new ServiceError('AccessDeniedException', d.message, d.reason);
    },
    async allowed(opName, input = {}) {
      try {
        await authorize(opName, input);
        return true;
      } catch (e) {
        if (e instanceof ServiceError && e.code === 'AccessDeniedException') return false;
        throw e;
      }
    },
  };
}

/** Next/previous links; `summary` says where we are (e.g. "51–100 of 1,000"). */
export function pager(o: { prev?: string | undefined; next?: string | undefined; summary?: string; first?: string | undefined }): SafeHtml {
  return html`<nav class="pager" aria-label="pagination">
${o.first ? html`<a href="${o.first}" data-testid="first-page">First page</a>` : ''}
${o.prev ? html`<a href="${o.prev}" rel="prev" data-testid="prev-page">← Previous</a>` : ''}
<span data-testid="page-summary">${o.summary ?? ''}</span>
${o.next ? html`<a href="${o.next}" rel="next" data-testid="next-page">Next →</a>` : ''}</nav>`;
}

/** An offset page of an in-memory list (`page` is 1-based, clamped). */
export function slicePage<T>(items: readonly T[], pageParam: string | null, size: number): { items: T[]; page: number; pages: number; from: number; to: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const n = Number(pageParam);
  const page = Number.isInteger(n) && n >= 1 ? Math.min(n, pages) : 1;
  const from = (page - 1) * size;
  const slice = items.slice(from, from + size);
  return { items: slice, page, pages, from: items.length === 0 ? 0 : from + 1, to: from + slice.length };
}

/** Every item of a paginated listing, up to `max` (listings of anchors, profiles, CRLs are small by quota). */
export async function scanAll<T>(list: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken?: string }>, max: number): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const p = await list(token);
    items.push(...p.items);
    token = p.nextToken;
  } while (token !== undefined && items.length < max);
  return { items: items.slice(0, max), truncated: token !== undefined || items.length > max };
}

/** Case-insensitive substring match over several fields. */
export function matches(q: string, ...fields: Array<string | undefined>): boolean {
  const needle = q.trim().toLowerCase();
  return needle === '' || fields.some((f) => f !== undefined && f.toLowerCase().includes(needle));
}

export const fmt = new Intl.NumberFormat('en-US');
