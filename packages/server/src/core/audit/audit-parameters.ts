import { createHash } from 'node:crypto';

/** Longest string kept verbatim in requestParameters / responseElements. */
export const MAX_AUDIT_STRING = 4096;
/** CloudTrail's own placeholder for redacted values. */
export const REDACTED = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Member names whose values never enter the trail, whatever operation carries them. */
const SECRET_KEY = /secret|password|privatekey|sessiontoken|^token$/i;
/** Members that are blobs: CRLs (up to 300,000 bytes, service-spec §7). Always summarised. */
const BLOB_KEY = /^crlData$/;

function summary(text: string | Buffer): string {
  const bytes = typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : text.length;
  return `[abbreviated: ${bytes} bytes, sha256:${createHash('sha256').update(text).digest('hex')}]`;
}

/**
 * A copy of an operation's input or output that is safe and lean enough for the audit trail:
 * - members named like a secret (secret, password, private key, session token) become
 *   HIDDEN_DUE_TO_SECURITY_REASONS (style-anchors §9: never a secret in a log);
 * - `crlData` becomes `[abbreviated: N bytes, sha256:…]`: the digest identifies the exact CRL
 *   without copying 300 KB into every record;
 * - any other string longer than 4096 characters (a long certificate bundle) keeps its first
 *   256 characters followed by the same summary. A single CA certificate PEM stays whole, as in
 *   AWS's own CreateTrustAnchor records.
 * Depth and array length are bounded so a hostile input cannot make a huge record.
 */
export function auditSafe(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (Buffer.isBuffer(value)) return summary(value);
  if (typeof value === 'string') return value.length > MAX_AUDIT_STRING ? `${value.slice(0, 256)}… ${summary(value)}` : value;
  if (typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (depth >= 8) return '[abbreviated: nested too deep]';
  if (Array.isArray(value)) {
    const items = value.slice(0, 100).map((v) => auditSafe(v, depth + 1));
    if (value.length > 100) items.push(`[abbreviated: ${value.length - 100} more items]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (SECRET_KEY.test(k)) out[k] = REDACTED;
    else if (BLOB_KEY.test(k) && (typeof v === 'string' || Buffer.isBuffer(v))) out[k] = summary(v);
    else out[k] = auditSafe(v, depth + 1);
  }
  return out;
}

/** auditSafe for a top-level parameters object; null when there is nothing to record. */
export function auditParameters(value: Record<string, unknown> | undefined | null): Record<string, unknown> | null {
  if (!value || Object.keys(value).length === 0) return null;
  return auditSafe(value) as Record<string, unknown>;
}
