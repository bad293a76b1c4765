/**
 * Where CreateSession goes when no endpoint is given: `https://rolesanywhere.{region}.{dnsSuffix}`
 * from the SDK's partition rules (signing-helper-spec §2.8, aws-sdk-go-v2
 * `internal/endpoints/awsrulesfn/partitions.go`). Unknown regions fall back to the `aws` partition.
 */

const PARTITION_SUFFIXES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^cn-\w+-\d+$/, 'amazonaws.com.cn'],
  [/^us-gov-\w+-\d+$/, 'amazonaws.com'],
  [/^us-iso-\w+-\d+$/, 'c2s.ic.gov'],
  [/^us-isob-\w+-\d+$/, 'sc2s.sgov.gov'],
  [/^eu-isoe-\w+-\d+$/, 'cloud.adc-e.uk'],
  [/^us-isof-\w+-\d+$/, 'csp.hci.ic.gov'],
];

/** @public */
export function defaultEndpoint(region: string, options: { fips?: boolean } = {}): string {
  const suffix = PARTITION_SUFFIXES.find(([pattern]) => pattern.test(region))?.[1] ?? 'amazonaws.com';
  const service = options.fips === true ? 'rolesanywhere-fips' : 'rolesanywhere';
  return `https://${service}.${region}.${suffix}`;
}

/**
 * The endpoint to call. An explicit endpoint wins; then, as the AWS SDKs do,
 * `AWS_ENDPOINT_URL_ROLESANYWHERE` and `AWS_ENDPOINT_URL` (unless
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), then the partition default, FIPS when
 * `AWS_USE_FIPS_ENDPOINT=true`. Unlike the official helper (where the environment silently
 * overrides `--endpoint`, spec §1.6), a flag the user typed is never ignored.
 * @public
 */
export function resolveEndpoint(
  region: string,
  explicit: string | undefined,
  env: Record<string, string | undefined> = process.env,
): string {
  if (explicit !== undefined && explicit !== '') return explicit;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== 'true') {
    const configured = env.AWS_ENDPOINT_URL_ROLESANYWHERE || env.AWS_ENDPOINT_URL;
    if (configured) return configured;
  }
  return defaultEndpoint(region, { fips: env.AWS_USE_FIPS_ENDPOINT?.toLowerCase() === 'true' });
}
