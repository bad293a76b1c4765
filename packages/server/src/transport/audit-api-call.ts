import { parseAuthorization, type RawHttpRequest } from '@mooring/protocol';
import { apiCallAuditEvent, type ApiCallFacts } from '../core/audit/api-call-event.js';
import type { AuditSink } from '../core/audit/audit-event.js';
import type { Clock } from '../core/ports/clock.js';
import type { Random } from '../core/ports/random.js';
import type { ServiceConfig } from '../core/ports/service-config.js';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../core/auth/principal.js';
import { ServiceError } from '../core/errors/service-error.js';
import type { Operation } from './control-plane-routes.js';
import { toWireError, type WireError } from './error-mapper.js';
import type { QueryCallOutcome } from './query/handle-query.js';
import { sourceIpOf } from './raw-request.js';

/** Audit plus the per-call counter, for every control-plane and IAM/STS call. */
export interface ApiCallAuditor {
  record(facts: Omit<ApiCallFacts, 'now'>): Promise<void>;
}

export function createApiCallAuditor(deps: {
  sink: AuditSink;
  clock: Clock;
  random: Random;
  config: ServiceConfig;
  onRecorded?: (facts: Omit<ApiCallFacts, 'now'>) => void;
}): ApiCallAuditor {
  return {
    async record(facts) {
      await deps.sink.record(apiCallAuditEvent(deps.config, deps.random, { ...facts, now: deps.clock.now() }));
      deps.onRecorded?.(facts);
    },
  };
}

/** The access key id an Authorization header names (a public identifier, never the secret). */
export function claimedAccessKeyId(raw: RawHttpRequest): string | undefined {
  const parsed = parseAuthorization(raw.headers.authorization);
  const id = parsed.ok ? parsed.value.credential.id : undefined;
  return id !== undefined && /^[A-Z0-9]{16,128}$/.test(id) ? id : undefined;
}

const lowerFirst = (s: string) => (s.length === 0 ? s : s[0]!.toLowerCase() + s.slice(1));

/**
 * Query form parameters as CloudTrail shows IAM/STS requestParameters: lowerCamelCase members,
 * `Action`/`Version` dropped, and `X.member.N[.Y]` lists folded into arrays
 * (`Tags.member.1.Key=k` → `tags: [{ key: 'k' }]`).
 */
export function queryRequestParameters(params: ReadonlyMap<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of params) {
    if (name === 'Action' || name === 'Version') continue;
    const m = /^([A-Za-z0-9]+)\.member\.(\d{1,3})(?:\.([A-Za-z0-9]+))?$/.exec(name);
    if (!m) {
      out[lowerFirst(name)] = value;
      continue;
    }
    const key = lowerFirst(m[1]!);
    const list = (Array.isArray(out[key]) ? out[key] : (out[key] = [])) as unknown[];
    const i = Number(m[2]) - 1;
    if (i < 0 || i >= 100) continue;
    if (m[3] === undefined) list[i] = value;
    else {
      const item = (typeof list[i] === 'object' && list[i] !== null ? list[i] : (list[i] = {})) as Record<string, unknown>;
      item[lowerFirst(m[3])] = value;
    }
  }
  for (const v of Object.values(out)) if (Array.isArray(v)) for (let i = 0; i < v.length; i++) v[i] ??= null;
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The inner XML of a Query `<XResult>` (which this server wrote: elements and text only) as the
 * JSON object CloudTrail shows in responseElements: lowerCamelCase members, `<member>` lists as
 * arrays. Anything it cannot read becomes null rather than failing the call.
 */
export function queryResponseElements(xml: string | undefined): Record<string, unknown> | null {
  if (!xml) return null;
  type Node = { name: string; children: Node[]; text: string };
  const root: Node = { name: '', children: [], text: '' };
  const stack: Node[] = [root];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z0-9_]+)(\/?)>|([^<]+)/g)) {
    const top = stack[stack.length - 1]!;
    if (m[4] !== undefined) top.text += m[4].replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!);
    else if (m[1]) {
      if (top.name !== m[2] || stack.length === 1) return null;
      stack.pop();
    } else {
      const node: Node = { name: m[2]!, children: [], text: '' };
      top.children.push(node);
      if (!m[3]) stack.push(node);
    }
  }
  if (stack.length !== 1) return null;
  const convert = (n: Node): unknown => {
    if (n.children.length === 0) return n.text;
    if (n.children.every((c) => c.name === 'member')) return n.children.map(convert);
    const o: Record<string, unknown> = {};
    for (const c of n.children) o[lowerFirst(c.name)] = convert(c);
    return o;
  };
  const out = convert(root);
  return typeof out === 'object' && out !== null && !Array.isArray(out) ? (out as Record<string, unknown>) : null;
}

const EVENT_SOURCE = { iam: 'iam.amazonaws.com', sts: 'sts.amazonaws.com' } as const;

/** A Query call's outcome as audit facts. Get*, List* and GetCallerIdentity are read-only. */
export function queryCallFacts(c: QueryCallOutcome, req: { raw: RawHttpRequest; sourceIp: string; userAgent: string }): Omit<ApiCallFacts, 'now'> {
  const name = c.action ?? 'UnknownAction';
  return {
    eventSource: EVENT_SOURCE[c.service],
    eventName: name,
    sourceIp: req.sourceIp,
    userAgent: req.userAgent,
    requestId: c.requestId,
    principal: c.principal,
    claimedAccessKeyId: c.principal ? undefined : claimedAccessKeyId(req.raw),
    readOnly: /^(Get|List)/.test(name),
    requestParameters: c.principal && c.params ? queryRequestParameters(c.params) : null,
    responseElements: c.error ? null : queryResponseElements(c.result),
    error: c.error ? { code: c.error.code, message: c.error.message } : undefined,
  };
}

/** How a control-plane call ended: its output, or the error (or the wire error already chosen). */
export interface RestCallResult {
  response?: Record<string, unknown> | undefined;
  error?: unknown;
  wire?: WireError;
}

/**
 * A control-plane call as audit facts. Only an authenticated caller's input is recorded: an
 * anonymous caller's body is unvalidated, and recording it would let anyone write into the trail.
 */
export function restCallFacts(
  op: Operation,
  http: { req: FastifyRequest; raw: RawHttpRequest; userAgent: string },
  principal: Principal | undefined,
  input: Record<string, unknown> | undefined,
  out: RestCallResult,
): Omit<ApiCallFacts, 'now'> {
  const w = out.wire ?? (out.error === undefined ? undefined : toWireError(out.error));
  return {
    eventSource: 'rolesanywhere.amazonaws.com',
    eventName: op.name,
    sourceIp: sourceIpOf(http.req),
    userAgent: http.userAgent,
    requestId: http.req.id,
    principal,
    claimedAccessKeyId: principal ? undefined : claimedAccessKeyId(http.raw),
    readOnly: op.readOnly,
    requestParameters: principal ? input : null,
    responseElements: out.response,
    error: w && { code: w.code, message: w.message, reason: out.error instanceof ServiceError ? out.error.reason : undefined },
  };
}
