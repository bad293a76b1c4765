import { parsePolicyDocument } from '../policy/index.js';
import { DeleteConflictError, InvalidInputError, LimitExceededError, MalformedPolicyDocumentError, NoSuchEntityError } from './iam-errors.js';
import type { ManagedPolicy, PolicyVersion } from './managed-policy.js';
import type { ManagedPolicyServiceDeps } from './managed-policy-service.js';
import { resolveManagedPolicy } from './managed-policy-lookup.js';
import { policyWriteViolation } from './policy-write-rules.js';
import {
  ARN,
  MANAGED_POLICY_MAX_SIZE,
  MARKER,
  MAX_ITEMS,
  POLICY_DOCUMENT,
  POLICY_VERSION_ID,
  Violations,
  policySize,
  throwIfInvalid,
} from './role-validation.js';

/** IAM quotas: "Versions of a managed policy: 5". */
export const MAX_POLICY_VERSIONS = 5;

/**
 * A managed policy document as IAM accepts it on CreatePolicy and CreatePolicyVersion: the size
 * quota (counted without white space), the grammar, then the write rules.
 */
export function checkManagedPolicyDocument(document: string): void {
  if (policySize(document) > MANAGED_POLICY_MAX_SIZE) throw LimitExceededError.quota('PolicySize', MANAGED_POLICY_MAX_SIZE);
  const parsed = parsePolicyDocument(document, 'identity');
  if (!parsed.ok) throw new MalformedPolicyDocumentError(parsed.message);
  const violation = policyWriteViolation(parsed.policy, 'identity');
  if (violation) throw new MalformedPolicyDocumentError(violation);
}

/**
 * Versions of customer managed policies (IAM API reference: CreatePolicyVersion,
 * GetPolicyVersion, ListPolicyVersions, SetDefaultPolicyVersion, DeletePolicyVersion). AWS
 * managed policies have their one built-in version and cannot be changed here.
 */
export class PolicyVersions {
  constructor(private readonly deps: ManagedPolicyServiceDeps) {}

  async create(input: { policyArn: string | undefined; policyDocument: string | undefined; setAsDefault?: boolean }): Promise<PolicyVersion> {
    const v = new Violations();
    if (v.required('policyArn', input.policyArn)) v.string('policyArn', input.policyArn, ARN);
    if (v.required('policyDocument', input.policyDocument)) v.string('policyDocument', input.policyDocument, POLICY_DOCUMENT);
    throwIfInvalid(v);
    const arn = input.policyArn as string;
    await this.stored(arn);
    const document = input.policyDocument as string;
    checkManagedPolicyDocument(document);
    const now = this.deps.clock.now();
    const setAsDefault = input.setAsDefault === true;
    const r = await this.deps.store.createPolicyVersion(arn, { document, setAsDefault }, { maxVersions: MAX_POLICY_VERSIONS, now });
    if (r === 'not-found') throw NoSuchEntityError.policy(arn);
    if (r === 'limit') {
      throw new LimitExceededError(`A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
    }
    return { versionId: r.versionId, document, isDefaultVersion: setAsDefault, createDate: now };
  }

  async get(arn: string | undefined, versionId: string | undefined): Promise<PolicyVersion> {
    this.check(arn, versionId);
    const versions = await this.all(arn as string);
    const found = versions.find((x) => x.versionId === versionId);
    if (!found) throw NoSuchEntityError.policyVersion(arn as string, versionId as string);
    return found;
  }

  async list(input: { policyArn: string | undefined; marker?: string; maxItems?: number }): Promise<{ versions: PolicyVersion[]; isTruncated: boolean; marker?: string }> {
    const v = new Violations();
    if (v.required('policyArn', input.policyArn)) v.string('policyArn', input.policyArn, ARN);
    v.string('marker', input.marker, MARKER);
    v.integer('maxItems', input.maxItems, MAX_ITEMS);
    throwIfInvalid(v);
    const versions = await this.all(input.policyArn as string);
    // At most five versions: the marker is the index of the next one.
    const from = input.marker === undefined ? 0 : Number(input.marker);
    if (!Number.isSafeInteger(from) || from < 0 || from > versions.length) throw new InvalidInputError('Invalid Marker.');
    const max = input.maxItems ?? 100;
    const items = versions.slice(from, from + max);
    const next = from + items.length;
    return next < versions.length ? { versions: items, isTruncated: true, marker: String(next) } : { versions: items, isTruncated: false };
  }

  async setDefault(arn: string | undefined, versionId: string | undefined): Promise<void> {
    this.check(arn, versionId);
    await this.stored(arn as string);
    const r = await this.deps.store.setDefaultPolicyVersion(arn as string, versionId as string, this.deps.clock.now());
    if (r === 'not-found') throw NoSuchEntityError.policy(arn as string);
    if (r === 'version-not-found') throw NoSuchEntityError.policyVersion(arn as string, versionId as string);
  }

  async delete(arn: string | undefined, versionId: string | undefined): Promise<void> {
    this.check(arn, versionId);
    await this.stored(arn as string);
    const r = await this.deps.store.deletePolicyVersion(arn as string, versionId as string);
    if (r === 'not-found') throw NoSuchEntityError.policy(arn as string);
    if (r === 'version-not-found') throw NoSuchEntityError.policyVersion(arn as string, versionId as string);
    if (r === 'default') throw new DeleteConflictError('Cannot delete the default version of a policy.');
  }

  private check(arn: string | undefined, versionId: string | undefined): void {
    const v = new Violations();
    if (v.required('policyArn', arn)) v.string('policyArn', arn, ARN);
    if (v.required('versionId', versionId)) v.string('versionId', versionId, POLICY_VERSION_ID);
    throwIfInvalid(v);
  }

  /** Every version, newest first; an AWS managed policy has its one built-in version. */
  private async all(arn: string): Promise<PolicyVersion[]> {
    const policy = await this.resolve(arn);
    if (policy.scope === 'AWS') return [{ versionId: policy.defaultVersionId, document: policy.document, isDefaultVersion: true, createDate: policy.createDate }];
    const versions = await this.deps.store.listPolicyVersions(arn);
    if (!versions) throw NoSuchEntityError.policy(arn);
    return versions;
  }

  /** A customer managed policy of this account; AWS managed ones are read-only ("not found" here). */
  private async stored(arn: string): Promise<ManagedPolicy> {
    const policy = await this.resolve(arn);
    if (policy.scope === 'AWS') throw NoSuchEntityError.policy(arn);
    return policy;
  }

  private resolve(arn: string): Promise<ManagedPolicy> {
    return resolveManagedPolicy(this.deps.store, this.deps.config, arn);
  }
}
