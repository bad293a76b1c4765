import { parseAuthorization } from '@mooring/protocol';
import type { RawHttpRequest } from '@mooring/protocol';
import { authErrorToWire } from '../../core/auth/auth-errors.js';
import type { Authenticator } from '../../core/auth/authenticate.js';
import type { Authorizer } from '../../core/auth/authorizer.js';
import type { Principal } from '../../core/auth/principal.js';
import { AccessDeniedError, IamError } from '../../core/iam/iam-errors.js';
import type { ManagedPolicyService } from '../../core/iam/managed-policy-service.js';
import type { RoleService } from '../../core/iam/role-service.js';
import type { Random } from '../../core/ports/random.js';
import type { ServiceConfig } from '../../core/ports/service-config.js';
import { parseQueryParams } from './form.js';
import { IAM_ACTIONS } from './iam-actions.js';
import { iamAuthorizationTarget } from './iam-authz-target.js';
import {
  QUERY_SERVICES,
  QueryError,
  errorResponse,
  successResponse,
  type QueryHttpResponse,
  type QueryService,
} from './query-response.js';
import { STS_ACTIONS } from './sts-actions.js';

export interface QueryHandlerDeps {
  roles: RoleService;
  /** Managed policies and attachments; the policy actions need it. */
  policies?: ManagedPolicyService;
  /**
   * Identity-policy authorisation of every IAM action. Without it only the bootstrap admin may
   * call IAM (the pre-authoriser behaviour), so a partially wired server fails closed.
   */
  authorizer?: Authorizer;
  authenticator: Authenticator;
  config: ServiceConfig;
  random: Random;
  /** Called with unexpected errors (answered as a bare 500); for the operator's log. */
  onInternalError?: (err: unknown) => void;
  /**
   * Called once per request with its outcome, and awaited before the response is returned: the
   * audit trail records every call durably before the caller sees the answer (issue
   * [revocation-audit] item 3). If it throws, the caller gets a generic 500 instead.
   */
  onCall?: (call: QueryCallOutcome) => Promise<void>;
  /**
   * When set, Mooring's own STS is off (broker mode: sessions come from AWS STS) and every STS
   * call gets this explanation, before authentication, since AWS-issued credentials cannot be
   * authenticated here and would otherwise see a misleading InvalidClientTokenId.
   */
  stsDisabledMessage?: string;
}

/** The request id to answer with (the HTTP layer's x-amzn-RequestId); a fresh one when absent. */
/** `sourceIp` as `sourceIpOf` gives it (raw-request.ts). */
export type QueryRequest = RawHttpRequest & { sourceIp: string; requestId?: string };

/** What one Query call did, for the audit trail and metrics. */
export interface QueryCallOutcome {
  service: QueryService;
  /** The action as sent when it looks like one (letters and digits), else undefined. */
  action: string | undefined;
  known: boolean;
  requestId: string;
  principal?: Principal | undefined;
  /** The form parameters, for authenticated calls only (an anonymous caller's input is not recorded). */
  params?: ReadonlyMap<string, string> | undefined;
  /** The inner XML of `<XResult>`, on success. */
  result?: string | undefined;
  error?: { status: number; code: string; message: string } | undefined;
}

/**
 * Framework-neutral entry point for the AWS Query protocol (IAM 2010-05-08, STS 2011-06-15):
 * form-encoded parameters, SigV4 authentication, XML results and `<ErrorResponse>` errors.
 * Every error leaves through `errorResponse`; anything unexpected becomes a generic 500 that
 * reveals nothing (style-anchors §8 habit 9).
 */
export async function handleQueryRequest(req: QueryRequest, deps: QueryHandlerDeps): Promise<QueryHttpResponse> {
  const requestId = req.requestId ?? deps.random.uuid();
  const params = parseQueryParams(req.query, req.body, header(req, 'content-type'));
  const service = pickService(req, params.ok ? params.params.get('Version') : undefined);
  const rawAction = params.ok ? params.params.get('Action') : undefined;
  const outcome: QueryCallOutcome = {
    service,
    action: rawAction !== undefined && /^[A-Za-z0-9]{1,64}$/.test(rawAction) ? rawAction : undefined,
    known: false,
    requestId,
  };
  const response = await dispatch(req, deps, params, service, outcome);
  if (!deps.onCall) return response;
  try {
    await deps.onCall(outcome);
    return response;
  } catch (err) {
    deps.onInternalError?.(err);
    return internalError(service, requestId);
  }
}

function internalError(service: QueryService, requestId: string): QueryHttpResponse {
  return errorResponse(
    service,
    { status: 500, code: QUERY_SERVICES[service].internalErrorCode, message: 'An internal error occurred.', fault: 'Receiver' },
    requestId,
  );
}

