import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/audit/audit-chain.js';

/**
 * Audit query paging tokens: base64url of `<last seq>.<criteria digest>`. Opaque to callers;
 * the digest (first 16 hex of SHA-256 over the canonical criteria) ties a token to the query
 * that produced it, so a token replayed with other filters is refused instead of silently
 * skipping records. Not a secret and not an authorisation: only a position.
 */
export function encodeAuditPageToken(lastSeq: number, criteria: Record<string, unknown>): string {
  return Buffer.from(`${lastSeq}.${digest(criteria)}`, 'utf8').toString('base64url');
}

/** The `seq` to continue after, or undefined for a malformed token or one from other criteria. */
export function decodeAuditPageToken(token: string, criteria: Record<string, unknown>): number | undefined {
  if (token.length === 0 || token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const m = /^(\d{1,15})\.([0-9a-f]{16})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m || m[2] !== digest(criteria)) return undefined;
  const seq = Number(m[1]);
  return Number.isSafeInteger(seq) ? seq : undefined;
}

function digest(criteria: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(criteria)).digest('hex').slice(0, 16);
}
