import { GetRoleCommand, IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { ServiceError } from '../core/errors/service-error.js';
import { systemClock, type Clock } from '../core/ports/clock.js';
import type { IssueOutcome, IssueRequest, RoleFacts, SessionIssuer } from '../core/session/session-issuer.js';
import { classifyAwsError, type AwsFailure } from './aws-error.js';
import type { BrokerCallEvent, BrokerObserver } from './broker-observer.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { withDeadline } from './deadline.js';
import { parseRoleArn } from './role-arn.js';
import { RoleCache } from './role-cache.js';

export type BrokerCredentials = NonNullable<IAMClientConfig['credentials']>;

export interface AwsSessionIssuerOptions {
  /** Region of the STS endpoint (regional STS; `--region`). IAM is global per partition. */
  region: string;
  /** Overrides the STS endpoint (`--sts-endpoint`: VPC endpoint, FIPS, an emulator). */
  stsEndpoint?: string;
  /** Overrides the IAM endpoint (`--iam-endpoint`). */
  iamEndpoint?: string;
  /** The broker identity; default: the standard AWS credential chain (`fromNodeProviderChain`). */
  credentials?: BrokerCredentials;
  clock?: Clock;
  /** GetRole results are reused this long (default 60 s). */
  roleCacheTtlSeconds?: number;
  /** "No such role" is remembered this long (default 10 s). */
  negativeRoleCacheTtlSeconds?: number;
  /** Per-attempt HTTP timeout (default 5 s); the SDK retries with backoff up to `maxAttempts`. */
  requestTimeoutMs?: number;
  /** SDK attempts per call, standard retry mode with exponential backoff and jitter (default 3). */
  maxAttempts?: number;
  /** Hard bound on one call, retries included (default 15 s): the client never waits longer. */
  callDeadlineMs?: number;
  /** Consecutive backend failures before calls are refused at once, and for how long (default 5, 30 s). */
  circuitBreaker?: { failureThreshold: number; cooldownMs: number };
  observer?: BrokerObserver;
}

export type BrokerReadiness = { ready: true } | { ready: false; message: string };

const DEFAULTS = { roleTtl: 60, negativeTtl: 10, requestTimeoutMs: 5000, maxAttempts: 3, deadlineMs: 15_000, threshold: 5, cooldownMs: 30_000 };

/**
 * Broker mode: roles live in AWS IAM and sessions come from AWS STS AssumeRole, called with
 * Mooring's own broker identity after every Roles Anywhere check passed. The AssumeRole carries
 * what Roles Anywhere's internal AssumeRole carries (service-spec §4.7): session name, duration,
 * certificate-derived session tags (no transitive keys), source identity, and the profile's
 * session policy and managed policy ARNs. Credentials are passed on unmodified (§4.7 [UG]).
 */
export class AwsSessionIssuer implements SessionIssuer {
  private readonly sts: STSClient;
  private readonly iam: IAMClient;
  private readonly credentials: BrokerCredentials;
  private readonly clock: Clock;
  private readonly roles: RoleCache;
  private readonly stsBreaker: CircuitBreaker;
  private readonly iamBreaker: CircuitBreaker;
  private readonly deadlineMs: number;

  constructor(private readonly opts: AwsSessionIssuerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.credentials = opts.credentials ?? fromNodeProviderChain();
    this.deadlineMs = opts.callDeadlineMs ?? DEFAULTS.deadlineMs;
    const common = {
      region: opts.region,
      credentials: this.credentials,
      maxAttempts: opts.maxAttempts ?? DEFAULTS.maxAttempts,
      retryMode: 'standard',
      requestHandler: {
        requestTimeout: opts.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
        connectionTimeout: opts.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
        // Without it the SDK only warns and keeps waiting on a stalled STS.
        throwOnRequestTimeout: true,
      },
    } as const;
    this.sts = new STSClient({ ...common, ...(opts.stsEndpoint ? { endpoint: opts.stsEndpoint } : {}) });
    this.iam = new IAMClient({ ...common, ...(opts.iamEndpoint ? { endpoint: opts.iamEndpoint } : {}) });
    this.roles = new RoleCache({
      clock: this.clock,
      ttlMs: (opts.roleCacheTtlSeconds ?? DEFAULTS.roleTtl) * 1000,
      negativeTtlMs: (opts.negativeRoleCacheTtlSeconds ?? DEFAULTS.negativeTtl) * 1000,
    });
    const breaker = { failureThreshold: DEFAULTS.threshold, cooldownMs: DEFAULTS.cooldownMs, ...opts.circuitBreaker, clock: this.clock };
    this.stsBreaker = new CircuitBreaker(breaker);
    this.iamBreaker = new CircuitBreaker(breaker);
  }

  /**
   * Any account and partition: in broker mode the role is in the AWS account, and the profile's
   * roleArns list (checked before this call) is the allow-list. IAM GetRole only reads roles of
   * the broker's own account, so the ARN IAM returns must equal the requested one, path included.
   */
  async findRole(roleArn: string): Promise<RoleFacts | undefined> {
    const parts = parseRoleArn(roleArn);
    if (!parts) return undefined;
    return this.roles.get(roleArn, () => this.getRole(roleArn, parts.roleName));
  }

  async issue(r: IssueRequest): Promise<IssueOutcome> {
    const call = await this.callAws('STS', 'AssumeRole', this.stsBreaker, (abortSignal) =>
      this.sts.send(
        new AssumeRoleCommand({
          RoleArn: r.role.arn,
          RoleSessionName: r.sessionName,
          DurationSeconds: r.durationSeconds,
          SourceIdentity: r.sourceIdentity,
          // Session tags from the certificate; none transitive, as with Roles Anywhere (§4.7).
          ...(r.tags.length > 0 ? { Tags: r.tags.map((t) => ({ Key: t.key, Value: t.value })) } : {}),
          ...(r.sessionPolicy !== undefined ? { Policy: r.sessionPolicy } : {}),
          ...(r.managedPolicyArns && r.managedPolicyArns.length > 0 ? { PolicyArns: r.managedPolicyArns.map((arn) => ({ arn })) } : {}),
        }),
        { abortSignal },
      ),
    );
    if (!call.ok) {
      // The role may have changed or gone since it was cached: read it again next time.
      this.roles.invalidate(r.role.arn);
      return { ok: false, message: call.failure.message };
    }
    const session = toIssuedSession(call.value);
    if (!session) return { ok: false, message: 'AWS STS returned an incomplete AssumeRole response.' };
    return { ok: true, session };
  }

  /**
   * Whether the broker identity has credentials at all (resolves the chain, calls no AWS API):
   * a server in broker mode is not ready without them.
   */
  async readiness(): Promise<BrokerReadiness> {
    const provider = this.credentials;
    try {
      const creds = await withDeadline(this.deadlineMs, async () => (typeof provider === 'function' ? provider() : provider));
      if (!creds.accessKeyId) return { ready: false, message: 'broker mode: the AWS credential chain returned no access key id' };
      if (creds.expiration && creds.expiration.getTime() <= this.clock.now().getTime())
        return { ready: false, message: 'broker mode: the broker identity\'s AWS credentials have expired' };
      return { ready: true };
    } catch (err) {
      const name = err instanceof Error ? err.name : 'Error';
      return {
        ready: false,
        message: `broker mode: no AWS credentials for the broker identity (${name}); provide them through the standard chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity, or an ECS task / EC2 instance role`,
      };
    }
  }

  private async getRole(roleArn: string, roleName: string): Promise<RoleFacts | undefined> {
    const call = await this.callAws('IAM', 'GetRole', this.iamBreaker, (abortSignal) => this.iam.send(new GetRoleCommand({ RoleName: roleName }), { abortSignal }), ['NoSuchEntity', 'NoSuchEntityException']);
    if (!call.ok) {
      if (call.notFound) return undefined;
      // Not a ResourceNotFound: the client must see that the role could not be read, the audit
      // record gets the reason. Wording as for an STS refusal (service-spec §4.4 step 12).
      throw new ServiceError('AccessDeniedException', `Unable to assume role for ${roleArn}. ${call.failure.message}`, call.failure.kind === 'backend' ? 'broker-iam-unavailable' : 'broker-iam-refused');
    }
    const role = call.value.Role;
    if (!role?.Arn || role.Arn !== roleArn || !role.RoleId || !role.RoleName || !role.AssumeRolePolicyDocument) return undefined;
    return {
      arn: role.Arn,
      roleId: role.RoleId,
      roleName: role.RoleName,
      assumeRolePolicyDocument: decodePolicyDocument(role.AssumeRolePolicyDocument),
      maxSessionDuration: role.MaxSessionDuration ?? 3600,
    };
  }

  private async callAws<T>(
    service: BrokerCallEvent['service'],
    operation: BrokerCallEvent['operation'],
    breaker: CircuitBreaker,
    send: (abortSignal: AbortSignal) => Promise<T>,
    notFoundCodes: readonly string[] = [],
  ): Promise<{ ok: true; value: T } | { ok: false; notFound: boolean; failure: AwsFailure }> {
    if (!breaker.tryAcquire()) {
      this.observe({ service, operation, durationMs: 0, outcome: 'circuit-open' });
      return { ok: false, notFound: false, failure: { kind: 'backend', message: `AWS ${service} is unavailable; try again later.`, code: 'CircuitOpen' } };
    }
    const started = performance.now();
    try {
      const value = await withDeadline(this.deadlineMs, send);
      breaker.onSuccess();
      this.observe({ service, operation, durationMs: performance.now() - started, outcome: 'ok' });
      return { ok: true, value };
    } catch (err) {
      const durationMs = performance.now() - started;
      const failure = classifyAwsError(err, service);
      if (notFoundCodes.includes(failure.code)) {
        breaker.onOtherOutcome();
        this.observe({ service, operation, durationMs, outcome: 'not-found', code: failure.code });
        return { ok: false, notFound: true, failure };
      }
      if (failure.kind === 'backend') breaker.onBackendFailure();
      else breaker.onOtherOutcome();
      this.observe({ service, operation, durationMs, outcome: failure.kind === 'backend' ? 'backend-error' : 'role-error', code: failure.code });
      return { ok: false, notFound: false, failure };
    }
  }

  private observe(e: BrokerCallEvent): void {
    try {
      this.opts.observer?.onCall(e);
    } catch {
      // Metrics must never change an answer.
    }
  }
}

/** IAM returns policy documents URL-encoded (RFC 3986) in its Query API; some emulators do not. */
export function decodePolicyDocument(doc: string): string {
  return doc.trimStart().startsWith('{') ? doc : decodeURIComponent(doc);
}

function toIssuedSession(out: AssumeRoleCommandOutput) {
  const c = out.Credentials;
  const u = out.AssumedRoleUser;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration || !u?.Arn || !u.AssumedRoleId) return undefined;
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
    assumedRoleUser: { arn: u.Arn, assumedRoleId: u.AssumedRoleId },
    packedPolicySize: out.PackedPolicySize ?? 0,
  };
}
