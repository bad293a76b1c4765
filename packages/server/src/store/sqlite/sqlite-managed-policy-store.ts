import type { AttachedPolicy, ManagedPolicy } from '../../core/iam/managed-policy.js';
import type { ManagedPolicyStore } from '../../core/iam/managed-policy-store.js';
import { managedPolicyFromRow, type ManagedPolicyRow } from '../rows/iam-rows.js';
import type { SqliteDatabase } from './database.js';

const SELECT_POLICY = `SELECT p.*, v.document FROM iam_policies p
  JOIN iam_policy_versions v ON v.policy_id = p.policy_id AND v.version_id = p.default_version_id`;

/** ManagedPolicyStore on better-sqlite3; every multi-step method is one transaction. */
export class SqliteManagedPolicyStore implements ManagedPolicyStore {
  constructor(private readonly db: SqliteDatabase) {}

  async createPolicy(policy: ManagedPolicy): Promise<'created' | 'exists'> {
    return this.db.transaction(() => {
      const r = this.db
        .prepare(
          `INSERT INTO iam_policies (policy_id, policy_name, path, arn, description, default_version_id, create_date, update_date, tags_json)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(
          policy.policyId,
          policy.policyName,
          policy.path,
          policy.arn,
          policy.description ?? null,
          policy.defaultVersionId,
          policy.createDate.toISOString(),
          policy.updateDate.toISOString(),
          JSON.stringify(policy.tags.map((t) => ({ key: t.key, value: t.value }))),
        );
      if (r.changes !== 1) return 'exists' as const;
      this.db
        .prepare('INSERT INTO iam_policy_versions (policy_id, version_id, document, create_date) VALUES (?, ?, ?, ?)')
        .run(policy.policyId, policy.defaultVersionId, policy.document, policy.createDate.toISOString());
      return 'created' as const;
    })();
  }

  async getPolicy(arn: string): Promise<ManagedPolicy | undefined> {
    const row = this.db.prepare(`${SELECT_POLICY} WHERE p.arn = ?`).get(arn) as ManagedPolicyRow | undefined;
    return row ? managedPolicyFromRow(row) : undefined;
  }

  async listPolicies(): Promise<ManagedPolicy[]> {
    return (this.db.prepare(`${SELECT_POLICY} ORDER BY p.arn`).all() as ManagedPolicyRow[]).map(managedPolicyFromRow);
  }

  async deletePolicy(arn: string): Promise<'deleted' | 'not-found' | 'attached'> {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT policy_id FROM iam_policies WHERE arn = ?').get(arn) as { policy_id: string } | undefined;
      if (!row) return 'not-found' as const;
      const n = this.db.prepare('SELECT COUNT(*) AS n FROM iam_role_policy_attachments WHERE policy_arn = ?').get(arn) as { n: number };
      if (n.n > 0) return 'attached' as const;
      this.db.prepare('DELETE FROM iam_policies WHERE policy_id = ?').run(row.policy_id); // versions cascade
      return 'deleted' as const;
    })();
  }

  async attachRolePolicy(
    roleName: string,
    policy: AttachedPolicy,
    opts: { maxPerRole: number; now: Date; stored: boolean },
  ): Promise<'ok' | 'role-not-found' | 'policy-not-found' | 'limit'> {
    return this.db.transaction(() => {
      const roleId = this.roleId(roleName);
      if (roleId === undefined) return 'role-not-found' as const;
      if (opts.stored && !this.db.prepare('SELECT 1 FROM iam_policies WHERE arn = ?').get(policy.policyArn)) {
        return 'policy-not-found' as const;
      }
      const existing = this.db
        .prepare('SELECT policy_arn FROM iam_role_policy_attachments WHERE role_id = ?')
        .all(roleId) as Array<{ policy_arn: string }>;
      if (existing.some((e) => e.policy_arn === policy.policyArn)) return 'ok' as const; // idempotent, like IAM
      if (existing.length >= opts.maxPerRole) return 'limit' as const;
      this.db
        .prepare('INSERT INTO iam_role_policy_attachments (role_id, policy_arn, policy_name, attached_at) VALUES (?, ?, ?, ?)')
        .run(roleId, policy.policyArn, policy.policyName, opts.now.toISOString());
      return 'ok' as const;
    })();
  }

  async detachRolePolicy(roleName: string, policyArn: string): Promise<'detached' | 'role-not-found' | 'not-attached'> {
    return this.db.transaction(() => {
      const roleId = this.roleId(roleName);
      if (roleId === undefined) return 'role-not-found' as const;
      const r = this.db.prepare('DELETE FROM iam_role_policy_attachments WHERE role_id = ? AND policy_arn = ?').run(roleId, policyArn);
      return r.changes > 0 ? ('detached' as const) : ('not-attached' as const);
    })();
  }

  async listAttachedRolePolicies(roleName: string): Promise<AttachedPolicy[] | undefined> {
    return this.db.transaction(() => {
      const roleId = this.roleId(roleName);
      if (roleId === undefined) return undefined;
      const rows = this.db
        .prepare('SELECT policy_name, policy_arn FROM iam_role_policy_attachments WHERE role_id = ? ORDER BY policy_arn')
        .all(roleId) as Array<{ policy_name: string; policy_arn: string }>;
      return rows.map((r) => ({ policyName: r.policy_name, policyArn: r.policy_arn }));
    })();
  }

  async attachmentCounts(): Promise<Map<string, number>> {
    const rows = this.db
      .prepare('SELECT policy_arn, COUNT(*) AS n FROM iam_role_policy_attachments GROUP BY policy_arn')
      .all() as Array<{ policy_arn: string; n: number }>;
    return new Map(rows.map((r) => [r.policy_arn, r.n]));
  }

  private roleId(roleName: string): string | undefined {
    const row = this.db.prepare('SELECT role_id FROM iam_roles WHERE role_name = ?').get(roleName) as { role_id: string } | undefined;
    return row?.role_id;
  }
}
