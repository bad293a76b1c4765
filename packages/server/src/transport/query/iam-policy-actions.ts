import type { AttachedPolicy, ManagedPolicyWithUsage, PolicyVersion } from '../../core/iam/managed-policy.js';
import type { Tag } from '../../core/iam/role.js';
import { type IamActionHandler, requirePolicies } from './iam-services.js';
import { bool, int, optional, tags } from './query-params.js';
import { el, listEl, textEl, xmlDate } from './xml.js';

function tagsEl(list: readonly Tag[]): string {
  return list.length === 0 ? '' : listEl('Tags', list.map((t) => textEl('Key', t.key) + textEl('Value', t.value)));
}

/**
 * The members of a `Policy` structure (botocore IAM model). IAM leaves Description out of
 * CreatePolicy's answer and Description/Tags out of ListPolicies' members; we do the same so
 * clients see the shapes they see against AWS.
 */
function policyFields(p: ManagedPolicyWithUsage, opts: { description: boolean; tags: boolean }): string {
  return (
    textEl('PolicyName', p.policyName) +
    textEl('PolicyId', p.policyId) +
    textEl('Arn', p.arn) +
    textEl('Path', p.path) +
    textEl('DefaultVersionId', p.defaultVersionId) +
    textEl('AttachmentCount', p.attachmentCount) +
    textEl('PermissionsBoundaryUsageCount', 0) +
    textEl('IsAttachable', true) +
    (opts.description ? textEl('Description', p.description) : '') +
    textEl('CreateDate', xmlDate(p.createDate)) +
    textEl('UpdateDate', xmlDate(p.updateDate)) +
    (opts.tags ? tagsEl(p.tags) : '')
  );
}

function attachedEl(a: AttachedPolicy): string {
  return textEl('PolicyName', a.policyName) + textEl('PolicyArn', a.policyArn);
}

/** Managed policy actions (botocore IAM model: CreatePolicy … ListAttachedRolePolicies). */
export const IAM_POLICY_ACTIONS: Readonly<Record<string, IamActionHandler>> = {
  async CreatePolicy(p, s) {
    const policy = await requirePolicies(s).createPolicy(
      optional({
        policyName: p.get('PolicyName'),
        policyDocument: p.get('PolicyDocument'),
        path: p.get('Path'),
        description: p.get('Description'),
        tags: tags(p),
      }),
    );
    return el('Policy', policyFields(policy, { description: false, tags: true }));
  },

  async GetPolicy(p, s) {
    return el('Policy', policyFields(await requirePolicies(s).getPolicy(p.get('PolicyArn')), { description: true, tags: true }));
  },

  async ListPolicies(p, s) {
    const page = await requirePolicies(s).listPolicies(
      optional({
        scope: p.get('Scope'),
        onlyAttached: bool(p, 'OnlyAttached', 'onlyAttached'),
        pathPrefix: p.get('PathPrefix'),
        policyUsageFilter: p.get('PolicyUsageFilter'),
        marker: p.get('Marker'),
        maxItems: int(p, 'MaxItems', 'maxItems'),
      }),
    );
    return (
      listEl('Policies', page.items.map((x) => policyFields(x, { description: false, tags: false }))) +
      textEl('IsTruncated', page.isTruncated) +
      textEl('Marker', page.marker)
    );
  },

  async DeletePolicy(p, s) {
    await requirePolicies(s).deletePolicy(p.get('PolicyArn'));
    return undefined;
  },

  async GetPolicyVersion(p, s) {
    const v = await requirePolicies(s).versions.get(p.get('PolicyArn'), p.get('VersionId'));
    // Documents are URL-encoded (RFC 3986) in IAM responses; botocore unquotes them.
    return el('PolicyVersion', versionFields(v, true));
  },

  async ListPolicyVersions(p, s) {
    const r = await requirePolicies(s).versions.list(
      optional({ policyArn: p.get('PolicyArn'), marker: p.get('Marker'), maxItems: int(p, 'MaxItems', 'maxItems') }),
    );
    // ListPolicyVersions leaves the documents out (IAM API reference).
    return listEl('Versions', r.versions.map((v) => versionFields(v, false))) + textEl('IsTruncated', r.isTruncated) + textEl('Marker', r.marker);
  },

  async CreatePolicyVersion(p, s) {
    const v = await requirePolicies(s).versions.create(
      optional({ policyArn: p.get('PolicyArn'), policyDocument: p.get('PolicyDocument'), setAsDefault: bool(p, 'SetAsDefault', 'setAsDefault') }),
    );
    return el('PolicyVersion', versionFields(v, false));
  },

  async SetDefaultPolicyVersion(p, s) {
    await requirePolicies(s).versions.setDefault(p.get('PolicyArn'), p.get('VersionId'));
    return undefined;
  },

  async DeletePolicyVersion(p, s) {
    await requirePolicies(s).versions.delete(p.get('PolicyArn'), p.get('VersionId'));
    return undefined;
  },

  async AttachRolePolicy(p, s) {
    await requirePolicies(s).attachRolePolicy(p.get('RoleName'), p.get('PolicyArn'));
    return undefined;
  },

  async DetachRolePolicy(p, s) {
    await requirePolicies(s).detachRolePolicy(p.get('RoleName'), p.get('PolicyArn'));
    return undefined;
  },

  async ListAttachedRolePolicies(p, s) {
    const page = await requirePolicies(s).listAttachedRolePolicies(
      optional({
        roleName: p.get('RoleName'),
        pathPrefix: p.get('PathPrefix'),
        marker: p.get('Marker'),
        maxItems: int(p, 'MaxItems', 'maxItems'),
      }),
    );
    return listEl('AttachedPolicies', page.items.map(attachedEl)) + textEl('IsTruncated', page.isTruncated) + textEl('Marker', page.marker);
  },
};

function versionFields(v: PolicyVersion, withDocument: boolean): string {
  return (
    (withDocument ? textEl('Document', encodeURIComponent(v.document)) : '') +
    textEl('VersionId', v.versionId) +
    textEl('IsDefaultVersion', v.isDefaultVersion) +
    textEl('CreateDate', xmlDate(v.createDate))
  );
}
