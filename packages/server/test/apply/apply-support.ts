import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCrl, createCertificateAuthority, issueLeafCertificate, toPem, type IssuedCertificate } from '@mooring/pki';
import { runApplyCommand } from '../../src/apply/apply-command.js';
import { DAY, Harness, type Identity } from '../support/in-process.js';

export interface ApplyRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** An in-process server on a real HTTPS socket, a temp dir, and `mooring apply` run against it with admin credentials. */
export class ApplyHarness {
  readonly h = new Harness();
  work = '';
  endpoint = '';
  env: NodeJS.ProcessEnv = {};

  async start(): Promise<this> {
    await this.h.start();
    const address = await this.h.server.app.listen({ host: '127.0.0.1', port: 0 });
    this.endpoint = address.replace('http://', 'https://');
    this.work = mkdtempSync(join(tmpdir(), 'mooring-apply-'));
    const caFile = join(this.work, 'server-ca.pem');
    writeFileSync(caFile, this.h.server.caPem);
    this.env = {
      AWS_ACCESS_KEY_ID: this.h.server.admin.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.h.server.admin.secretAccessKey,
      AWS_CA_BUNDLE: caFile,
      AWS_REGION: 'us-east-1',
    };
    return this;
  }

  async stop(): Promise<void> {
    await this.h.stop();
    if (this.work) rmSync(this.work, { recursive: true, force: true });
  }

  file(name: string, text: string): string {
    const path = join(this.work, name);
    writeFileSync(path, text);
    return path;
  }

  async apply(args: string[], env: NodeJS.ProcessEnv = this.env): Promise<ApplyRun> {
    let stdout = '';
    let stderr = '';
    const code = await runApplyCommand([...args, '--endpoint', this.endpoint], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env });
    return { code, stdout, stderr };
  }

  /** A Roles Anywhere call as the admin, parsed. */
  async ra(method: string, path: string, body?: unknown): Promise<any> {
    const r = await this.h.admin('rolesanywhere', method, path, body === undefined ? '' : JSON.stringify(body));
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body}`);
    return r.json();
  }
}

const now = new Date();
export const validity = { notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 30 * DAY) };

export function testCa(cn = 'Apply Test CA'): IssuedCertificate {
  return createCertificateAuthority({ subject: [['CN', cn]], key: 'p256', notBefore: validity.notBefore, notAfter: new Date(now.getTime() + 365 * DAY) });
}

export function leaf(ca: IssuedCertificate, ou: string, serial: bigint): Identity {
  const l = issueLeafCertificate(ca, { subject: [['OU', ou], ['CN', `workload-${serial}`]], key: 'p256', serial, ...validity });
  return { der: l.der, key: l.key, serialHex: l.cert.serialHex, serialDecimal: l.cert.serialDecimal };
}

export function crlPem(ca: IssuedCertificate, serials: string[]): string {
  return toPem(
    'X509 CRL',
    buildCrl({
      issuer: { cert: ca.cert, key: ca.key },
      thisUpdate: validity.notBefore,
      nextUpdate: new Date(now.getTime() + 7 * DAY),
      revoked: serials.map((serial) => ({ serial, revocationDate: validity.notBefore })),
    }),
  );
}
