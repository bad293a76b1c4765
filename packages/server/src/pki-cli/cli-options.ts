// Flag values shared by the `mooring pki` commands, validated once at the edge.
import type { KeySpec } from '@mooring/pki';
import { UsageError } from './pki-io.js';

/**
 * Key types offered for new CA and leaf keys. All satisfy the service's key rule (service-spec §5:
 * RSA >= 2048, EC on P-256/P-384/P-521); rsa1024 exists in @mooring/pki for negative tests only.
 */
export const CLI_KEY_SPECS = ['rsa2048', 'rsa3072', 'rsa4096', 'p256', 'p384', 'p521'] as const;
export type CliKeySpec = (typeof CLI_KEY_SPECS)[number] & KeySpec;

export function parseKeySpec(value: string | undefined, fallback: CliKeySpec): CliKeySpec {
  if (value === undefined) return fallback;
  const v = value.toLowerCase().replace(/-/g, '');
  const found = CLI_KEY_SPECS.find((k) => k === v);
  if (!found) throw new UsageError(`--key must be one of ${CLI_KEY_SPECS.join(', ')} (got "${value}")`);
  return found;
}

export function parseDays(value: string | undefined, fallback: number, flag = '--days'): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 36_500) throw new UsageError(`${flag} must be a whole number of days between 1 and 36500 (got "${value}")`);
  return Number(value);
}

export const DAY_MS = 86_400_000;

/**
 * notBefore is backdated by the service's clock-skew allowance (±5 minutes, README "How it behaves"),
 * so a certificate issued on a machine whose clock runs ahead is usable at once everywhere.
 */
export const BACKDATE_MS = 5 * 60_000;

export function validityFrom(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + days * DAY_MS) };
}
