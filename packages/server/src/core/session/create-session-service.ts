import { parseCertificatePem } from '@mooring/pki';
import type { ParsedCertificate } from '@mooring/pki';
import { parseX509Request, rfc3339Seconds, verifyX509Signature } from '@mooring/protocol';
import type { CreateSessionResponse, RawHttpRequest } from '@mooring/protocol';
import type { AuditCompanionWrites, AuditSink } from '../audit/audit-event.js';
import { ServiceError } from '../errors/service-error.js';
import { createContextLookup, evaluatePolicies } from '../policy/index.js';
import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import { idFromArn, resourceArn } from '../roles-anywhere/resource-ids.js';
import type { CrlStore, ProfileStore, SubjectStore, TrustAnchorStore } from '../roles-anywhere/stores.js';
import type { CredentialSummary } from '../roles-anywhere/subject.js';
import type { TrustAnchor } from '../roles-anywhere/trust-anchor.js';
import { parseCreateSessionInput, type CreateSessionParams } from './create-session-input.js';
import type { OnlineRevocation } from '../revocation-online/online-revocation.js';
import { RevocationChecker, type StaleCrlPolicy } from './revocation-checker.js';
import { sessionAuditEvent, type SessionAuditFacts } from './session-audit.js';
import { sessionFailure } from './session-failure.js';
import type { SessionIssuer } from './session-issuer.js';
import { leafStrings } from './leaf-strings.js';
import { revocablePath } from './revocable-path.js';
import { hasMappingFailures, mapSessionTags, mappingFailureDetail } from './session-tags.js';
import { sourceIdentityFor } from './source-identity.js';
import { ValidatedPathCache } from './validated-path-cache.js';
import { trustPolicyContext } from './trust-policy-context.js';
import { PolicyParseCache } from './policy-parse-cache.js';

export interface CreateSessionDeps {
  trustAnchors: TrustAnchorStore;
  profiles: ProfileStore;
  subjects: SubjectStore;
  crls: CrlStore;
  /** Roles and issuance: Mooring's own IAM/STS, or AWS's in broker mode. */
  issuer: SessionIssuer;
  audit: AuditSink;
  clock: Clock;
  random: Random;
  config: ServiceConfig;
  maxSkewSeconds?: number;
  /** What a CRL past its nextUpdate does; default 'enforce' (revocation-checker.ts). */
  staleCrlPolicy?: StaleCrlPolicy;
  /** CDP/OCSP checks for trust anchors that opt in by tag (docs/online-revocation.md); absent = none. */
  onlineRevocation?: OnlineRevocation;
  /** Credential summaries / instance-property records kept per subject (default 10). */
  subjectHistory?: number;
}

export interface CreateSessionCall {
  request: RawHttpRequest;
  body: Buffer;
  sourceIp: string;
  userAgent: string;
  requestId: string;
}

export interface CreateSessionOutcome {
  response: CreateSessionResponse;
  trustAnchorArn: string;
}

const ROLESANYWHERE = 'rolesanywhere.amazonaws.com';

/**
 * The CreateSession pipeline of service-spec §4.4, in its order. Every outcome, success or
 * failure, is written to the audit sink before the caller sees it; credentials never leave
 * before their issuance is durable.
 */
export class CreateSessionService {
  /** Parsed CA bundles keyed by trust-anchor id and version, so the hot path never re-parses. */
  private readonly anchorCache = new Map<string, { version: number; certs: ParsedCertificate[] }>();

  private readonly revocation: RevocationChecker;

  /** Parsed leaves and already-validated chains: the hot path's biggest saving. */
  private readonly certs = new ValidatedPathCache();

  /** Trust policies parsed once per distinct text; evaluated every call. */
  private readonly trustPolicies = new PolicyParseCache('trust');

  constructor(private readonly deps: CreateSessionDeps) {
    this.revocation = new RevocationChecker({
      store: deps.crls,
      ...(deps.staleCrlPolicy ? { stalePolicy: deps.staleCrlPolicy } : {}),
      ...(deps.onlineRevocation ? { online: { service: deps.onlineRevocation, trustAnchors: deps.trustAnchors } } : {}),
    });
  }

