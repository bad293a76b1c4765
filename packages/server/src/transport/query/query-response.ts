import { escapeXml, textEl } from './xml.js';

/** Query-protocol services this handler speaks, with their API version and XML namespace (botocore metadata). */
export const QUERY_SERVICES = {
  iam: { version: '2010-05-08', namespace: 'https://iam.amazonaws.com/doc/2010-05-08/', internalErrorCode: 'ServiceFailure' },
  sts: { version: '2011-06-15', namespace: 'https://sts.amazonaws.com/doc/2011-06-15/', internalErrorCode: 'InternalFailure' },
} as const;

export type QueryService = keyof typeof QUERY_SERVICES;

export interface QueryHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A transport-level error (bad form, unknown action, internal failure) in the Query error vocabulary. */
export class QueryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

function headers(requestId: string): Record<string, string> {
  return { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
}

/**
 * `<XResponse xmlns=…><XResult>…</XResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></XResponse>`;
 * operations without an output shape have no Result element (botocore query parser reads
 * the `resultWrapper` element only when the model declares one).
 */
export function successResponse(service: QueryService, action: string, result: string | undefined, requestId: string): QueryHttpResponse {
  const ns = QUERY_SERVICES[service].namespace;
  const body =
    `<${action}Response xmlns="${ns}">` +
    (result === undefined ? '' : `<${action}Result>${result}</${action}Result>`) +
    `<ResponseMetadata>${textEl('RequestId', requestId)}</ResponseMetadata>` +
    `</${action}Response>`;
  return { status: 200, headers: headers(requestId), body };
}

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` (AWS Query error format). */
export function errorResponse(
  service: QueryService,
  error: { status: number; code: string; message: string; fault?: 'Sender' | 'Receiver' },
  requestId: string,
): QueryHttpResponse {
  const ns = QUERY_SERVICES[service].namespace;
  const body =
    `<ErrorResponse xmlns="${ns}"><Error>` +
    textEl('Type', error.fault ?? 'Sender') +
    textEl('Code', error.code) +
    `<Message>${escapeXml(error.message)}</Message>` +
    `</Error>${textEl('RequestId', requestId)}</ErrorResponse>`;
  return { status: error.status, headers: headers(requestId), body };
}
