// Shared by the `mooring pki` tests: run the command in-process, temp dirs, and a PKCS#10 builder.
import { sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildName, derBitString, derExplicit, derInteger, derNull, derOid, derSequence, parseCertificatePem, toPem } from '@mooring/pki';
import type { NameSpec, ParsedCertificate } from '@mooring/pki';
import { runPkiCommand } from '../../src/pki-cli/pki-command.js';

export interface PkiRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function* chunks(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

/** Runs `mooring pki ARGS` in-process, optionally at a fixed instant. */
export async function pki(args: string[], opts: { now?: Date; cwd?: string; stdin?: Buffer } = {}): Promise<PkiRun> {
  let stdout = '';
  let stderr = '';
  const code = await runPkiCommand(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    ...(opts.now ? { now: () => opts.now! } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.stdin ? { stdin: chunks(opts.stdin) } : {}),
  });
  return { code, stdout, stderr };
}

export function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-pki-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function readCerts(path: string): ParsedCertificate[] {
  const r = parseCertificatePem(readFileSync(path, 'utf8'));
  if (!r.ok) throw new Error(`${path}: ${r.detail}`);
  return r.value;
}

export function readCert(path: string): ParsedCertificate {
  return readCerts(path)[0]!;
}

/** A PKCS#10 request (RFC 2986 §4) signed with `signingKey` (default: the key's own private key). */
export function buildCsr(opts: { subject: NameSpec; publicKey: KeyObject; signingKey: KeyObject; tamper?: boolean }): string {
  const spki = opts.publicKey.export({ type: 'spki', format: 'der' });
  // attributes [0] IMPLICIT SET OF Attribute: present and empty.
  const cri = derSequence([derInteger(0), buildName(opts.subject).der, spki, derExplicit(0, [])]);
  const rsa = opts.signingKey.asymmetricKeyType === 'rsa';
  const alg = rsa ? derSequence([derOid('1.2.840.113549.1.1.11'), derNull()]) : derSequence([derOid('1.2.840.10045.4.3.2')]);
  const sig = sign('sha256', cri, opts.signingKey);
  if (opts.tamper) sig[sig.length - 1]! ^= 0x01;
  return toPem('CERTIFICATE REQUEST', derSequence([cri, alg, derBitString(sig)]));
}

export const DAY = 86_400_000;
