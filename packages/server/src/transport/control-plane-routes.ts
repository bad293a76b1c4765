import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../core/auth/principal.js';
import { validationError } from '../core/errors/service-error.js';
import type { ProfileService } from '../core/roles-anywhere/profile-service.js';
import type { SubjectStore } from '../core/roles-anywhere/stores.js';
import type { TrustAnchorService } from '../core/roles-anywhere/trust-anchor-service.js';
import { notFound } from '../core/errors/service-error.js';
import { profileDetail, subjectDetail, subjectSummary, trustAnchorDetail } from './wire-shapes.js';

export interface ControlPlaneServices {
  trustAnchors: TrustAnchorService;
  profiles: ProfileService;
  subjects: SubjectStore;
}

export interface OperationContext {
  principal: Principal;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

/** One Roles Anywhere REST operation (botocore model: method, path, success status). */
export interface Operation {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  status: number;
  readOnly: boolean;
  run(s: ControlPlaneServices, ctx: OperationContext): Promise<Record<string, unknown> | undefined>;
}

const num = (q: URLSearchParams, k: string): number | undefined => {
  const v = q.get(k);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw validationError(`1 validation error detected: Value '${v}' at '${k}' failed to satisfy constraint: Member must be an integer`);
  return n;
};
const str = (q: URLSearchParams, k: string): string | undefined => q.get(k) ?? undefined;

/** The operations of service-spec §2 that this build serves. */
export const OPERATIONS: readonly Operation[] = [
  { name: 'CreateTrustAnchor', method: 'POST', url: '/trustanchors', status: 201, readOnly: false,
    run: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.create(c.body)) }) },
  { name: 'ListTrustAnchors', method: 'GET', url: '/trustanchors', status: 200, readOnly: true,
    run: async (s, c) => {
      const page = await s.trustAnchors.list(str(c.query, 'nextToken'), num(c.query, 'pageSize'));
      return { trustAnchors: page.items.map(trustAnchorDetail), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    } },
  { name: 'GetTrustAnchor', method: 'GET', url: '/trustanchor/:trustAnchorId', status: 200, readOnly: true,
    run: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.get(c.params.trustAnchorId!)) }) },
  { name: 'UpdateTrustAnchor', method: 'PATCH', url: '/trustanchor/:trustAnchorId', status: 200, readOnly: false,
    run: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.update({ ...c.body, trustAnchorId: c.params.trustAnchorId })) }) },
  { name: 'DeleteTrustAnchor', method: 'DELETE', url: '/trustanchor/:trustAnchorId', status: 200, readOnly: false,
    run: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.delete(c.params.trustAnchorId!)) }) },
  { name: 'EnableTrustAnchor', method: 'POST', url: '/trustanchor/:trustAnchorId/enable', status: 200, readOnly: false,
    run: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.setEnabled(c.params.trustAnchorId!, true)) }) },
  { name: 'DisableTrustAnchor', method: 'POST', url: '/trustanchor/:trustAnchorId/disable', status: 200, readOnly: false,
    run: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.setEnabled(c.params.trustAnchorId!, false)) }) },
  { name: 'CreateProfile', method: 'POST', url: '/profiles', status: 201, readOnly: false,
    run: async (s, c) => ({ profile: profileDetail(await s.profiles.create(c.body, c.principal.arn)) }) },
  { name: 'ListProfiles', method: 'GET', url: '/profiles', status: 200, readOnly: true,
    run: async (s, c) => {
      const page = await s.profiles.list(str(c.query, 'nextToken'), num(c.query, 'pageSize'));
      return { profiles: page.items.map(profileDetail), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    } },
  { name: 'GetProfile', method: 'GET', url: '/profile/:profileId', status: 200, readOnly: true,
    run: async (s, c) => ({ profile: profileDetail(await s.profiles.get(c.params.profileId!)) }) },
  { name: 'UpdateProfile', method: 'PATCH', url: '/profile/:profileId', status: 200, readOnly: false,
    run: async (s, c) => ({ profile: profileDetail(await s.profiles.update({ ...c.body, profileId: c.params.profileId })) }) },
  { name: 'DeleteProfile', method: 'DELETE', url: '/profile/:profileId', status: 200, readOnly: false,
    run: async (s, c) => ({ profile: profileDetail(await s.profiles.delete(c.params.profileId!)) }) },
  { name: 'EnableProfile', method: 'POST', url: '/profile/:profileId/enable', status: 200, readOnly: false,
    run: async (s, c) => ({ profile: profileDetail(await s.profiles.setEnabled(c.params.profileId!, true)) }) },
  { name: 'DisableProfile', method: 'POST', url: '/profile/:profileId/disable', status: 200, readOnly: false,
    run: async (s, c) => ({ profile: profileDetail(await s.profiles.setEnabled(c.params.profileId!, false)) }) },
  { name: 'ListSubjects', method: 'GET', url: '/subjects', status: 200, readOnly: true,
    run: async (s, c) => {
      const size = Math.min(num(c.query, 'pageSize') ?? 50, 500);
      const token = str(c.query, 'nextToken');
      const page = await s.subjects.listSubjects(token === undefined ? { pageSize: size } : { pageSize: size, nextToken: token });
      if (page === 'bad-token') throw validationError('Invalid nextToken');
      return { subjects: page.items.map(subjectSummary), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    } },
  { name: 'GetSubject', method: 'GET', url: '/subject/:subjectId', status: 200, readOnly: true,
    run: async (s, c) => {
      const sub = await s.subjects.getSubject(c.params.subjectId!);
      if (!sub) throw notFound('Resource not found');
      return { subject: subjectDetail(sub) };
    } },
];

/** JSON object body or ValidationException; an empty body is an empty object. */
export function jsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw validationError('Request body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw validationError('Request body must be a JSON object');
  return v as Record<string, unknown>;
}

export function sendJson(reply: FastifyReply, status: number, body: Record<string, unknown> | undefined, _req?: FastifyRequest): FastifyReply {
  reply.code(status).header('content-type', 'application/json');
  return reply.send(body === undefined ? '' : JSON.stringify(body));
}
