import type { ServiceConfig } from '../ports/service-config.js';

export type ResourceKind = 'trust-anchor' | 'profile' | 'crl' | 'subject';

/** `arn:<p>:rolesanywhere:<r>:<acct>:<kind>/<id>` (service-spec §1, Service Authorization Reference). */
export function resourceArn(config: ServiceConfig, kind: ResourceKind, id: string): string {
  return `arn:${config.partition}:rolesanywhere:${config.region}:${config.accountId}:${kind}/${id}`;
}

/**
 * The id an ARN names, or undefined when the ARN is for another partition, region, account or
 * resource type: those resources cannot exist in this deployment (service-spec §0, "resources
 * are regional and must be in the same account and region to be used together").
 */
export function idFromArn(config: ServiceConfig, kind: ResourceKind, arn: string): string | undefined {
  const prefix = `arn:${config.partition}:rolesanywhere:${config.region}:${config.accountId}:${kind}/`;
  if (!arn.startsWith(prefix)) return undefined;
  const id = arn.slice(prefix.length);
  return /^[a-f0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}$/.test(id) ? id : undefined;
}
