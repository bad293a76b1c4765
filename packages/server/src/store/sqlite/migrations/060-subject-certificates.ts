import type { SqliteMigration } from '../migration.js';

/**
 * Certificate bodies of subject credentials, stored once per certificate (issue [scale] item 5;
 * see store/rows/subject-rows.ts). Subject documents refer to them by `sha256`, the SHA-256 (hex)
 * of the PEM text, instead of carrying every PEM inline and rewriting them all on every
 * CreateSession. Documents written before this table keep their inline PEMs and stay readable.
 */
export const subjectCertificatesMigration: SqliteMigration = {
  id: 60,
  name: 'subject-certificates',
  statements: [
    `CREATE TABLE subject_certificates (
       sha256 TEXT PRIMARY KEY,
       pem TEXT NOT NULL)`,
  ],
};
