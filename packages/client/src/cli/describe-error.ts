import { CreateSessionError } from '../session/create-session-error.js';

/**
 * One line per failure. A service error reads `<Code>: <message>` as the SDK's error ends;
 * nothing here can contain a secret: errors are built from codes, messages and paths only.
 * @internal
 */
export function describeError(err: unknown): string {
  if (err instanceof CreateSessionError) {
    return err.fault === 'service' ? `${err.code}: ${err.message}` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
