import type { PoolClient } from 'pg';
import type { AttachedPolicy, ManagedPolicy, PolicyVersion } from '../../core/iam/managed-policy.js';
import type { ManagedPolicyStore } from '../../core/iam/managed-policy-store.js';
import { managedPolicyFromRow, newestFirst, type ManagedPolicyRow } from '../rows/iam-rows.js';
import { toInt, type PgDatabase } from './pg-database.js';
import { notifyChange } from './pg-notify.js';

const SELECT_POLICY = `SELECT p.policy_id, p.policy_name, p.path, p.arn, p.description, p.default_version_id, p.create_date,
  p.update_date, p.tags_json, v.document FROM iam_policies p
  JOIN iam_policy_versions v ON v.policy_id = p.policy_id AND v.version_id = p.default_version_id`;

/**
 * ManagedPolicyStore on PostgreSQL. Attach and delete lock the rows they decide on (the role,
 * and the policy when stored), so a DeletePolicy on one replica and an AttachRolePolicy on
 * another cannot leave a dangling attachment, and the per-role limit holds under concurrency.
 * Writes notify 'policy' (the policy ARN) and, for attachments, 'role' (the role name).
 */
export class PgManagedPolicyStore implements ManagedPolicyStore {
  constructor(private readonly db: PgDatabase) {}

