/**
 * Client-side checks on the three ARNs, as the official helper makes them before calling
 * CreateSession (`GenerateCredentials`, signing-helper-spec §1.1): trust anchor and profile ARNs
 * must parse, their regions must agree, and the signing region defaults to the trust anchor's.
 * The role ARN is passed through unchecked, as the helper does.
 */

/** A configuration mistake found before any request is made. @public */
export class SessionConfigError extends Error {
  override readonly name = 'SessionConfigError';
}

/** The five fields of an ARN (AWS General Reference, "Amazon Resource Names"). @internal */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

/**
 * Go's `arn.Parse` (aws-sdk-go-v2 `aws/arn`): prefix `arn:` and six `:`-separated sections,
 * the last one keeping any further colons. Returns Go's error text on failure, because the
 * helper quotes it: `failed to parse trust anchor arn: 'arn: invalid prefix'`.
 * @internal
 */
export function parseArnLikeGo(s: string): { ok: true; arn: ArnParts } | { ok: false; error: string } {
  if (!s.startsWith('arn:')) return { ok: false, error: 'arn: invalid prefix' };
  const sections = s.split(':');
  if (sections.length < 6) return { ok: false, error: 'arn: not enough sections' };
  const [, partition = '', service = '', region = '', accountId = ''] = sections;
  return { ok: true, arn: { partition, service, region, accountId, resource: sections.slice(5).join(':') } };
}

/**
 * Validates the ARNs and works out the signing region. Throws {@link SessionConfigError} with
 * the official helper's messages.
 * @public
 */
export function resolveSessionRegion(input: { trustAnchorArn: string; profileArn: string; region?: string | undefined }): string {
  const trustAnchor = parseArnLikeGo(input.trustAnchorArn);
  if (!trustAnchor.ok) throw new SessionConfigError(`failed to parse trust anchor arn: '${trustAnchor.error}'`);
  const profile = parseArnLikeGo(input.profileArn);
  if (!profile.ok) throw new SessionConfigError(`failed to parse profile arn: '${profile.error}'`);
  if (trustAnchor.arn.region !== profile.arn.region) {
    throw new SessionConfigError("trust anchor and profile regions don't match");
  }
  const region = input.region !== undefined && input.region !== '' ? input.region : trustAnchor.arn.region;
  if (region === '') throw new SessionConfigError('no region: set --region or use ARNs that carry one');
  return region;
}
