import type { PoolClient } from 'pg';
import type { Role, RoleInlinePolicy, Tag } from '../../core/iam/role.js';
import type { RoleStore } from '../../core/iam/role-store.js';
import { roleFromRow, type RoleRow } from '../rows/iam-rows.js';
import type { PgDatabase } from './pg-database.js';
import { notifyChange } from './pg-notify.js';

const ROLE_COLUMNS = 'role_id, role_name, path, arn, assume_role_policy_document, description, max_session_duration, create_date, tags_json';

/**
 * RoleStore on PostgreSQL. Role names match case-insensitively (`lower(role_name)`, unique
 * index); every write is a patch applied under the role's row lock, so two replicas changing
 * one role serialise and neither change is lost. Writes notify 'role' with the role name.
 */
export class PgRoleStore implements RoleStore {
  constructor(private readonly db: PgDatabase) {}

  async createRole(role: Role): Promise<'created' | 'exists'> {
    return this.db.tx(async (c) => {
      const r = await c.query(
        `INSERT INTO iam_roles (${ROLE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT ((lower(role_name))) DO NOTHING`,
        [
          role.roleId, role.roleName, role.path, role.arn, role.assumeRolePolicyDocument, role.description ?? null,
          role.maxSessionDuration, role.createDate.toISOString(), JSON.stringify(role.tags.map((t) => ({ key: t.key, value: t.value }))),
        ],
      );
      if (r.rowCount !== 1) return 'exists' as const;
      await this.notify(c, role.roleName);
      return 'created' as const;
    });
  }

  async getRole(roleName: string): Promise<Role | undefined> {
    const r = await this.db.query<RoleRow>(`SELECT ${ROLE_COLUMNS} FROM iam_roles WHERE lower(role_name) = lower($1)`, [roleName]);
    return r.rows[0] ? roleFromRow(r.rows[0]) : undefined;
  }

  /** Ordered like SQLite's NOCASE: by lower-cased name, bytewise (COLLATE "C", not the locale). */
  async listRoles(opts: { pathPrefix?: string; marker?: string; maxItems: number }): Promise<{ roles: Role[]; marker?: string }> {
    // left() rather than LIKE: a path may contain '%' or '_', which LIKE treats as wildcards.
    const r = await this.db.query<RoleRow>(
      `SELECT ${ROLE_COLUMNS} FROM iam_roles
       WHERE ($1::text IS NULL OR left(path, length($1::text)) = $1::text)
         AND ($2::text IS NULL OR lower(role_name) COLLATE "C" > lower($2::text) COLLATE "C")
       ORDER BY lower(role_name) COLLATE "C" LIMIT $3`,
      [opts.pathPrefix ?? null, opts.marker ?? null, opts.maxItems + 1],
    );
    const page = r.rows.slice(0, opts.maxItems).map(roleFromRow);
    const last = page[page.length - 1];
    return r.rows.length > opts.maxItems && last ? { roles: page, marker: last.roleName } : { roles: page };
  }

  async updateRole(
    roleName: string,
    patch: { description?: string; maxSessionDuration?: number; assumeRolePolicyDocument?: string },
  ): Promise<Role | undefined> {
    return this.db.tx(async (c) => {
      // COALESCE applies only the fields given, against the row as committed: no read-modify-write gap.
      const r = await c.query<RoleRow>(
        `UPDATE iam_roles SET description = COALESCE($2, description), max_session_duration = COALESCE($3, max_session_duration),
           assume_role_policy_document = COALESCE($4, assume_role_policy_document), version = version + 1
         WHERE lower(role_name) = lower($1) RETURNING ${ROLE_COLUMNS}`,
        [roleName, patch.description ?? null, patch.maxSessionDuration ?? null, patch.assumeRolePolicyDocument ?? null],
      );
      const row = r.rows[0];
      if (!row) return undefined;
      await this.notify(c, row.role_name);
      return roleFromRow(row);
    });
  }

  async deleteRole(roleName: string): Promise<'deleted' | 'not-found' | 'has-policies' | 'has-attached-policies'> {
    return this.db.tx(async (c) => {
      const row = await this.lockRole(c, roleName);
      if (!row) return 'not-found' as const;
      // Managed attachments are reported before inline policies, as IAM does.
      const attached = await c.query('SELECT 1 FROM iam_role_policy_attachments WHERE role_id = $1 LIMIT 1', [row.role_id]);
      if (attached.rowCount) return 'has-attached-policies' as const;
      const inline = await c.query('SELECT 1 FROM iam_role_policies WHERE role_id = $1 LIMIT 1', [row.role_id]);
      if (inline.rowCount) return 'has-policies' as const;
      await c.query('DELETE FROM iam_roles WHERE role_id = $1', [row.role_id]);
      await this.notify(c, row.role_name);
      return 'deleted' as const;
    });
  }

