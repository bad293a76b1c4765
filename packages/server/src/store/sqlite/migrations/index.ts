import type { SqliteMigration } from '../migration.js';
import { iamMigration } from './001-iam.js';
import { rolesAnywhereMigration } from './002-roles-anywhere.js';
import { crlsMigration } from './003-crls.js';
import { managedPoliciesMigration } from './010-managed-policies.js';
import { auditChainMigration } from './020-audit-chain.js';
import { notificationStateMigration } from './030-notification-state.js';
import { auditWriteIndexesMigration } from './040-audit-write-indexes.js';
import { consoleSessionsMigration } from './050-console-sessions.js';
import { subjectCertificatesMigration } from './060-subject-certificates.js';
import { policyVersionCounterMigration } from './070-policy-version-counter.js';

/** Every schema step, in order. Add new files; never edit an applied one. */
export const migrations: readonly SqliteMigration[] = [
  iamMigration, rolesAnywhereMigration, crlsMigration,
  managedPoliciesMigration,
  auditChainMigration,
  notificationStateMigration,
  auditWriteIndexesMigration,
  consoleSessionsMigration,
  subjectCertificatesMigration,
  policyVersionCounterMigration,
];
