import { decodePolicyDocument, type IamRole } from '../api/iam-api.js';
import type { Schema } from '../property-schema.js';
import { propertyPath, TemplateError } from '../template-error.js';
import {
  diffProperties,
  generatedName,
  ownerLogicalId,
  ownershipTags,
  tagDelta,
  userTags,
  type Apis,
  type LiveResource,
  type OwnedResource,
  type ResourceHandler,
} from './resource-handler.js';

/** AWS::IAM::Role (CloudFormation resource schema; IAM API reference). Ref returns RoleName. */

const SCHEMA: Extract<Schema, { type: 'object' }> = {
  type: 'object',
  required: ['AssumeRolePolicyDocument'],
  properties: {
    RoleName: { type: 'string', min: 1, max: 64, pattern: /^[\w+=,.@-]+$/ },
    Path: { type: 'string', min: 1, max: 512, pattern: /^(\/|\/[\u0021-\u007E]+\/)$/ },
    AssumeRolePolicyDocument: { type: 'policy' },
    Description: { type: 'string', max: 1000 },
    MaxSessionDuration: { type: 'integer', min: 3600, max: 43200 },
    ManagedPolicyArns: { type: 'array', max: 20, items: { type: 'string', pattern: /^arn:(aws[a-zA-Z-]*)?:iam::(\d{12}|aws):policy\/[a-zA-Z_0-9+=,.@\-_/]+$/ } },
    Policies: {
      type: 'array',
      items: { type: 'object', required: ['PolicyName', 'PolicyDocument'], properties: { PolicyName: { type: 'string', min: 1, max: 128 }, PolicyDocument: { type: 'policy' } } },
    },
    Tags: {
      type: 'array',
      max: 50,
      items: {
        type: 'object',
        required: ['Key', 'Value'],
        properties: { Key: { type: 'string', min: 1, max: 128, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u }, Value: { type: 'string', max: 256, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u } },
      },
    },
  },
  unsupported: { PermissionsBoundary: 'permissions boundaries are not supported by Mooring' },
};

type InlinePolicy = { PolicyName: string; PolicyDocument: unknown };

function parseDocument(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function readRole(apis: Apis, role: IamRole, logicalId: string): Promise<LiveResource> {
  const name = role.RoleName!;
  const inline = await apis.iam.inlinePolicies(name);
  const tags = await apis.iam.roleTags(name);
  return {
    logicalId,
    physicalId: name,
    ref: name,
    attributes: { Arn: role.Arn!, RoleId: role.RoleId! },
    state: {
      RoleName: name,
      Path: role.Path ?? '/',
      AssumeRolePolicyDocument: parseDocument(decodePolicyDocument(role.AssumeRolePolicyDocument)),
      Description: role.Description ?? '',
      MaxSessionDuration: role.MaxSessionDuration ?? 3600,
      Policies: [...inline.entries()].map(([n, d]) => ({ PolicyName: n, PolicyDocument: parseDocument(d) })).sort((a, b) => a.PolicyName.localeCompare(b.PolicyName)),
      ManagedPolicyArns: (await apis.iam.attachedPolicyArns(name)).sort(),
      Tags: userTags(tags.map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }))),
    },
  };
}