  /**
   * The credentials, and the trust anchor they were issued under (the transport's metric label,
   * taken from the request parsed here rather than parsed again).
   */
  async createSession(call: CreateSessionCall): Promise<CreateSessionOutcome> {
    const facts: SessionAuditFacts = { call, now: this.deps.clock.now() };
    // The subject attempt travels with the audit record: one transaction per group commits both
    // (issue [scale] item 5), and the caller is answered only after it is durable.
    try {
      const response = await this.run(call, facts);
      await this.deps.audit.record(sessionAuditEvent(this.deps.config, this.deps.random, facts, undefined), companionWrites(facts));
      return { response, trustAnchorArn: facts.params!.trustAnchorArn };
    } catch (err) {
      const error = err instanceof ServiceError ? err : undefined;
      await this.deps.audit.record(
        sessionAuditEvent(this.deps.config, this.deps.random, facts, error ?? new ServiceError('AccessDeniedException', 'internal', 'internal-error')),
        companionWrites(facts),
      );
      throw err;
    }
  }

  private async run(call: CreateSessionCall, facts: SessionAuditFacts): Promise<CreateSessionResponse> {
    const { config, clock } = this.deps;
    const now = facts.now;
    // 1. Request shape.
    const params: CreateSessionParams = parseCreateSessionInput(call.request.query, call.body);
    facts.params = params;
    const fail = (reason: Parameters<typeof sessionFailure>[0], detail?: string) => {
      facts.detail = detail;
      return sessionFailure(reason, params.roleArn, detail);
    };

    // 2. Authentication headers (X-Amz-Date, X-Amz-X509, chain, Authorization).
    const parts = parseX509Request(call.request, { now, region: config.region, maxSkewSeconds: this.deps.maxSkewSeconds ?? 300 });
    if (!parts.ok) throw fail(parts.reason);
    const leafParsed = this.certs.leaf(parts.value.certificateDer);
    if (!leafParsed.ok) throw fail('certificate-unparsable', leafParsed.detail);
    const leaf = leafParsed.value;
    facts.leaf = leaf;

    // 3. Proof of possession: the signature, with the certificate's own key (§4.3 leniency).
    const sig = verifyX509Signature(call.request, parts.value, { publicKey: leaf.publicKey, serialDecimal: leaf.serialDecimal });
    if (!sig.ok) throw fail(sig.reason);
    facts.deviations = sig.deviations;
    // AWS records unsigned required headers instead of rejecting them (§4.3 leniency). We follow
    // it except for X-Amz-Date: an unsigned date lets anyone replay a captured request forever.
    if (!parts.value.auth.signedHeaders.includes('x-amz-date')) throw fail('date-not-signed');

    // 4. Trust anchor: exists here, and is enabled.
    const taId = idFromArn(config, 'trust-anchor', params.trustAnchorArn);
    const ta = taId ? await this.deps.trustAnchors.getTrustAnchor(taId) : undefined;
    if (!ta) throw fail('trust-anchor-not-found');
    if (!ta.enabled) throw fail('trust-anchor-disabled');

    // 5–6. Path validation to the anchor's CA bundle, with AWS's certificate rules (§5).
    const path = this.certs.validate({
      leaf,
      chainDer: parts.value.chainDer,
      anchorKey: `${ta.trustAnchorId}@${ta.updatedAt.getTime()}`,
      anchors: () => this.anchors(ta),
      now,
    });
    if (!path.ok) throw fail(path.reason, path.detail);

    // From here the caller proved possession of a certificate that chains to the anchor, so
    // every outcome is recorded on its subject; failures with `failed: true` (service-spec §8:
    // only after the signature and chain checks, so untrusted callers cannot create subjects).
    const credential: CredentialSummary = {
      seenAt: now,
      serialNumber: leaf.serialHex,
      issuer: leafStrings(leaf).issuer,
      enabled: true,
      x509CertificateData: leafStrings(leaf).pem,
      failed: false,
    };
    try {
      return await this.trusted(call, facts, params, fail, { leaf, path: path.path, ta, credential });
    } catch (err) {
      if (err instanceof ServiceError) {
        try {
          await this.recordSubject(facts, params, leaf, { ...credential, failed: true }, now);
        } catch {
          // The refusal is what the caller must see; a bookkeeping error must not replace it.
        }
      }
      throw err;
    }
  }

