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
  return { status: 500, code: 'InternalServerException', message: 'An internal error occurred. Try again.' };
}

export function sendJsonError(reply: FastifyReply, w: WireError): FastifyReply {
  return reply
    .code(w.status)
    .header('x-amzn-ErrorType', w.code)
    .header('content-type', 'application/json')
    .send(JSON.stringify({ message: w.message }));
}
