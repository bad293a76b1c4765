import type { Role, RoleInlinePolicy, Tag } from '../../core/iam/role.js';
import type { RoleStore } from '../../core/iam/role-store.js';
import { roleFromRow, rolePolicyFromRow, type RolePolicyRow, type RoleRow } from '../rows/iam-rows.js';
import type { SqliteDatabase } from './database.js';

/**
 * RoleStore on better-sqlite3. Calls are synchronous; each multi-step method runs in one
 * transaction so a concurrent writer on the same file cannot interleave.
 */
export class SqliteRoleStore implements RoleStore {
  constructor(private readonly db: SqliteDatabase) {}

  async createRole(role: Role): Promise<'created' | 'exists'> {
    const result = this.db
      .prepare(
        `INSERT INTO iam_roles (role_id, role_name, path, arn, assume_role_policy_document, description,
           max_session_duration, create_date, tags_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (role_name) DO NOTHING`,
      )
      .run(
        role.roleId,
        role.roleName,
        role.path,
        role.arn,
        role.assumeRolePolicyDocument,
        role.description ?? null,
        role.maxSessionDuration,
        role.createDate.toISOString(),
        JSON.stringify(role.tags.map((t) => ({ key: t.key, value: t.value }))),
      );
    return result.changes === 1 ? 'created' : 'exists';
  }

  async getRole(roleName: string): Promise<Role | undefined> {
    const row = this.row(roleName);
    return row ? roleFromRow(row) : undefined;
  }

  async listRoles(opts: { pathPrefix?: string; marker?: string; maxItems: number }): Promise<{ roles: Role[]; marker?: string }> {
    // substr() rather than LIKE: a path may contain '%' or '_', which LIKE would treat as wildcards.
    const rows = this.db
      .prepare(
        `SELECT * FROM iam_roles
         WHERE (@prefix IS NULL OR substr(path, 1, length(@prefix)) = @prefix)
           AND (@marker IS NULL OR role_name > @marker)
         ORDER BY role_name LIMIT @limit`,
      )
      .all({ prefix: opts.pathPrefix ?? null, marker: opts.marker ?? null, limit: opts.maxItems + 1 }) as RoleRow[];
    const page = rows.slice(0, opts.maxItems).map(roleFromRow);
    const last = page[page.length - 1];
    return rows.length > opts.maxItems && last ? { roles: page, marker: last.roleName } : { roles: page };
  }

  async updateRole(
    roleName: string,
    patch: { description?: string; maxSessionDuration?: number; assumeRolePolicyDocument?: string },
  ): Promise<Role | undefined> {
    return this.db.transaction(() => {
      const row = this.row(roleName);
      if (!row) return undefined;
      this.db
        .prepare(
          `UPDATE iam_roles SET description = ?, max_session_duration = ?, assume_role_policy_document = ?
           WHERE role_id = ?`,
        )
        .run(
          patch.description ?? row.description,
          patch.maxSessionDuration ?? row.max_session_duration,
          patch.assumeRolePolicyDocument ?? row.assume_role_policy_document,
          row.role_id,
        );
      const updated = this.row(roleName);
      return updated ? roleFromRow(updated) : undefined;
    })();
  }

  async deleteRole(roleName: string): Promise<'deleted' | 'not-found' | 'has-policies' | 'has-attached-policies'> {
    return this.db.transaction(() => {
      const row = this.row(roleName);
      if (!row) return 'not-found' as const;
      // Managed attachments are reported before inline policies, as IAM does.
      const attached = this.db.prepare('SELECT COUNT(*) AS n FROM iam_role_policy_attachments WHERE role_id = ?').get(row.role_id) as { n: number };
      if (attached.n > 0) return 'has-attached-policies' as const;
      const n = this.db.prepare('SELECT COUNT(*) AS n FROM iam_role_policies WHERE role_id = ?').get(row.role_id) as { n: number };
      if (n.n > 0) return 'has-policies' as const;
      this.db.prepare('DELETE FROM iam_roles WHERE role_id = ?').run(row.role_id);
      return 'deleted' as const;
    })();
  }

