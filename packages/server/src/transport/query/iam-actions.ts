import { InvalidInputError, ValidationError } from '../../core/iam/iam-errors.js';
import type { Role, Tag } from '../../core/iam/role.js';
import type { RoleService } from '../../core/iam/role-service.js';
import { el, escapeXml, listEl, textEl, xmlDate } from './xml.js';

/**
 * IAM Query actions: request members as named in the botocore IAM model (service-2.json,
 * `CreateRoleRequest` …), results as its output shapes. Each returns the inner XML of
 * `<XResult>`, or undefined for operations without an output shape.
 */
export type IamActionHandler = (params: ReadonlyMap<string, string>, roles: RoleService) => Promise<string | undefined>;

/**
 * IAM returns policy documents URL-encoded ("The policy document returned in this structure
 * is URL-encoded compliant with RFC 3986", IAM API reference, Role/GetRolePolicy); botocore's
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

/** Integer members arrive as text; a non-number is a ValidationError like IAM's. */
function int(params: ReadonlyMap<string, string>, name: string, member: string): number | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  if (!/^-?\d{1,15}$/.test(raw.trim())) throw new ValidationError([{ member, value: raw, constraint: 'Member must be a number' }]);
  return Number(raw.trim());
}

/** `Tags.member.N.Key` / `Tags.member.N.Value`, ordered by N (Query list serialisation). */
function tags(params: ReadonlyMap<string, string>): Tag[] | undefined {
  const byIndex = new Map<number, { key?: string; value?: string }>();
  for (const [name, value] of params) {
    const m = /^Tags\.member\.([1-9]\d{0,8})\.(Key|Value)$/.exec(name);
    if (!m) continue;
    const i = Number(m[1]);
    const entry = byIndex.get(i) ?? {};
    if (m[2] === 'Key') entry.key = value;
    else entry.value = value;
    byIndex.set(i, entry);
  }
  if (byIndex.size === 0) return params.has('Tags') ? [] : undefined;
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t as Tag);
}

function optional<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

export const IAM_ACTIONS: Readonly<Record<string, IamActionHandler>> = {
  async CreateRole(p, roles) {
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

  async GetRole(p, roles) {
    return el('Role', roleFields(await roles.getRole(p.get('RoleName')), { tags: true, lastUsed: true }));
  },

  async ListRoles(p, roles) {
    const page = await roles.listRoles(
      optional({ pathPrefix: p.get('PathPrefix'), marker: p.get('Marker'), maxItems: int(p, 'MaxItems', 'maxItems') }),
    );
    return (
      listEl('Roles', page.roles.map((r) => roleFields(r, { tags: false, lastUsed: false }))) +
      textEl('IsTruncated', page.isTruncated) +
      textEl('Marker', page.marker)
    );
  },

  async UpdateRole(p, roles) {
    await roles.updateRole(
      optional({
        roleName: p.get('RoleName'),
        description: p.get('Description'),
        maxSessionDuration: int(p, 'MaxSessionDuration', 'maxSessionDuration'),
      }),
    );
    return ''; // UpdateRoleResponse is an empty structure with a result wrapper.
  },

  async UpdateAssumeRolePolicy(p, roles) {
    await roles.updateAssumeRolePolicy({ roleName: p.get('RoleName'), policyDocument: p.get('PolicyDocument') });
    return undefined;
  },

  async DeleteRole(p, roles) {
    await roles.deleteRole(p.get('RoleName'));
    return undefined;
  },

  async PutRolePolicy(p, roles) {
    await roles.putRolePolicy({ roleName: p.get('RoleName'), policyName: p.get('PolicyName'), policyDocument: p.get('PolicyDocument') });
    return undefined;
  },

  async GetRolePolicy(p, roles) {
    const policy = await roles.getRolePolicy(p.get('RoleName'), p.get('PolicyName'));
    return (
      textEl('RoleName', policy.roleName) +
      textEl('PolicyName', policy.policyName) +
      policyDocumentEl('PolicyDocument', policy.policyDocument)
    );
  },

  async ListRolePolicies(p, roles) {
    const page = await roles.listRolePolicies(
      optional({ roleName: p.get('RoleName'), marker: p.get('Marker'), maxItems: int(p, 'MaxItems', 'maxItems') }),
    );
    return (
      listEl('PolicyNames', page.policyNames.map(escapeXml)) +
      textEl('IsTruncated', page.isTruncated) +
      textEl('Marker', page.marker)
    );
  },

  async DeleteRolePolicy(p, roles) {
    await roles.deleteRolePolicy(p.get('RoleName'), p.get('PolicyName'));
    return undefined;
  },
};

/** The resource an IAM action targets, for AccessDenied messages (IAM ARN format). */
export function iamResourceArn(action: string, params: ReadonlyMap<string, string>, partition: string, accountId: string): string {
  const name = params.get('RoleName');
  const safeName = name !== undefined && /^[\w+=,.@-]{1,64}$/.test(name) ? name : '';
  return `arn:${partition}:iam::${accountId}:role/${action === 'ListRoles' ? '' : safeName}`;
}
