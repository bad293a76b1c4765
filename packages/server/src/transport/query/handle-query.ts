import { parseAuthorization } from '@mooring/protocol';
import type { RawHttpRequest } from '@mooring/protocol';
import { authErrorToWire } from '../../core/auth/auth-errors.js';
import type { Authenticator } from '../../core/auth/authenticate.js';
import type { Principal } from '../../core/auth/principal.js';
import { AccessDeniedError, IamError } from '../../core/iam/iam-errors.js';
import type { RoleService } from '../../core/iam/role-service.js';
import type { Random } from '../../core/ports/random.js';
import type { ServiceConfig } from '../../core/ports/service-config.js';
import { parseQueryParams } from './form.js';
import { IAM_ACTIONS, iamResourceArn } from './iam-actions.js';
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
  authenticator: Authenticator;
  config: ServiceConfig;
  random: Random;
  /** Called with unexpected errors (answered as a bare 500); for the operator's log. */
  onInternalError?: (err: unknown) => void;
}

export type QueryRequest = RawHttpRequest & { sourceIp: string };

/**
 * Framework-neutral entry point for the AWS Query protocol (IAM 2010-05-08, STS 2011-06-15):
 * form-encoded parameters, SigV4 authentication, XML results and `<ErrorResponse>` errors.
 * Every error leaves through `errorResponse`; anything unexpected becomes a generic 500 that
 * reveals nothing (style-anchors §8 habit 9).
 */
export async function handleQueryRequest(req: QueryRequest, deps: QueryHandlerDeps): Promise<QueryHttpResponse> {
  const requestId = deps.random.uuid();
  const params = parseQueryParams(req.query, req.body, header(req, 'content-type'));
  const service = pickService(req, params.ok ? params.params.get('Version') : undefined);
  try {
    // The service is named by the signature's credential scope, as AWS's front end routes it.
    const auth = await deps.authenticator.authenticate(req, { service });
    if (!auth.ok) return errorResponse(service, authErrorToWire(auth.reason, 'query'), requestId);
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
    const result =
      service === 'iam'
        ? await runIam(action, params.params, auth.principal, deps)
        : await (STS_ACTIONS[action] as NonNullable<(typeof STS_ACTIONS)[string]>)(params.params, auth.principal);
    return successResponse(service, action, result, requestId);
  } catch (err) {
    if (err instanceof IamError) return errorResponse(service, { status: err.status, code: err.code, message: err.message }, requestId);
    if (err instanceof QueryError) return errorResponse(service, err, requestId);
    deps.onInternalError?.(err);
    return errorResponse(
      service,
      { status: 500, code: QUERY_SERVICES[service].internalErrorCode, message: 'An internal error occurred.', fault: 'Receiver' },
      requestId,
    );
  }
}

async function runIam(action: string, params: ReadonlyMap<string, string>, principal: Principal, deps: QueryHandlerDeps): Promise<string | undefined> {
  // Only the bootstrap admin may manage IAM for now; identity-policy evaluation comes later.
  if (!principal.isAdmin) {
    const resource = iamResourceArn(action, params, deps.config.partition, deps.config.accountId);
    throw AccessDeniedError.notAuthorized(principal.arn, `iam:${action}`, resource);
  }
  const handler = IAM_ACTIONS[action] as NonNullable<(typeof IAM_ACTIONS)[string]>;
  return handler(params, deps.roles);
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
