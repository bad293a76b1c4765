import type { SqliteMigration } from '../migration.js';
import { iamMigration } from './001-iam.js';
import { rolesAnywhereMigration } from './002-roles-anywhere.js';

/** Every schema step, in order. Add new files; never edit an applied one. */
export const migrations: readonly SqliteMigration[] = [iamMigration, rolesAnywhereMigration];