async function dispatch(
  req: QueryRequest,
  deps: QueryHandlerDeps,
  params: ReturnType<typeof parseQueryParams>,
  service: QueryService,
  outcome: QueryCallOutcome,
): Promise<QueryHttpResponse> {
  const { requestId } = outcome;
  const fail = (e: { status: number; code: string; message: string; fault?: 'Sender' | 'Receiver' }) => {
    outcome.error = { status: e.status, code: e.code, message: e.message };
    return errorResponse(service, e, requestId);
  };
  try {
    if (service === 'sts' && deps.stsDisabledMessage) return fail({ status: 400, code: 'InvalidAction', message: deps.stsDisabledMessage });
    // The service is named by the signature's credential scope, as AWS's front end routes it.
    const auth = await deps.authenticator.authenticate(req, { service });
    if (!auth.ok) return fail(authErrorToWire(auth.reason, 'query'));
    outcome.principal = auth.principal;
    if (params.ok) outcome.params = params.params;
    if (!params.ok) {
      const message =
        params.reason === 'duplicate'
          ? 'A parameter was given more than once.'
          : 'The request body or query string is not valid form-encoded data.';
      throw new QueryError(400, 'MalformedQueryString', message);
    }
    const action = params.params.get('Action') ?? '';
    const version = params.params.get('Version');
    const known = service === 'iam' ? Object.hasOwn(IAM_ACTIONS, action) : Object.hasOwn(STS_ACTIONS, action);
    if (!known || (version !== undefined && version !== QUERY_SERVICES[service].version)) {
      // Echo the action only when it looks like one; the message is AWS's wording.
      const shown = /^[A-Za-z0-9]{1,64}$/.test(action) ? `${action} ` : '';
      const v = version !== undefined && /^[0-9-]{1,10}$/.test(version) ? version : QUERY_SERVICES[service].version;
      throw new QueryError(400, 'InvalidAction', `Could not find operation ${shown}for version ${v}`);
    }
    outcome.known = true;
    const result =
      service === 'iam'
        ? await runIam(action, params.params, auth.principal, deps, requestContext(req))
        : await (STS_ACTIONS[action] as NonNullable<(typeof STS_ACTIONS)[string]>)(params.params, auth.principal);
    outcome.result = result;
    return successResponse(service, action, result, requestId);
  } catch (err) {
    if (err instanceof IamError) return fail({ status: err.status, code: err.code, message: err.message });
    if (err instanceof QueryError) return fail(err);
    deps.onInternalError?.(err);
    outcome.error = { status: 500, code: QUERY_SERVICES[service].internalErrorCode, message: 'An internal error occurred.' };
    return internalError(service, requestId);
  }
}

async function runIam(
  action: string,
  params: ReadonlyMap<string, string>,
  principal: Principal,
  deps: QueryHandlerDeps,
  context: Record<string, string>,
): Promise<string | undefined> {
  const services = deps.policies ? { roles: deps.roles, policies: deps.policies } : { roles: deps.roles };
  // Authorise before the action runs, so a refused caller learns nothing about the resource
  // beyond AWS's denial text (IAM evaluates the request before acting on it).
  const target = await iamAuthorizationTarget(action, params, services, deps.config);
  const iamAction = `iam:${action}`;
  if (deps.authorizer) {
    const decision = await deps.authorizer.authorize(principal, {
      action: iamAction,
      resource: target.resource,
      context: { ...target.context, ...context },
    });
    if (!decision.ok) throw new AccessDeniedError(decision.message);
  } else if (!principal.isAdmin) {
    throw AccessDeniedError.notAuthorized(principal.arn, iamAction, target.resource);
  }
  const handler = IAM_ACTIONS[action] as NonNullable<(typeof IAM_ACTIONS)[string]>;
  return handler(params, services);
}

/** Global condition keys the transport knows: aws:SourceIp and aws:RequestedRegion (the signing region). */
function requestContext(req: QueryRequest): Record<string, string> {
  const ctx: Record<string, string> = {};
  // Already IAM's form (an IPv4 client as its IPv4 address): sourceIpOf at the transport edge.
  if (req.sourceIp) ctx['aws:SourceIp'] = req.sourceIp;
  const auth = parseAuthorization(header(req, 'authorization'));
  if (auth.ok) ctx['aws:RequestedRegion'] = auth.value.credential.region;
  return ctx;
}

/** `iam` or `sts` from the credential scope, else from Version; 'iam' when nothing says. */
function pickService(req: RawHttpRequest, version: string | undefined): QueryService {
  const auth = parseAuthorization(header(req, 'authorization'));
  if (auth.ok) {
    const s = auth.value.credential.service;
    if (s === 'iam' || s === 'sts') return s;
  }
  return version === QUERY_SERVICES.sts.version ? 'sts' : 'iam';
}

function header(req: RawHttpRequest, name: string): string | undefined {
  for (const [k, v] of Object.entries(req.headers)) {
    if (k.toLowerCase() === name && v !== undefined) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}