  /**
   * Records the attempt on the subject of `leaf`: a new subject is created with it at once
   * (ensureSubject); on an existing one the attempt is left in `facts.subjectAttempt`, for the
   * audit sink to commit with this call's audit record. Called again on failure, the failed
   * attempt replaces the successful one (same serial, service-spec §8).
   */
  private async recordSubject(facts: SessionAuditFacts, params: CreateSessionParams, leaf: ParsedCertificate, credential: CredentialSummary, now: Date): Promise<{ subjectArn: string }> {
    const { config } = this.deps;
    const attempt = {
      credential,
      now,
      keep: this.deps.subjectHistory ?? 10,
      ...(params.instanceProperties ? { instanceProperties: { seenAt: now, properties: params.instanceProperties, failed: credential.failed } } : {}),
    };
    if (facts.subject === undefined) {
      const ensured = await this.deps.subjects.ensureSubject({
        x509Subject: leafStrings(leaf).subject,
        newSubject: () => {
          const id = this.deps.random.uuid();
          return { subjectId: id, subjectArn: resourceArn(config, 'subject', id) };
        },
        attempt,
      });
      facts.subject = { subjectId: ensured.subjectId, subjectArn: ensured.subjectArn };
      if (ensured.created) return facts.subject; // created with this very attempt
    }
    facts.subjectAttempt = { subjectId: facts.subject.subjectId, ...attempt };
    return facts.subject;
  }

