import type { FastifyReply } from 'fastify';
import type { Principal } from '../core/auth/principal.js';
import { MODEL_OPERATIONS, MODEL_SHAPES } from '../core/errors/rolesanywhere-model.js';
import { validationError } from '../core/errors/service-error.js';
import type { CrlService } from '../core/roles-anywhere/crl-service.js';
import type { Page } from '../core/roles-anywhere/page.js';
import type { ProfileService } from '../core/roles-anywhere/profile-service.js';
import type { SubjectService } from '../core/roles-anywhere/subject-service.js';
import type { TagService } from '../core/roles-anywhere/tag-service.js';
import type { TrustAnchorService } from '../core/roles-anywhere/trust-anchor-service.js';
import { crlDetail, profileDetail, subjectDetail, subjectSummary, trustAnchorDetail } from './wire-shapes.js';

export interface ControlPlaneServices {
  trustAnchors: TrustAnchorService;
  profiles: ProfileService;
  subjects: SubjectService;
  crls: CrlService;
  tags: TagService;
}

export interface OperationContext {
  principal: Principal;
  /** The operation's input, assembled from path, query and body by the model's member locations. */
  input: Record<string, unknown>;
}

type Out = Record<string, unknown> | undefined;
type Handler = (s: ControlPlaneServices, c: OperationContext) => Promise<Out>;

/** One Roles Anywhere REST operation; method, path and status come from the botocore model. */
export interface Operation {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  status: number;
  readOnly: boolean;
  /** Members bound to the URI or query string, with their model shapes' types. */
  bindings: Array<{ member: string; location: 'uri' | 'querystring'; name: string; type: string }>;
  run: Handler;
}

const id = (c: OperationContext, k: string) => c.input[k] as string;
const page = <T>(key: string, p: Page<T>, shape: (t: T) => Record<string, unknown>): Out => ({
  [key]: p.items.map(shape),
  ...(p.nextToken ? { nextToken: p.nextToken } : {}),
});

/** All 30 control-plane operations of service-spec §2. */
const HANDLERS: Record<string, Handler> = {
  CreateTrustAnchor: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.create(c.input)) }),
  ListTrustAnchors: async (s, c) => page('trustAnchors', await s.trustAnchors.list(c.input.nextToken, c.input.pageSize), trustAnchorDetail),
  GetTrustAnchor: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.get(id(c, 'trustAnchorId'))) }),
  UpdateTrustAnchor: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.update(c.input)) }),
  DeleteTrustAnchor: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.delete(id(c, 'trustAnchorId'))) }),
  EnableTrustAnchor: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.setEnabled(id(c, 'trustAnchorId'), true)) }),
  DisableTrustAnchor: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.setEnabled(id(c, 'trustAnchorId'), false)) }),
  PutNotificationSettings: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.putNotificationSettings(c.input)) }),
  ResetNotificationSettings: async (s, c) => ({ trustAnchor: trustAnchorDetail(await s.trustAnchors.resetNotificationSettings(c.input)) }),

  CreateProfile: async (s, c) => ({ profile: profileDetail(await s.profiles.create(c.input, c.principal.arn)) }),
  ListProfiles: async (s, c) => page('profiles', await s.profiles.list(c.input.nextToken, c.input.pageSize), profileDetail),
  GetProfile: async (s, c) => ({ profile: profileDetail(await s.profiles.get(id(c, 'profileId'))) }),
  UpdateProfile: async (s, c) => ({ profile: profileDetail(await s.profiles.update(c.input)) }),
  DeleteProfile: async (s, c) => ({ profile: profileDetail(await s.profiles.delete(id(c, 'profileId'))) }),
  EnableProfile: async (s, c) => ({ profile: profileDetail(await s.profiles.setEnabled(id(c, 'profileId'), true)) }),
  DisableProfile: async (s, c) => ({ profile: profileDetail(await s.profiles.setEnabled(id(c, 'profileId'), false)) }),
  PutAttributeMapping: async (s, c) => ({ profile: profileDetail(await s.profiles.putAttributeMapping(c.input)) }),
  DeleteAttributeMapping: async (s, c) => ({ profile: profileDetail(await s.profiles.deleteAttributeMapping(c.input)) }),

  ImportCrl: async (s, c) => ({ crl: crlDetail(await s.crls.importCrl(c.input)) }),
  ListCrls: async (s, c) => page('crls', await s.crls.list(c.input.nextToken, c.input.pageSize), crlDetail),
  GetCrl: async (s, c) => ({ crl: crlDetail(await s.crls.get(id(c, 'crlId'))) }),
  UpdateCrl: async (s, c) => ({ crl: crlDetail(await s.crls.update(c.input)) }),
  DeleteCrl: async (s, c) => ({ crl: crlDetail(await s.crls.delete(id(c, 'crlId'))) }),
  EnableCrl: async (s, c) => ({ crl: crlDetail(await s.crls.setEnabled(id(c, 'crlId'), true)) }),
  DisableCrl: async (s, c) => ({ crl: crlDetail(await s.crls.setEnabled(id(c, 'crlId'), false)) }),

  ListSubjects: async (s, c) => page('subjects', await s.subjects.list(c.input.nextToken, c.input.pageSize), subjectSummary),
  GetSubject: async (s, c) => ({ subject: subjectDetail(await s.subjects.get(id(c, 'subjectId'))) }),

  TagResource: async (s, c) => {
    await s.tags.tagResource(c.input);
    return undefined;
  },
  UntagResource: async (s, c) => {
    await s.tags.untagResource(c.input);
    return undefined;
  },
  ListTagsForResource: async (s, c) => ({ tags: await s.tags.listTags(c.input) }),
};

