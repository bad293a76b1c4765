import type { FastifyReply } from 'fastify';
import { ServiceError } from '../core/errors/service-error.js';

export interface WireError {
  status: number;
  code: string;
  message: string;
}

/**
 * The one place a failure becomes an HTTP response for the rest-json services
 * (service-spec §0): status from the error shape, `x-amzn-ErrorType: <Code>` (clients read it
 * first) and body `{"message": …}`. Anything we did not anticipate is a plain 500 with a generic
 * message: never a stack trace, never internal detail on the wire.
 */
export function toWireError(err: unknown): WireError {
  if (err instanceof ServiceError) return { status: err.status, code: err.code, message: err.message };
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    switch (e.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return { status: 413, code: 'RequestEntityTooLargeException', message: 'Request Entity Too Large' };
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return { status: 400, code: 'ValidationException', message: 'Request body length does not match Content-Length' };
      default:
        return { status: 400, code: 'ValidationException', message: 'Malformed request' };
    }
  }
  if (storeUnavailable(err)) return { status: 503, code: 'ServiceUnavailableException', message: 'The service is temporarily unavailable. Try again.' };
  return { status: 500, code: 'InternalServerException', message: 'An internal error occurred. Try again.' };
}

/**
 * The database is unreachable or going away (a PostgreSQL restart, a failover): a transient
 * condition SDKs retry on 503 with backoff. Connection errors carry a Node code; PostgreSQL's
 * own carry SQLSTATE class 08 (connection exception) or 57P01–57P03 (admin/crash shutdown,
 * cannot connect now) — PostgreSQL docs, Appendix A.
 */
function storeUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code)) return true;
  return typeof e.message === 'string' && /^Connection terminated|timeout exceeded when trying to connect/.test(e.message);
}

export function sendJsonError(reply: FastifyReply, w: WireError): FastifyReply {
  if (w.status === 503) reply.header('retry-after', '1');
  return reply
    .code(w.status)
    .header('x-amzn-ErrorType', w.code)
    .header('content-type', 'application/json')
    .send(JSON.stringify({ message: w.message }));
}
