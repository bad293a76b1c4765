import type { IamPolicy } from '../api/iam-api.js';
import type { Schema } from '../property-schema.js';
import {
  diffProperties,
  generatedName,
  ownerLogicalId,
  ownershipTags,
  type Apis,
  type ApplyTarget,
  type LiveResource,
  type OwnedResource,
  type Props,
  type ResourceHandler,
} from './resource-handler.js';

/**
 * AWS::IAM::ManagedPolicy (CloudFormation resource schema). Ref returns the policy ARN.
 * A changed PolicyDocument is an update, as in CloudFormation: a new default version
 * (CreatePolicyVersion), after deleting the oldest non-default version when all five are used.
 */

const SCHEMA: Extract<Schema, { type: 'object' }> = {
  type: 'object',
  required: ['PolicyDocument'],
  properties: {
    ManagedPolicyName: { type: 'string', min: 1, max: 128, pattern: /^[\w+=,.@-]+$/ },
    Path: { type: 'string', min: 1, max: 512, pattern: /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/ },
    Description: { type: 'string', max: 1000 },
    PolicyDocument: { type: 'policy' },
    Roles: { type: 'array', items: { type: 'string', min: 1 } },
  },
  unsupported: {
    Users: 'IAM users are not supported by Mooring (attach the policy to roles)',
    Groups: 'IAM groups are not supported by Mooring (attach the policy to roles)',
  },
};

/** Role names the policy is attached to (IAM has ListEntitiesForPolicy; Mooring does not yet). */
async function attachedRoles(apis: Apis, arn: string): Promise<string[]> {
  const out: string[] = [];
  for (const role of await apis.iam.listRoles()) {
    if ((await apis.iam.attachedPolicyArns(role.RoleName!)).includes(arn)) out.push(role.RoleName!);
  }
  return out.sort();
}

function parseDocument(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function readPolicy(apis: Apis, policy: IamPolicy, logicalId: string): Promise<LiveResource> {
  const arn = policy.Arn!;
  const full = await apis.iam.getPolicy(arn);
  return {
    logicalId,
    physicalId: arn,
    ref: arn,
    attributes: { PolicyArn: arn, PolicyId: full.PolicyId ?? '', DefaultVersionId: full.DefaultVersionId ?? 'v1' },
    state: {
      ManagedPolicyName: full.PolicyName,
      Path: full.Path ?? '/',
      Description: full.Description ?? '',
      PolicyDocument: parseDocument(await apis.iam.policyDocument(arn, full.DefaultVersionId ?? 'v1')),
      Roles: await attachedRoles(apis, arn),
    },
  };
}

async function createPolicy(apis: Apis, desired: Props, target: ApplyTarget, roles: readonly string[]): Promise<LiveResource> {
  const policy = await apis.iam.createPolicy({
    PolicyName: desired.ManagedPolicyName as string,
    PolicyDocument: JSON.stringify(desired.PolicyDocument),
    Path: desired.Path as string,
    ...(desired.Description ? { Description: desired.Description as string } : {}),
    Tags: ownershipTags(target),
  });
  for (const role of roles) await apis.iam.attachRolePolicy(role, policy.Arn!);
  return readPolicy(apis, policy, target.logicalId);
}

export const iamManagedPolicyHandler: ResourceHandler = {
  type: 'AWS::IAM::ManagedPolicy',
  schema: SCHEMA,
  attributes: ['PolicyArn', 'PolicyId', 'DefaultVersionId'],

  normalize(props, target) {
    const out: Props = {
      ManagedPolicyName: props.ManagedPolicyName ?? generatedName(target, 128),
      Path: props.Path ?? '/',
      Description: props.Description ?? '',
      PolicyDocument: props.PolicyDocument,
    };
    // Omitted: attachments are left to the roles' ManagedPolicyArns.
    if (props.Roles !== undefined) out.Roles = [...new Set(props.Roles as string[])].sort();
    return out;
  },

  async listOwned(apis, stack) {
    const owned: OwnedResource[] = [];
    for (const p of await apis.iam.listLocalPolicies()) {
      const logicalId = ownerLogicalId((await apis.iam.getPolicy(p.Arn!)).Tags ?? [], stack);
      if (logicalId) owned.push({ logicalId, physicalId: p.Arn! });
    }
    return owned;
  },

  async read(apis, owned) {
    return readPolicy(apis, { Arn: owned.physicalId }, owned.logicalId);
  },

  diff(desired, live) {
    // Name, Path and Description are create-only (CloudFormation schema); the document is a new version.
    return diffProperties(desired, live.state, new Set(['ManagedPolicyName', 'Path', 'Description']));
  },

  async create(apis, desired, target) {
    return createPolicy(apis, desired, target, (desired.Roles as string[] | undefined) ?? []);
  },

  async update(apis, live, desired) {
    if (JSON.stringify(desired.PolicyDocument) !== JSON.stringify(live.state.PolicyDocument)) {
      const versions = await apis.iam.listPolicyVersions(live.physicalId);
      if (versions.length >= 5) {
        const oldest = versions.filter((v) => !v.IsDefaultVersion).sort((a, b) => Number(a.VersionId!.slice(1)) - Number(b.VersionId!.slice(1)))[0];
        if (oldest) await apis.iam.deletePolicyVersion(live.physicalId, oldest.VersionId!);
      }
      await apis.iam.createPolicyVersion(live.physicalId, JSON.stringify(desired.PolicyDocument));
    }
    const before = live.state.Roles as string[];
    const after = desired.Roles as string[] | undefined;
    if (after === undefined) return this.read(apis, live); // attachments are the roles' business
    for (const role of after) if (!before.includes(role)) await apis.iam.attachRolePolicy(role, live.physicalId);
    for (const role of before) if (!after.includes(role)) await apis.iam.detachRolePolicy(role, live.physicalId);
    return this.read(apis, live);
  },

  async replace(apis, live, desired, target) {
    const wasAttached = live.state.Roles as string[];
    await this.delete(apis, live);
    const sameArn = desired.ManagedPolicyName === live.state.ManagedPolicyName && desired.Path === live.state.Path;
    // Same ARN: the roles that referred to it still do, so they get it back.
    const roles = (desired.Roles as string[] | undefined) ?? (sameArn ? wasAttached : []);
    return createPolicy(apis, desired, target, roles);
  },

  async delete(apis, live) {
    for (const role of await attachedRoles(apis, live.physicalId)) await apis.iam.detachRolePolicy(role, live.physicalId);
    // IAM refuses DeletePolicy while versions other than the default exist.
    for (const v of await apis.iam.listPolicyVersions(live.physicalId)) if (!v.IsDefaultVersion) await apis.iam.deletePolicyVersion(live.physicalId, v.VersionId!);
    await apis.iam.deletePolicy(live.physicalId);
  },
};