function bindingsOf(inputShape: string): Operation['bindings'] {
  const out: Operation['bindings'] = [];
  for (const [member, m] of Object.entries(MODEL_SHAPES[inputShape]?.members ?? {})) {
    if (m.location === 'uri' || m.location === 'querystring')
      out.push({ member, location: m.location, name: m.locationName ?? member, type: MODEL_SHAPES[m.shape]?.type ?? 'string' });
  }
  return out;
}

/** The operations, routed exactly as the model binds them (`{id}` → fastify `:id`). */
export const OPERATIONS: readonly Operation[] = Object.entries(MODEL_OPERATIONS).map(([name, op]) => {
  const run = HANDLERS[name];
  if (!run) throw new Error(`no handler for ${name}`);
  return {
    name,
    method: op.method,
    url: op.requestUri.replace(/\{(\w+)\}/g, ':$1'),
    status: op.responseCode,
    readOnly: name.startsWith('Get') || name.startsWith('List'),
    bindings: bindingsOf(op.input),
    run,
  };
});

/**
 * The operation input: JSON body members (unknown ones are kept but ignored by the model
 * check), then URI labels and query parameters by their model locations, which win over a body
 * member of the same name. Query integers are converted only when they are integers, so the
 * model check reports anything else in Coral form.
 */
export function operationInput(op: Operation, params: Record<string, string>, query: URLSearchParams, body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = { ...body };
  for (const b of op.bindings) {
    delete input[b.member];
    if (b.location === 'uri') {
      input[b.member] = params[b.name];
      continue;
    }
    const all = query.getAll(b.name);
    if (all.length === 0) continue;
    if (b.type === 'list') input[b.member] = all;
    else if (b.type === 'integer') input[b.member] = /^-?\d{1,15}$/.test(all[0]!) ? Number(all[0]) : all[0];
    else input[b.member] = all[0];
  }
  return input;
}

/**
 * JSON object body or ValidationException; an empty body is an empty object. A body sent with a
 * content type other than JSON is refused (rest-json, service-spec §0).
 */
export function jsonBody(body: Buffer, contentType?: string): Record<string, unknown> {
  if (body.length === 0) return {};
  if (contentType !== undefined && !/^application\/(x-amz-json-1\.[01]|json)\b/i.test(contentType.trim()))
    throw validationError(`Unsupported content type: ${contentType.slice(0, 100)}; expected application/json`);
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw validationError('Request body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw validationError('Request body must be a JSON object');
  return v as Record<string, unknown>;
}

export function sendJson(reply: FastifyReply, status: number, body: Record<string, unknown> | undefined): FastifyReply {
  reply.code(status).header('content-type', 'application/json');
  return reply.send(body === undefined ? '' : JSON.stringify(body));
}