  private async trusted(
    call: CreateSessionCall,
    facts: SessionAuditFacts,
    params: CreateSessionParams,
    fail: (reason: Parameters<typeof sessionFailure>[0], detail?: string) => ServiceError,
    ctx: { leaf: ParsedCertificate; path: ParsedCertificate[]; ta: TrustAnchor; credential: CredentialSummary },
  ): Promise<CreateSessionResponse> {
    const { config, clock } = this.deps;
    const { leaf, ta } = ctx;
    const now = facts.now;

    // 7. Revocation: leaf and intermediates (not a root anchor) against the enabled CRLs.
    const revocable = revocablePath(ctx.path, this.anchors(ta));
    const revocation = await this.revocation.check(ta.trustAnchorId, revocable, now, { trustAnchor: ta, issuers: ctx.path.slice(1, revocable.length + 1) });
    if (revocation.staleCrlIds.length > 0) facts.staleCrlIds = revocation.staleCrlIds;
    if (revocation.ok && revocation.unverifiedCrlIds) facts.unverifiedCrlIds = revocation.unverifiedCrlIds;
    if (revocation.ok && revocation.onlineUnavailable) facts.revocationUnavailable = revocation.onlineUnavailable;
    // The wire says "Untrusted signing certificate" either way; the audit says which it was.
    if (!revocation.ok) throw fail(revocation.cause === 'revocation-unavailable' ? 'revocation-unavailable' : revocation.reason, revocation.detail);

    // 8–10. Profile, role membership, session name.
    const profileId = idFromArn(config, 'profile', params.profileArn);
    const profile = profileId ? await this.deps.profiles.getProfile(profileId) : undefined;
    if (!profile) throw fail('profile-not-found');
    if (!profile.enabled) throw fail('profile-disabled');
    if (!profile.roleArns.includes(params.roleArn)) throw fail('role-not-in-profile');
    if (params.roleSessionName !== undefined && !profile.acceptRoleSessionName) throw fail('role-session-name-not-allowed');
    const sessionName = params.roleSessionName ?? leaf.serialHex;
    facts.sessionName = sessionName;

    // 11. Certificate attributes → session tags.
    const mapped = mapSessionTags(leaf, profile.attributeMappings);
    if (hasMappingFailures(mapped)) throw fail('tag-mapping-failed', mappingFailureDetail(mapped));
    if (mapped.tags.length > 50) throw fail('tag-mapping-failed', 'Too many session tags (at most 50).');
    const sourceIdentity = sourceIdentityFor(leaf);
    facts.sourceIdentity = sourceIdentity;

    // 12. The internal AssumeRole: role, trust policy per action (§6.5), duration (§4.2).
    const role = await this.deps.issuer.findRole(params.roleArn);
    if (!role) throw fail('role-not-found');
    const trust = this.trustPolicies.parse(role.assumeRolePolicyDocument);
    if (!trust.ok) throw fail('trust-policy-invalid', trust.message);
    const context = trustPolicyContext({ config, ta, tags: mapped.tags, sourceIdentity, sessionName, now, sourceIp: call.sourceIp });
    const actions = ['sts:AssumeRole', 'sts:SetSourceIdentity', ...(mapped.tags.length > 0 ? ['sts:TagSession'] : [])];
    const lookup = createContextLookup(context);
    for (const action of actions) {
      const d = evaluatePolicies([trust.policy], { principal: { type: 'Service', id: ROLESANYWHERE }, action, resource: role.arn, context }, lookup);
      if (d.decision !== 'allow') throw fail('trust-policy-denied', `${action}: ${d.decision}`);
    }
    const duration = Math.min(profile.durationSeconds, params.durationSeconds ?? profile.durationSeconds);
    if (duration > role.maxSessionDuration)
      throw fail('duration-exceeds-role-maximum', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');

    // 13. Subject bookkeeping, then 14. issuance.
    const subject = await this.recordSubject(facts, params, leaf, ctx.credential, now);
    const outcome = await this.deps.issuer.issue({
      role,
      sessionName,
      sourceIdentity,
      tags: mapped.tags,
      durationSeconds: duration,
      now: clock.now(),
      trustAnchorArn: ta.trustAnchorArn,
      profileArn: profile.profileArn,
      certificateSerial: leaf.serialHex,
      ...(profile.sessionPolicy !== undefined ? { sessionPolicy: profile.sessionPolicy } : {}),
      ...(profile.managedPolicyArns !== undefined ? { managedPolicyArns: profile.managedPolicyArns } : {}),
    });
    if (!outcome.ok) throw fail('issuer-refused', outcome.message);
    const issued = outcome.session;
    facts.accessKeyId = issued.accessKeyId;
    facts.subjectArn = subject.subjectArn;
    return {
      credentialSet: [
        {
          assumedRoleUser: issued.assumedRoleUser,
          credentials: {
            accessKeyId: issued.accessKeyId,
            secretAccessKey: issued.secretAccessKey,
            sessionToken: issued.sessionToken,
            expiration: rfc3339Seconds(issued.expiration),
          },
          packedPolicySize: issued.packedPolicySize,
          roleArn: role.arn,
          sourceIdentity,
        },
      ],
      subjectArn: subject.subjectArn,
    };
  }

  private anchors(ta: TrustAnchor): ParsedCertificate[] {
    const version = ta.updatedAt.getTime();
    const hit = this.anchorCache.get(ta.trustAnchorId);
    if (hit && hit.version === version) return hit.certs;
    const parsed = parseCertificatePem(ta.source.sourceData.x509CertificateData ?? '');
    const certs = parsed.ok ? parsed.value : [];
    this.anchorCache.set(ta.trustAnchorId, { version, certs });
    return certs;
  }
}

/** What commits with this call's audit record: the subject attempt, when there is one. */
function companionWrites(facts: SessionAuditFacts): AuditCompanionWrites {
  return facts.subjectAttempt ? { subjectAttempt: facts.subjectAttempt } : {};
}
