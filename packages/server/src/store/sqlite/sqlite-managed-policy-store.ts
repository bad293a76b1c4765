import type { AttachedPolicy, ManagedPolicy, PolicyVersion } from '../../core/iam/managed-policy.js';
import type { ManagedPolicyStore } from '../../core/iam/managed-policy-store.js';
import { managedPolicyFromRow, newestFirst, type ManagedPolicyRow } from '../rows/iam-rows.js';
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

  async deletePolicy(arn: string): Promise<'deleted' | 'not-found' | 'attached' | 'versions'> {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT policy_id FROM iam_policies WHERE arn = ?').get(arn) as { policy_id: string } | undefined;
      if (!row) return 'not-found' as const;
      const n = this.db.prepare('SELECT COUNT(*) AS n FROM iam_role_policy_attachments WHERE policy_arn = ?').get(arn) as { n: number };
      if (n.n > 0) return 'attached' as const;
      const versions = this.db.prepare('SELECT COUNT(*) AS n FROM iam_policy_versions WHERE policy_id = ?').get(row.policy_id) as { n: number };
      if (versions.n > 1) return 'versions' as const;
      this.db.prepare('DELETE FROM iam_policies WHERE policy_id = ?').run(row.policy_id); // the default version cascades
      return 'deleted' as const;
    })();
  }

  async listPolicyVersions(arn: string): Promise<PolicyVersion[] | undefined> {
    return this.db.transaction(() => {
      const policy = this.policyRow(arn);
      if (!policy) return undefined;
      const rows = this.db
        .prepare('SELECT version_id, document, create_date FROM iam_policy_versions WHERE policy_id = ?')
        .all(policy.policy_id) as Array<{ version_id: string; document: string; create_date: string }>;
      return newestFirst(rows.map((r) => ({ versionId: r.version_id, document: r.document, isDefaultVersion: r.version_id === policy.default_version_id, createDate: new Date(r.create_date) })));
    })();
  }

  async createPolicyVersion(
    arn: string,
    version: { document: string; setAsDefault: boolean },
    opts: { maxVersions: number; now: Date },
  ): Promise<{ versionId: string } | 'not-found' | 'limit'> {
    return this.db.transaction(() => {
      const policy = this.policyRow(arn);
      if (!policy) return 'not-found' as const;
      const count = this.db.prepare('SELECT COUNT(*) AS n FROM iam_policy_versions WHERE policy_id = ?').get(policy.policy_id) as { n: number };
      if (count.n >= opts.maxVersions) return 'limit' as const;
      const versionId = `v${policy.last_version_number + 1}`;
      const now = opts.now.toISOString();
      this.db.prepare('INSERT INTO iam_policy_versions (policy_id, version_id, document, create_date) VALUES (?, ?, ?, ?)').run(policy.policy_id, versionId, version.document, now);
      this.db
        .prepare(`UPDATE iam_policies SET last_version_number = last_version_number + 1${version.setAsDefault ? ', default_version_id = ?, update_date = ?' : ''} WHERE policy_id = ?`)
        .run(...(version.setAsDefault ? [versionId, now] : []), policy.policy_id);
      return { versionId };
    })();
  }

  async setDefaultPolicyVersion(arn: string, versionId: string, now: Date): Promise<'ok' | 'not-found' | 'version-not-found'> {
    return this.db.transaction(() => {
      const policy = this.policyRow(arn);
      if (!policy) return 'not-found' as const;
      if (!this.db.prepare('SELECT 1 FROM iam_policy_versions WHERE policy_id = ? AND version_id = ?').get(policy.policy_id, versionId)) return 'version-not-found' as const;
      this.db.prepare('UPDATE iam_policies SET default_version_id = ?, update_date = ? WHERE policy_id = ?').run(versionId, now.toISOString(), policy.policy_id);
      return 'ok' as const;
    })();
  }

  async deletePolicyVersion(arn: string, versionId: string): Promise<'deleted' | 'not-found' | 'version-not-found' | 'default'> {
    return this.db.transaction(() => {
      const policy = this.policyRow(arn);
      if (!policy) return 'not-found' as const;
      if (policy.default_version_id === versionId) return 'default' as const;
      const r = this.db.prepare('DELETE FROM iam_policy_versions WHERE policy_id = ? AND version_id = ?').run(policy.policy_id, versionId);
      return r.changes > 0 ? ('deleted' as const) : ('version-not-found' as const);
    })();
  }

  private policyRow(arn: string): { policy_id: string; default_version_id: string; last_version_number: number } | undefined {
    return this.db.prepare('SELECT policy_id, default_version_id, last_version_number FROM iam_policies WHERE arn = ?').get(arn) as
      | { policy_id: string; default_version_id: string; last_version_number: number }
      | undefined;
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

