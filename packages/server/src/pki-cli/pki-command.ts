// `mooring pki <command>`: a small CA whose certificates meet the IAM Roles Anywhere rules, and a
// rule-by-rule checker for certificates made elsewhere. Documented in docs/pki.md.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { formatName } from '@mooring/pki';
import type { GeneralNameSpec } from '@mooring/pki';
import { readPinSource } from './ca-signer.js';
import type { TokenAccess } from './ca-signer.js';
import { checkCertificate, formatReport } from './check-command.js';
import type { CertificateKind } from './check-rules.js';
import { parseDays, parseKeySpec } from './cli-options.js';
import { initCa } from './init-ca.js';
import { issueCertificate } from './issue.js';
import { PkiCommandError, UsageError, nowOf, readStdin, resolvePath } from './pki-io.js';
import type { PkiIo } from './pki-io.js';
import { parseReason, publishCrl, revokeCertificate } from './revocation.js';
import { checkDnsName, checkUri, defaultPrefix, subjectFromFlags } from './subject-names.js';

export type { PkiIo } from './pki-io.js';

export const PKI_USAGE = `Usage: mooring pki <command> [flags]        (docs/pki.md)

  init-ca --dir DIR [--cn NAME] [--o ORG] [--key rsa2048|rsa3072|rsa4096|p256|p384|p521] [--days N]
          [--intermediate [--intermediate-cn NAME] [--intermediate-days N] [--intermediate-key-uri URI]]
          [--key-uri 'pkcs11:token=…;object=…' [--pkcs11-lib PATH] [--pin-source file:PATH|env:NAME]]
      Create a root CA (and an intermediate, pathlen 0) in DIR. With --key-uri the key stays on a PKCS#11 token.
  issue --dir DIR (--cn NAME | --csr FILE) [--o ORG] [--ou UNIT]... [--dns NAME]... [--uri URI]...
        [--days N] [--key SPEC] [--out PREFIX] [--pkcs11-lib PATH] [--pin-source file:PATH|env:NAME]
      Issue a signing certificate: PREFIX-cert.pem, PREFIX-key.pem (no key with --csr), PREFIX-fullchain.pem.
  revoke --dir DIR --serial HEX [--reason keyCompromise|superseded|cessationOfOperation|...]
      Record a revocation in DIR/index.json.
  crl --dir DIR [--days N] [--out FILE] [--issuer root|intermediate] [--pkcs11-lib PATH] [--pin-source …]
      Write a signed CRL (PEM) for ImportCrl.
  check CERT [--ca BUNDLE] [--chain FILE] [--as leaf|ca]
      Explain, rule by rule, whether CERT meets the IAM Roles Anywhere requirements. Exit 0 only if all pass.

Exit codes: 0 success, 1 failed check or refused operation, 2 bad command line.
`;

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: positionals });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function required(v: string | undefined, flag: string): string {
  if (v === undefined || v === '') throw new UsageError(`${flag} is required`);
  return v;
}

/** --pkcs11-lib and --pin-source: how `issue`/`crl`/`init-ca` reach a CA key on a PKCS#11 token. */
const TOKEN_FLAGS = { 'pkcs11-lib': { type: 'string' }, 'pin-source': { type: 'string' } } as const;

function tokenAccess(values: { 'pkcs11-lib'?: string | undefined; 'pin-source'?: string | undefined }, io: PkiIo): TokenAccess {
  const env = io.env ?? process.env;
  const pin = readPinSource(values['pin-source'], env);
  return { env, ...(values['pkcs11-lib'] !== undefined ? { pkcs11Lib: values['pkcs11-lib'] } : {}), ...(pin !== undefined ? { pin } : {}) };
}