export const iamRoleHandler: ResourceHandler = {
  type: 'AWS::IAM::Role',
  schema: SCHEMA,
  attributes: ['Arn', 'RoleId'],

  normalize(props, target) {
    const policies = ((props.Policies as InlinePolicy[] | undefined) ?? []).slice().sort((a, b) => a.PolicyName.localeCompare(b.PolicyName));
    const names = policies.map((p) => p.PolicyName);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new TemplateError(propertyPath(target.logicalId, 'Policies'), `PolicyName ${dup} appears twice`);
    return {
      RoleName: props.RoleName ?? generatedName(target, 64),
      Path: props.Path ?? '/',
      AssumeRolePolicyDocument: props.AssumeRolePolicyDocument,
      Description: props.Description ?? '',
      MaxSessionDuration: props.MaxSessionDuration ?? 3600,
      Policies: policies,
      ManagedPolicyArns: [...new Set((props.ManagedPolicyArns as string[] | undefined) ?? [])].sort(),
      Tags: userTags(props.Tags),
    };
  },

  async listOwned(apis, stack) {
    const owned: OwnedResource[] = [];
    for (const role of await apis.iam.listRoles()) {
      const logicalId = ownerLogicalId(await apis.iam.roleTags(role.RoleName!), stack);
      if (logicalId) owned.push({ logicalId, physicalId: role.RoleName! });
    }
    return owned;
  },

  async read(apis, owned) {
    return readRole(apis, await apis.iam.getRole(owned.physicalId), owned.logicalId);
  },

  diff(desired, live) {
    // RoleName and Path are create-only (CloudFormation AWS::IAM::Role createOnlyProperties).
    return diffProperties(desired, live.state, new Set(['RoleName', 'Path']));
  },

  async create(apis, desired, target) {
    const name = desired.RoleName as string;
    const role = await apis.iam.createRole({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify(desired.AssumeRolePolicyDocument),
      Path: desired.Path as string,
      ...(desired.Description ? { Description: desired.Description as string } : {}),
      MaxSessionDuration: desired.MaxSessionDuration as number,
      Tags: [...userTags(desired.Tags), ...ownershipTags(target)],
    });
    for (const p of desired.Policies as InlinePolicy[]) await apis.iam.putRolePolicy(name, p.PolicyName, JSON.stringify(p.PolicyDocument));
    for (const arn of desired.ManagedPolicyArns as string[]) await apis.iam.attachRolePolicy(name, arn);
    return readRole(apis, role, target.logicalId);
  },

  async update(apis, live, desired, changes) {
    const name = live.physicalId;
    const changed = new Set(changes.map((c) => c.property));
    if (changed.has('AssumeRolePolicyDocument')) await apis.iam.updateAssumeRolePolicy(name, JSON.stringify(desired.AssumeRolePolicyDocument));
    if (changed.has('Description') || changed.has('MaxSessionDuration')) {
      await apis.iam.updateRole({ RoleName: name, Description: desired.Description as string, MaxSessionDuration: desired.MaxSessionDuration as number });
    }
    if (changed.has('Policies')) {
      const before = new Map((live.state.Policies as InlinePolicy[]).map((p) => [p.PolicyName, JSON.stringify(p.PolicyDocument)]));
      const after = desired.Policies as InlinePolicy[];
      for (const p of after) {
        const doc = JSON.stringify(p.PolicyDocument);
        if (before.get(p.PolicyName) !== doc) await apis.iam.putRolePolicy(name, p.PolicyName, doc);
      }
      for (const old of before.keys()) if (!after.some((p) => p.PolicyName === old)) await apis.iam.deleteRolePolicy(name, old);
    }
    if (changed.has('ManagedPolicyArns')) {
      const before = live.state.ManagedPolicyArns as string[];
      const after = desired.ManagedPolicyArns as string[];
      for (const arn of after) if (!before.includes(arn)) await apis.iam.attachRolePolicy(name, arn);
      for (const arn of before) if (!after.includes(arn)) await apis.iam.detachRolePolicy(name, arn);
    }
    if (changed.has('Tags')) {
      const { set, remove } = tagDelta(live.state.Tags, desired.Tags);
      await apis.iam.untagRole(name, remove);
      await apis.iam.tagRole(name, set);
    }
    return this.read(apis, live);
  },

  /** IAM refuses to delete a role that still has policies (DeleteConflict), so they go first. */
  async delete(apis, live) {
    const name = live.physicalId;
    for (const arn of await apis.iam.attachedPolicyArns(name)) await apis.iam.detachRolePolicy(name, arn);
    for (const policy of (await apis.iam.inlinePolicies(name)).keys()) await apis.iam.deleteRolePolicy(name, policy);
    await apis.iam.deleteRole(name);
  },
};

