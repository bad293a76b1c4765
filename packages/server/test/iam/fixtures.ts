// Shared fixtures for the IAM/STS/Query tests: pinned time, reproducible randomness, a fresh
// in-memory SQLite database per call.
import { createHash } from 'node:crypto';
import type { Clock } from '../../src/core/ports/clock.js';
import type { Random } from '../../src/core/ports/random.js';
import type { ServiceConfig } from '../../src/core/ports/service-config.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { SqliteRoleStore } from '../../src/store/sqlite/sqlite-role-store.js';
import { SqliteAccessKeyStore } from '../../src/store/sqlite/sqlite-access-key-store.js';
import { RoleService } from '../../src/core/iam/role-service.js';
import { ManagedPolicyService } from '../../src/core/iam/managed-policy-service.js';
import { Authorizer } from '../../src/core/auth/authorizer.js';
import { SqliteManagedPolicyStore } from '../../src/store/sqlite/sqlite-managed-policy-store.js';

export const config: ServiceConfig = { partition: 'aws', region: 'us-east-1', accountId: '123456789012' };

export const T0 = new Date('2025-03-01T12:00:00.000Z');

export function fixedClock(at: Date = T0): Clock & { set(d: Date): void } {
  let now = at;
  return { now: () => now, set: (d) => (now = d) };
}

/** Deterministic Random: SHA-256 in counter mode over a seed. */
export function seededRandom(seed = 'mooring-test'): Random {
  let counter = 0;
  const bytes = (n: number): Buffer => {
    const out: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      out.push(block);
      have += block.length;
    }
    return Buffer.concat(out).subarray(0, n);
  };
  return {
    bytes,
    uuid: () => {
      const h = bytes(16).toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}

export function openStores() {
  const db = openSqliteDatabase(':memory:');
  return { db, roles: new SqliteRoleStore(db), accessKeys: new SqliteAccessKeyStore(db), policies: new SqliteManagedPolicyStore(db) };
}

export const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
    },
  ],
});

export const S3_READ_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }],
});

export function newRoleService(opts: { clock?: Clock; random?: Random } = {}) {
  const stores = openStores();
  const service = new RoleService({
    store: stores.roles,
    clock: opts.clock ?? fixedClock(),
    random: opts.random ?? seededRandom(),
    config,
  });
  return { ...stores, service };
}

/** Role and managed-policy services plus an Authorizer over one fresh database. */
export function newIamServices(opts: { clock?: Clock; random?: Random } = {}) {
  const stores = openStores();
  const clock = opts.clock ?? fixedClock();
  const random = opts.random ?? seededRandom();
  const service = new RoleService({ store: stores.roles, clock, random, config });
  const policyService = new ManagedPolicyService({ store: stores.policies, roles: stores.roles, clock, random, config });
  const authorizer = new Authorizer({ roles: stores.roles, policies: stores.policies, config, clock });
  return { ...stores, service, policyService, authorizer, clock, random };
}