  async putRolePolicy(roleName: string, policy: RoleInlinePolicy): Promise<'ok' | 'role-not-found'> {
    return this.db.tx(async (c) => {
      const row = await this.lockRole(c, roleName);
      if (!row) return 'role-not-found' as const;
      await c.query(
        `INSERT INTO iam_role_policies (role_id, policy_name, policy_document) VALUES ($1, $2, $3)
         ON CONFLICT (role_id, policy_name) DO UPDATE SET policy_document = excluded.policy_document`,
        [row.role_id, policy.policyName, policy.policyDocument],
      );
      await this.touch(c, row);
      return 'ok' as const;
    });
  }

  async getRolePolicy(roleName: string, policyName: string): Promise<RoleInlinePolicy | undefined> {
    const r = await this.db.query<{ policy_name: string; policy_document: string }>(
      `SELECT p.policy_name, p.policy_document FROM iam_role_policies p JOIN iam_roles r ON r.role_id = p.role_id
       WHERE lower(r.role_name) = lower($1) AND p.policy_name = $2`,
      [roleName, policyName],
    );
    const row = r.rows[0];
    return row ? { policyName: row.policy_name, policyDocument: row.policy_document } : undefined;
  }

  async listRolePolicies(roleName: string): Promise<RoleInlinePolicy[]> {
    const r = await this.db.query<{ policy_name: string; policy_document: string }>(
      `SELECT p.policy_name, p.policy_document FROM iam_role_policies p JOIN iam_roles r ON r.role_id = p.role_id
       WHERE lower(r.role_name) = lower($1) ORDER BY p.policy_name COLLATE "C"`,
      [roleName],
    );
    return r.rows.map((row) => ({ policyName: row.policy_name, policyDocument: row.policy_document }));
  }

  async deleteRolePolicy(roleName: string, policyName: string): Promise<'deleted' | 'not-found'> {
    return this.db.tx(async (c) => {
      const row = await this.lockRole(c, roleName);
      if (!row) return 'not-found' as const;
      const r = await c.query('DELETE FROM iam_role_policies WHERE role_id = $1 AND policy_name = $2', [row.role_id, policyName]);
      if (!r.rowCount) return 'not-found' as const;
      await this.touch(c, row);
      return 'deleted' as const;
    });
  }

  async tagRole(roleName: string, tags: readonly Tag[], maxTags: number): Promise<'ok' | 'not-found' | 'limit'> {
    return this.db.tx(async (c) => {
      const row = await this.lockRole(c, roleName);
      if (!row) return 'not-found' as const;
      const current = JSON.parse(row.tags_json) as Tag[];
      for (const t of tags) {
        // Keys are case-insensitive: overwrite in place, keeping the caller's new spelling.
        const i = current.findIndex((x) => x.key.toLowerCase() === t.key.toLowerCase());
        if (i >= 0) current[i] = { key: t.key, value: t.value };
        else current.push({ key: t.key, value: t.value });
      }
      if (current.length > maxTags) return 'limit' as const;
      await c.query('UPDATE iam_roles SET tags_json = $1, version = version + 1 WHERE role_id = $2', [JSON.stringify(current), row.role_id]);
      await this.notify(c, row.role_name);
      return 'ok' as const;
    });
  }

  async untagRole(roleName: string, keys: readonly string[]): Promise<'ok' | 'not-found'> {
    return this.db.tx(async (c) => {
      const row = await this.lockRole(c, roleName);
      if (!row) return 'not-found' as const;
      const drop = new Set(keys.map((k) => k.toLowerCase()));
      const kept = (JSON.parse(row.tags_json) as Tag[]).filter((t) => !drop.has(t.key.toLowerCase()));
      await c.query('UPDATE iam_roles SET tags_json = $1, version = version + 1 WHERE role_id = $2', [JSON.stringify(kept), row.role_id]);
      await this.notify(c, row.role_name);
      return 'ok' as const;
    });
  }

  private async lockRole(c: PoolClient, roleName: string): Promise<RoleRow | undefined> {
    const r = await c.query<RoleRow>(`SELECT ${ROLE_COLUMNS} FROM iam_roles WHERE lower(role_name) = lower($1) FOR UPDATE`, [roleName]);
    return r.rows[0];
  }

  /** A change to what the role grants: bump its version and tell the other replicas. */
  private async touch(c: PoolClient, row: RoleRow): Promise<void> {
    await c.query('UPDATE iam_roles SET version = version + 1 WHERE role_id = $1', [row.role_id]);
    await this.notify(c, row.role_name);
  }

  private notify(c: PoolClient, roleName: string): Promise<void> {
    return notifyChange(c, this.db.schema, { kind: 'role', id: roleName });
  }
}