async function runInitCa(args: string[], io: PkiIo): Promise<number> {
  const { values } = parse(args, {
    dir: { type: 'string' }, cn: { type: 'string' }, o: { type: 'string' }, key: { type: 'string' }, days: { type: 'string' },
    intermediate: { type: 'boolean' }, 'intermediate-cn': { type: 'string' }, 'intermediate-days': { type: 'string' },
    'key-uri': { type: 'string' }, 'intermediate-key-uri': { type: 'string' }, ...TOKEN_FLAGS,
  });
  const keyUri = values['key-uri'];
  const interUri = values['intermediate-key-uri'];
  for (const [flag, v] of [['--key-uri', keyUri], ['--intermediate-key-uri', interUri]] as const) {
    if (v !== undefined && !v.startsWith('pkcs11:')) throw new UsageError(`${flag} must be a pkcs11: URI (RFC 7512)`);
  }
  if (interUri !== undefined && !values.intermediate) throw new UsageError('--intermediate-key-uri needs --intermediate');
  if (keyUri === undefined && interUri === undefined && (values['pkcs11-lib'] !== undefined || values['pin-source'] !== undefined)) {
    throw new UsageError('--pkcs11-lib and --pin-source need --key-uri or --intermediate-key-uri');
  }
  const dir = resolvePath(io, required(values.dir, '--dir'));
  const cn = values.cn ?? 'Mooring Root CA';
  if (!values.intermediate && (values['intermediate-cn'] !== undefined || values['intermediate-days'] !== undefined)) {
    throw new UsageError('--intermediate-cn and --intermediate-days need --intermediate');
  }
  const days = parseDays(values.days, 3650);
  const r = await initCa({
    dir,
    ...(keyUri !== undefined ? { keyUri } : {}),
    access: tokenAccess(values, io),
    cn,
    ...(values.o !== undefined ? { o: values.o } : {}),
    key: parseKeySpec(values.key, 'p256'),
    days,
    ...(values.intermediate
      ? { intermediate: { cn: values['intermediate-cn'] ?? `${cn} Intermediate`, days: parseDays(values['intermediate-days'], Math.min(days, 1825), '--intermediate-days'), ...(interUri !== undefined ? { keyUri: interUri } : {}) } }
      : {}),
    now: nowOf(io),
  });
  for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
  const onToken = (c: { generatedOnToken?: boolean; keyLocation: string }) =>
    c.generatedOnToken === undefined ? '' : `; key ${c.generatedOnToken ? 'generated on' : 'already on'} the token: ${c.keyLocation}`;
  const out = [`Created root CA "${formatName(r.root.cert.subject)}" (serial ${r.root.cert.serialHex}, valid until ${r.root.cert.notAfter.toISOString()}${onToken(r.root)})`];
  if (r.intermediate) out.push(`Created intermediate CA "${formatName(r.intermediate.cert.subject)}" (pathlen 0, valid until ${r.intermediate.cert.notAfter.toISOString()}${onToken(r.intermediate)})`);
  for (const f of r.files) out.push(`  ${f.path}  ${f.what}`);
  out.push('', `Trust anchor bundle: ${r.trustAnchorPath}`);
  out.push(`  aws rolesanywhere create-trust-anchor --enabled --name <NAME> --source sourceData={x509CertificateData="$(cat ${r.trustAnchorPath})"},sourceType=CERTIFICATE_BUNDLE --endpoint-url $EP`);
  if (r.intermediate) {
    out.push(
      `Certificates and CRLs are signed by the intermediate (${r.issuingCertPath}). The bundle holds root + intermediate, so ImportCrl`,
      'can verify those CRLs; with the root alone as trust anchor, clients must send the intermediate (--intermediates PREFIX-fullchain.pem).',
    );
  }
  io.stdout(`${out.join('\n')}\n`);
  return 0;
}

async function runIssue(args: string[], io: PkiIo): Promise<number> {
  const { values } = parse(args, {
    dir: { type: 'string' }, cn: { type: 'string' }, o: { type: 'string' }, ou: { type: 'string', multiple: true },
    dns: { type: 'string', multiple: true }, uri: { type: 'string', multiple: true }, days: { type: 'string' },
    key: { type: 'string' }, csr: { type: 'string' }, out: { type: 'string' }, ...TOKEN_FLAGS,
  });
  const dir = resolvePath(io, required(values.dir, '--dir'));
  if (values.cn === undefined && values.csr === undefined) throw new UsageError('--cn is required (or --csr FILE to take the subject from a CSR)');
  if (values.cn === undefined && (values.o !== undefined || values.ou !== undefined)) throw new UsageError('--o and --ou need --cn');
  if (values.csr !== undefined && values.key !== undefined) throw new UsageError('--key does not apply with --csr: the key comes from the CSR');
  const subject = values.cn !== undefined
    ? subjectFromFlags({ cn: values.cn, ...(values.o !== undefined ? { o: values.o } : {}), ous: values.ou ?? [] })
    : undefined;
  const sans: GeneralNameSpec[] = [...(values.dns ?? []).map(checkDnsName), ...(values.uri ?? []).map(checkUri)];
  let csr: Buffer | undefined;
  if (values.csr !== undefined) {
    try {
      csr = values.csr === '-' ? await readStdin(io) : readFileSync(resolvePath(io, values.csr));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new PkiCommandError(`cannot read ${values.csr}`);
    }
  }
  const prefix = resolvePath(io, values.out ?? defaultPrefix(values.cn ?? 'leaf'));
  const r = await issueCertificate({
    access: tokenAccess(values, io),
    dir, subjectAltNames: sans, ...(values.days !== undefined ? { days: parseDays(values.days, 365) } : {}), key: parseKeySpec(values.key, 'p256'), outPrefix: prefix, now: nowOf(io),
    ...(subject ? { subject } : {}), ...(csr ? { csr } : {}),
  });
  for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
  const out = [
    `Issued "${formatName(r.cert.subject)}" serial ${r.cert.serialHex} from the ${r.issuer} CA, valid until ${r.cert.notAfter.toISOString()}`,
    `  ${r.certPath}  certificate`,
    ...(r.keyPath ? [`  ${r.keyPath}  private key (mode 0600)`] : []),
    `  ${r.fullchainPath}  certificate${r.issuer === 'intermediate' ? ' + intermediate (use as --intermediates)' : ''}`,
  ];
  io.stdout(`${out.join('\n')}\n`);
  return 0;
}

