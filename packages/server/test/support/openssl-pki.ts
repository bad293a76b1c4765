import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.js';

/**
 * Certificates made with the OpenSSL CLI exactly as the AWS Security Blog walkthrough makes
 * them: a v3.ext with [v3_ca] and [v3_cert] sections, RSA 2048 keys, leaf CN myContainer.
 */
export const V3_EXT = `[ v3_ca ]
basicConstraints = CA: true
keyUsage = Certificate Sign

[ v3_cert ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature

[ v3_no_digsig ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment

[ v3_intermediate ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
`;

function openssl(dir: string, args: string[]): void {
  const r = run('openssl', args, { cwd: dir });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

export type KeyKind = 'rsa' | 'ec';

function genKey(dir: string, file: string, kind: KeyKind): void {
  if (kind === 'rsa') openssl(dir, ['genrsa', '-out', file, '2048']);
  else openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

export function opensslDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'v3.ext'), V3_EXT);
  return dir;
}

/** CA: self-signed with the [v3_ca] extensions. Writes `<name>-key.pem`, `<name>-cert.pem`. */
export function makeCa(dir: string, name: string, cn: string, kind: KeyKind = 'rsa'): void {
  genKey(dir, `${name}-key.pem`, kind);
  openssl(dir, ['req', '-new', '-key', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  openssl(dir, ['x509', '-req', '-days', '3650', '-in', `${name}.csr`, '-signkey', `${name}-key.pem`, '-out', `${name}-cert.pem`, '-extfile', 'v3.ext', '-extensions', 'v3_ca', '-sha256']);
}

/** A certificate issued by `ca` with the named v3.ext section. */
export function makeCert(dir: string, ca: string, name: string, subject: string, opts: { kind?: KeyKind; serial?: string; section?: string } = {}): void {
  genKey(dir, `${name}-key.pem`, opts.kind ?? 'rsa');
  openssl(dir, ['req', '-new', '-key', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', subject]);
  openssl(dir, [
    'x509', '-req', '-days', '365', '-in', `${name}.csr`, '-CA', `${ca}-cert.pem`, '-CAkey', `${ca}-key.pem`,
    '-set_serial', opts.serial ?? '01', '-out', `${name}-cert.pem`, '-extfile', 'v3.ext', '-extensions', opts.section ?? 'v3_cert', '-sha256',
  ]);
}
