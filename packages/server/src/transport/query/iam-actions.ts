import { InvalidInputError } from '../../core/iam/iam-errors.js';
import type { Role, Tag } from '../../core/iam/role.js';
import { IAM_POLICY_ACTIONS } from './iam-policy-actions.js';
import type { IamActionHandler } from './iam-services.js';
import { int, optional, stringList, tags } from './query-params.js';
import { el, escapeXml, listEl, textEl, xmlDate } from './xml.js';

/**
 * IAM role actions (botocore IAM model: CreateRole … ListRoleTags), and the registry of every
 * IAM action. IAM returns policy documents URL-encoded ("The policy document returned in this
 * structure is URL-encoded compliant with RFC 3986", IAM API reference, Role/GetRolePolicy); botocore's
 * `json_decode_policies` handler unquotes them.
 */
function policyDocumentEl(name: string, document: string): string {
  return textEl(name, encodeURIComponent(document));
}

function tagsEl(tags: readonly Tag[]): string {
  return tags.length === 0 ? '' : listEl('Tags', tags.map((t) => textEl('Key', t.key) + textEl('Value', t.value)));
}

/** The members of a `Role` structure (botocore IAM model, shape `Role`). */
function roleFields(role: Role, opts: { tags: boolean; lastUsed: boolean }): string {
  return (
    textEl('Path', role.path) +
      textEl('RoleName', role.roleName) +
      textEl('RoleId', role.roleId) +
      textEl('Arn', role.arn) +
      textEl('CreateDate', xmlDate(role.createDate)) +
      policyDocumentEl('AssumeRolePolicyDocument', role.assumeRolePolicyDocument) +
      textEl('Description', role.description) +
      textEl('MaxSessionDuration', role.maxSessionDuration) +
      (opts.tags ? tagsEl(role.tags) : '') +
      (opts.lastUsed ? '<RoleLastUsed/>' : '')
  );
}

const IAM_ROLE_ACTIONS: Readonly<Record<string, IamActionHandler>> = {
  async CreateRole(p, { roles }) {
    if (p.has('PermissionsBoundary')) {
      // Ignoring a boundary would silently grant more than the caller asked for.
      throw new InvalidInputError('Permissions boundaries are not supported by this server.');
    }
    const role = await roles.createRole(
      optional({
        roleName: p.get('RoleName'),
        assumeRolePolicyDocument: p.get('AssumeRolePolicyDocument'),
        path: p.get('Path'),
        description: p.get('Description'),
        maxSessionDuration: int(p, 'MaxSessionDuration', 'maxSessionDuration'),
        tags: tags(p),
      }),
    );
    return el('Role', roleFields(role, { tags: true, lastUsed: false }));
  },

  async GetRole(p, { roles }) {
    return el('Role', roleFields(await roles.getRole(p.get('RoleName')), { tags: true, lastUsed: true }));
  },

  async ListRoles(p, { roles }) {
    const page = await roles.listRoles(
      optional({ pathPrefix: p.get('PathPrefix'), marker: p.get('Marker'), maxItems: int(p, 'MaxItems', 'maxItems') }),
    );
    return (
      listEl('Roles', page.roles.map((r) => roleFields(r, { tags: false, lastUsed: false }))) +
      textEl('IsTruncated', page.isTruncated) +
      textEl('Marker', page.marker)
    );
  },

  async UpdateRole(p, { roles }) {
    await roles.updateRole(
      optional({
        roleName: p.get('RoleName'),
        description: p.get('Description'),
        maxSessionDuration: int(p, 'MaxSessionDuration', 'maxSessionDuration'),
      }),
    );
    return ''; // UpdateRoleResponse is an empty structure with a result wrapper.
  },

  async UpdateAssumeRolePolicy(p, { roles }) {
    await roles.updateAssumeRolePolicy({ roleName: p.get('RoleName'), policyDocument: p.get('PolicyDocument') });
    return undefined;
  },

  async DeleteRole(p, { roles }) {
    await roles.deleteRole(p.get('RoleName'));
    return undefined;
  },

  async PutRolePolicy(p, { roles }) {
    await roles.putRolePolicy({ roleName: p.get('RoleName'), policyName: p.get('PolicyName'), policyDocument: p.get('PolicyDocument') });
    return undefined;
  },

  async GetRolePolicy(p, { roles }) {
    const policy = await roles.getRolePolicy(p.get('RoleName'), p.get('PolicyName'));
    return (
      textEl('RoleName', policy.roleName) +
      textEl('PolicyName', policy.policyName) +
      policyDocumentEl('PolicyDocument', policy.policyDocument)
    );
  },

  async ListRolePolicies(p, { roles }) {
    const page = await roles.listRolePolicies(
      optional({ roleName: p.get('RoleName'), marker: p.get('Marker'), maxItems: int(p, 'MaxItems', 'maxItems') }),
    );
    return (
      listEl('PolicyNames', page.policyNames.map(escapeXml)) +
      textEl('IsTruncated', page.isTruncated) +
      textEl('Marker', page.marker)
    );
  },

  async DeleteRolePolicy(p, { roles }) {
    await roles.deleteRolePolicy(p.get('RoleName'), p.get('PolicyName'));
    return undefined;
  },

  async TagRole(p, { roles }) {
    await roles.tagRole({ roleName: p.get('RoleName'), tags: tags(p) });
    return undefined;
  },

  async UntagRole(p, { roles }) {
    await roles.untagRole({ roleName: p.get('RoleName'), tagKeys: stringList(p, 'TagKeys') });
    return undefined;
  },

  async ListRoleTags(p, { roles }) {
    const page = await roles.listRoleTags(
      optional({ roleName: p.get('RoleName'), marker: p.get('Marker'), maxItems: int(p, 'MaxItems', 'maxItems') }),
    );
    // Tags is a required member of ListRoleTagsResponse: always present, possibly empty.
    return (
      listEl('Tags', page.tags.map((t) => textEl('Key', t.key) + textEl('Value', t.value))) +
      textEl('IsTruncated', page.isTruncated) +
      textEl('Marker', page.marker)
    );
  },
};

/** Every IAM action this server answers, by Query `Action` name. */
export const IAM_ACTIONS: Readonly<Record<string, IamActionHandler>> = { ...IAM_ROLE_ACTIONS, ...IAM_POLICY_ACTIONS };


