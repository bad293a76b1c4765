import { CreateSessionError } from '../session/create-session-error.js';

/**
 * One line per failure. A service error reads as the official helper prints it, the AWS SDK for
 * Go v2's `operation error RolesAnywhere: CreateSession, https response error StatusCode: 403,
 * RequestID: <x-amzn-RequestId>, <Code>: <message>` (signing-helper-spec §3, §8), so scripts
 * written against it match; it ends with `<Code>: <message>`. Nothing here can contain a
 * secret: errors are built from codes, messages, request ids and paths only.
 * @internal
 */
export function describeError(err: unknown): string {
  if (err instanceof CreateSessionError) {
    if (err.fault !== 'service') return err.message;
    return `operation error RolesAnywhere: CreateSession, https response error StatusCode: ${err.statusCode}, RequestID: ${err.requestId ?? ''}, ${err.code}: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}