async function runRevoke(args: string[], io: PkiIo): Promise<number> {
  const { values } = parse(args, { dir: { type: 'string' }, serial: { type: 'string' }, reason: { type: 'string' } });
  const dir = resolvePath(io, required(values.dir, '--dir'));
  const r = revokeCertificate({ dir, serial: required(values.serial, '--serial'), reason: parseReason(values.reason), now: nowOf(io) });
  if (r.alreadyRevoked) io.stderr(`serial ${r.entry.serial} was already revoked at ${r.entry.revokedAt} (${r.entry.reason}); nothing changed\n`);
  else io.stdout(`Revoked serial ${r.entry.serial} "${r.entry.subject}" (${r.entry.reason}). Publish it: mooring pki crl --dir ${values.dir}\n`);
  return 0;
}

async function runCrl(args: string[], io: PkiIo): Promise<number> {
  const { values } = parse(args, { dir: { type: 'string' }, days: { type: 'string' }, out: { type: 'string' }, issuer: { type: 'string' }, ...TOKEN_FLAGS });
  const dir = resolvePath(io, required(values.dir, '--dir'));
  const issuer = values.issuer;
  if (issuer !== undefined && issuer !== 'root' && issuer !== 'intermediate') throw new UsageError('--issuer must be root or intermediate');
  const r = await publishCrl({
    dir, access: tokenAccess(values, io), days: parseDays(values.days, 30), now: nowOf(io),
    ...(values.out !== undefined ? { out: resolvePath(io, values.out) } : {}), ...(issuer ? { issuer } : {}),
  });
  io.stdout([
    `Wrote CRL #${r.crlNumber} of "${r.issuerName}" (${r.revokedSerials.length} revoked${r.revokedSerials.length ? `: ${r.revokedSerials.join(', ')}` : ''}; next update ${r.nextUpdate.toISOString()})`,
    `  ${r.path}`,
    `  aws rolesanywhere import-crl --name <NAME> --trust-anchor-arn <TA_ARN> --enabled --crl-data fileb://${r.path} --endpoint-url $EP`,
    '',
  ].join('\n'));
  return 0;
}

async function runCheck(args: string[], io: PkiIo): Promise<number> {
  const { values, positionals } = parse(args, { ca: { type: 'string' }, chain: { type: 'string' }, as: { type: 'string' } }, true);
  if (positionals.length !== 1) throw new UsageError('check takes exactly one certificate file');
  const as = values.as;
  if (as !== undefined && as !== 'leaf' && as !== 'ca') throw new UsageError('--as must be leaf or ca');
  const certPath = positionals[0]!;
  const report = checkCertificate({
    certPath: resolvePath(io, certPath), now: nowOf(io),
    ...(values.ca !== undefined ? { caPath: resolvePath(io, values.ca) } : {}),
    ...(values.chain !== undefined ? { chainPath: resolvePath(io, values.chain) } : {}),
    ...(as ? { as: as as CertificateKind } : {}),
  });
  io.stdout(formatReport(certPath, report));
  return report.ok ? 0 : 1;
}

const COMMANDS: Record<string, (args: string[], io: PkiIo) => Promise<number>> = {
  'init-ca': runInitCa,
  issue: runIssue,
  revoke: runRevoke,
  crl: runCrl,
  check: runCheck,
};

/** Entry point of `mooring pki …` (argv without the leading "pki"); returns the exit code. */
export async function runPkiCommand(argv: string[], io: PkiIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(PKI_USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.stderr(`Error: unknown pki command "${command}"\n\n${PKI_USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(PKI_USAGE);
    return 0;
  }
  try {
    return await run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`Error: ${e.message}\n\n${PKI_USAGE}`);
      return 2;
    }
    if (e instanceof PkiCommandError) {
      io.stderr(`Error: ${e.message}\n`);
      return 1;
    }
    // Unexpected: report the class and message only (never a stack with file contents or key material).
    io.stderr(`Error: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}
