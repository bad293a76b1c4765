/**
 * Amazon Resource Names: `arn:partition:service:region:account-id:resource` (AWS IAM User Guide,
 * "IAM ARNs"; service-spec §1). The resource part may itself contain ':' and '/'. Region and
 * account may be empty (IAM ARNs have no region, S3 ARNs neither).
 */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(s: string): Arn | undefined {
  const parts = s.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(':');
  if (partition === '' || service === '' || resource === '') return undefined;
  return { partition, service, region, accountId, resource };
}

export function formatArn(a: Arn): string {
  return `arn:${a.partition}:${a.service}:${a.region}:${a.accountId}:${a.resource}`;
}