  async createPolicy(policy: ManagedPolicy): Promise<'created' | 'exists'> {
    return this.db.tx(async (c) => {
      const r = await c.query(
        `INSERT INTO iam_policies (policy_id, policy_name, path, arn, description, default_version_id, create_date, update_date, tags_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [
          policy.policyId, policy.policyName, policy.path, policy.arn, policy.description ?? null, policy.defaultVersionId,
          policy.createDate.toISOString(), policy.updateDate.toISOString(), JSON.stringify(policy.tags.map((t) => ({ key: t.key, value: t.value }))),
        ],
      );
      if (r.rowCount !== 1) return 'exists' as const;
      await c.query('INSERT INTO iam_policy_versions (policy_id, version_id, document, create_date) VALUES ($1, $2, $3, $4)', [
        policy.policyId, policy.defaultVersionId, policy.document, policy.createDate.toISOString(),
      ]);
      await notifyChange(c, this.db.schema, { kind: 'policy', id: policy.arn });
      return 'created' as const;
    });
  }

  async getPolicy(arn: string): Promise<ManagedPolicy | undefined> {
    const r = await this.db.query<ManagedPolicyRow>(`${SELECT_POLICY} WHERE p.arn = $1`, [arn]);
    return r.rows[0] ? managedPolicyFromRow(r.rows[0]) : undefined;
  }

  /** Ordered by ARN bytewise, like SQLite's BINARY collation. */
  async listPolicies(): Promise<ManagedPolicy[]> {
    return (await this.db.query<ManagedPolicyRow>(`${SELECT_POLICY} ORDER BY p.arn COLLATE "C"`)).rows.map(managedPolicyFromRow);
  }

  async deletePolicy(arn: string): Promise<'deleted' | 'not-found' | 'attached' | 'versions'> {
    return this.db.tx(async (c) => {
      const row = (await c.query<{ policy_id: string }>('SELECT policy_id FROM iam_policies WHERE arn = $1 FOR UPDATE', [arn])).rows[0];
      if (!row) return 'not-found' as const;
      const n = await c.query('SELECT 1 FROM iam_role_policy_attachments WHERE policy_arn = $1 LIMIT 1', [arn]);
      if (n.rowCount) return 'attached' as const;
      const versions = await c.query<{ n: string }>('SELECT COUNT(*) AS n FROM iam_policy_versions WHERE policy_id = $1', [row.policy_id]);
      if (toInt(versions.rows[0]!.n) > 1) return 'versions' as const;
      await c.query('DELETE FROM iam_policies WHERE policy_id = $1', [row.policy_id]); // the default version cascades
      await notifyChange(c, this.db.schema, { kind: 'policy', id: arn });
      return 'deleted' as const;
    });
  }

  async listPolicyVersions(arn: string): Promise<PolicyVersion[] | undefined> {
    const policy = (await this.db.query<{ policy_id: string; default_version_id: string }>('SELECT policy_id, default_version_id FROM iam_policies WHERE arn = $1', [arn])).rows[0];
    if (!policy) return undefined;
    const r = await this.db.query<{ version_id: string; document: string; create_date: string }>(
      'SELECT version_id, document, create_date FROM iam_policy_versions WHERE policy_id = $1',
      [policy.policy_id],
    );
    return newestFirst(r.rows.map((row) => ({ versionId: row.version_id, document: row.document, isDefaultVersion: row.version_id === policy.default_version_id, createDate: new Date(row.create_date) })));
  }

  async createPolicyVersion(
    arn: string,
    version: { document: string; setAsDefault: boolean },
    opts: { maxVersions: number; now: Date },
  ): Promise<{ versionId: string } | 'not-found' | 'limit'> {
    return this.db.tx(async (c) => {
      // FOR UPDATE: two replicas creating versions at once take turns, so the count and the
      // number stay exact.
      const policy = await this.lockPolicy(c, arn);
      if (!policy) return 'not-found' as const;
      const count = await c.query<{ n: string }>('SELECT COUNT(*) AS n FROM iam_policy_versions WHERE policy_id = $1', [policy.policy_id]);
      if (toInt(count.rows[0]!.n) >= opts.maxVersions) return 'limit' as const;
      const versionId = `v${policy.last_version_number + 1}`;
      const now = opts.now.toISOString();
      await c.query('INSERT INTO iam_policy_versions (policy_id, version_id, document, create_date) VALUES ($1, $2, $3, $4)', [policy.policy_id, versionId, version.document, now]);
      if (version.setAsDefault) {
        await c.query('UPDATE iam_policies SET last_version_number = last_version_number + 1, default_version_id = $2, update_date = $3 WHERE policy_id = $1', [policy.policy_id, versionId, now]);
      } else {
        await c.query('UPDATE iam_policies SET last_version_number = last_version_number + 1 WHERE policy_id = $1', [policy.policy_id]);
      }
      await notifyChange(c, this.db.schema, { kind: 'policy', id: arn });
      return { versionId };
    });
  }

  async setDefaultPolicyVersion(arn: string, versionId: string, now: Date): Promise<'ok' | 'not-found' | 'version-not-found'> {
    return this.db.tx(async (c) => {
      const policy = await this.lockPolicy(c, arn);
      if (!policy) return 'not-found' as const;
      if (!(await c.query('SELECT 1 FROM iam_policy_versions WHERE policy_id = $1 AND version_id = $2', [policy.policy_id, versionId])).rowCount) return 'version-not-found' as const;
      await c.query('UPDATE iam_policies SET default_version_id = $2, update_date = $3 WHERE policy_id = $1', [policy.policy_id, versionId, now.toISOString()]);
      await notifyChange(c, this.db.schema, { kind: 'policy', id: arn });
      return 'ok' as const;
    });
  }

  async deletePolicyVersion(arn: string, versionId: string): Promise<'deleted' | 'not-found' | 'version-not-found' | 'default'> {
    return this.db.tx(async (c) => {
      const policy = await this.lockPolicy(c, arn);
      if (!policy) return 'not-found' as const;
      if (policy.default_version_id === versionId) return 'default' as const;
      const r = await c.query('DELETE FROM iam_policy_versions WHERE policy_id = $1 AND version_id = $2', [policy.policy_id, versionId]);
      if (!r.rowCount) return 'version-not-found' as const;
      await notifyChange(c, this.db.schema, { kind: 'policy', id: arn });
      return 'deleted' as const;
    });
  }

  private async lockPolicy(c: PoolClient, arn: string): Promise<{ policy_id: string; default_version_id: string; last_version_number: number } | undefined> {
    return (
      await c.query<{ policy_id: string; default_version_id: string; last_version_number: number }>(
        'SELECT policy_id, default_version_id, last_version_number FROM iam_policies WHERE arn = $1 FOR UPDATE',
        [arn],
      )
    ).rows[0];
  }

  async attachRolePolicy(
    roleName: string,
    policy: AttachedPolicy,
    opts: { maxPerRole: number; now: Date; stored: boolean },
  ): Promise<'ok' | 'role-not-found' | 'policy-not-found' | 'limit'> {
    return this.db.tx(async (c) => {
      const role = await this.lockRole(c, roleName);
      if (!role) return 'role-not-found' as const;
      // FOR SHARE: a concurrent DeletePolicy (FOR UPDATE) waits for us, then sees the attachment.
      if (opts.stored && !(await c.query('SELECT 1 FROM iam_policies WHERE arn = $1 FOR SHARE', [policy.policyArn])).rowCount) {
        return 'policy-not-found' as const;
      }
      const existing = (await c.query<{ policy_arn: string }>('SELECT policy_arn FROM iam_role_policy_attachments WHERE role_id = $1', [role.role_id])).rows;
      if (existing.some((e) => e.policy_arn === policy.policyArn)) return 'ok' as const; // idempotent, like IAM
      if (existing.length >= opts.maxPerRole) return 'limit' as const;
      await c.query('INSERT INTO iam_role_policy_attachments (role_id, policy_arn, policy_name, attached_at) VALUES ($1, $2, $3, $4)', [
        role.role_id, policy.policyArn, policy.policyName, opts.now.toISOString(),
      ]);
      await this.roleChanged(c, role);
      return 'ok' as const;
    });
  }

  async detachRolePolicy(roleName: string, policyArn: string): Promise<'detached' | 'role-not-found' | 'not-attached'> {
    return this.db.tx(async (c) => {
      const role = await this.lockRole(c, roleName);
      if (!role) return 'role-not-found' as const;
      const r = await c.query('DELETE FROM iam_role_policy_attachments WHERE role_id = $1 AND policy_arn = $2', [role.role_id, policyArn]);
      if (!r.rowCount) return 'not-attached' as const;
      await this.roleChanged(c, role);
      return 'detached' as const;
    });
  }

  async listAttachedRolePolicies(roleName: string): Promise<AttachedPolicy[] | undefined> {
    const role = (await this.db.query<{ role_id: string }>('SELECT role_id FROM iam_roles WHERE lower(role_name) = lower($1)', [roleName])).rows[0];
    if (!role) return undefined;
    const r = await this.db.query<{ policy_name: string; policy_arn: string }>(
      'SELECT policy_name, policy_arn FROM iam_role_policy_attachments WHERE role_id = $1 ORDER BY policy_arn COLLATE "C"',
      [role.role_id],
    );
    return r.rows.map((row) => ({ policyName: row.policy_name, policyArn: row.policy_arn }));
  }

  async attachmentCounts(): Promise<Map<string, number>> {
    const r = await this.db.query<{ policy_arn: string; n: string }>('SELECT policy_arn, COUNT(*) AS n FROM iam_role_policy_attachments GROUP BY policy_arn');
    return new Map(r.rows.map((row) => [row.policy_arn, toInt(row.n)]));
  }

  private async lockRole(c: PoolClient, roleName: string): Promise<{ role_id: string; role_name: string } | undefined> {
    return (await c.query<{ role_id: string; role_name: string }>('SELECT role_id, role_name FROM iam_roles WHERE lower(role_name) = lower($1) FOR UPDATE', [roleName])).rows[0];
  }

  private async roleChanged(c: PoolClient, role: { role_id: string; role_name: string }): Promise<void> {
    await c.query('UPDATE iam_roles SET version = version + 1 WHERE role_id = $1', [role.role_id]);
    await notifyChange(c, this.db.schema, { kind: 'role', id: role.role_name });
  }
}