  async putRolePolicy(roleName: string, policy: RoleInlinePolicy): Promise<'ok' | 'role-not-found'> {
    return this.db.transaction(() => {
      const row = this.row(roleName);
      if (!row) return 'role-not-found' as const;
      this.db
        .prepare(
          `INSERT INTO iam_role_policies (role_id, policy_name, policy_document) VALUES (?, ?, ?)
           ON CONFLICT (role_id, policy_name) DO UPDATE SET policy_document = excluded.policy_document`,
        )
        .run(row.role_id, policy.policyName, policy.policyDocument);
      return 'ok' as const;
    })();
  }

  async getRolePolicy(roleName: string, policyName: string): Promise<RoleInlinePolicy | undefined> {
    const row = this.db
      .prepare(
        `SELECT p.policy_name, p.policy_document FROM iam_role_policies p JOIN iam_roles r ON r.role_id = p.role_id
         WHERE r.role_name = ? AND p.policy_name = ?`,
      )
      .get(roleName, policyName) as RolePolicyRow | undefined;
    return row ? rolePolicyFromRow(row) : undefined;
  }

  async listRolePolicies(roleName: string): Promise<RoleInlinePolicy[]> {
    const rows = this.db
      .prepare(
        `SELECT p.policy_name, p.policy_document FROM iam_role_policies p JOIN iam_roles r ON r.role_id = p.role_id
         WHERE r.role_name = ? ORDER BY p.policy_name`,
      )
      .all(roleName) as RolePolicyRow[];
    return rows.map(rolePolicyFromRow);
  }

  async deleteRolePolicy(roleName: string, policyName: string): Promise<'deleted' | 'not-found'> {
    const result = this.db
      .prepare(
        `DELETE FROM iam_role_policies
         WHERE policy_name = ? AND role_id = (SELECT role_id FROM iam_roles WHERE role_name = ?)`,
      )
      .run(policyName, roleName);
    return result.changes > 0 ? 'deleted' : 'not-found';
  }

  async tagRole(roleName: string, tags: readonly Tag[], maxTags: number): Promise<'ok' | 'not-found' | 'limit'> {
    return this.db.transaction(() => {
      const row = this.row(roleName);
      if (!row) return 'not-found' as const;
      const current = JSON.parse(row.tags_json) as Tag[];
      for (const t of tags) {
        // Keys are case-insensitive: overwrite in place, keeping the caller's new spelling.
        const i = current.findIndex((c) => c.key.toLowerCase() === t.key.toLowerCase());
        if (i >= 0) current[i] = { key: t.key, value: t.value };
        else current.push({ key: t.key, value: t.value });
      }
      if (current.length > maxTags) return 'limit' as const;
      this.db.prepare('UPDATE iam_roles SET tags_json = ? WHERE role_id = ?').run(JSON.stringify(current), row.role_id);
      return 'ok' as const;
    })();
  }

  async untagRole(roleName: string, keys: readonly string[]): Promise<'ok' | 'not-found'> {
    return this.db.transaction(() => {
      const row = this.row(roleName);
      if (!row) return 'not-found' as const;
      const drop = new Set(keys.map((k) => k.toLowerCase()));
      const kept = (JSON.parse(row.tags_json) as Tag[]).filter((t) => !drop.has(t.key.toLowerCase()));
      this.db.prepare('UPDATE iam_roles SET tags_json = ? WHERE role_id = ?').run(JSON.stringify(kept), row.role_id);
      return 'ok' as const;
    })();
  }

  private row(roleName: string): RoleRow | undefined {
    return this.db.prepare('SELECT * FROM iam_roles WHERE role_name = ?').get(roleName) as RoleRow | undefined;
  }
}
