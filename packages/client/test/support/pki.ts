// Test PKI generated at run time with openssl (no committed PEMs that expire). One temp dir
// per call; everything is small EC except the RSA leaf the spec's RSA paths need.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandWorks, requireOrSkip } from '../../../../scripts/test-support.mjs';

/** Skip reason when openssl is missing (fails instead under MOORING_REQUIRE_ALL_TESTS=1). */
export const opensslSkip = requireOrSkip(commandWorks('openssl', ['version']), 'openssl not found on PATH (generates the test PKI)');

export interface TestPki {
  dir: string;
  /** Paths. */
  caCert: string;
  rsaCert: string;
  rsaKeyPkcs8: string;
  rsaKeyPkcs1: string;
  rsaKeyEncrypted: string;
  rsaCombo: string;
  ecCert: string;
  ecKeyPkcs8: string;
  ecKeySec1: string;
  /** Bundle of the CA and RSA leaf certificate (two CERTIFICATE blocks with text between). */
  bundle: string;
  serverCert: string;
  serverKey: string;
  password: string;
  rsaSerialDecimal: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-client-'));
  const p = (f: string): string => join(dir, f);
  const password = 'correct horse';
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Test Root', '-days', '2'], dir);
  // RSA leaf, serial 0x0abcdef (decimal 11259375), signed by the CA.
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa.key'], dir);
  openssl(['req', '-new', '-key', 'rsa.key', '-subj', '/CN=rsa client', '-out', 'rsa.csr'], dir);
  openssl(['x509', '-req', '-in', 'rsa.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x0abcdef', '-days', '2', '-out', 'rsa.pem'], dir);
  openssl(['pkey', '-in', 'rsa.key', '-traditional', '-out', 'rsa-pkcs1.key'], dir);
  openssl(['pkcs8', '-topk8', '-in', 'rsa.key', '-v2', 'aes-256-cbc', '-passout', `pass:${password}`, '-out', 'rsa-enc.key'], dir);
  // EC leaf.
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.key'], dir);
  openssl(['req', '-new', '-key', 'ec.key', '-subj', '/CN=ec client', '-out', 'ec.csr'], dir);
  openssl(['x509', '-req', '-in', 'ec.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '2', '-days', '2', '-out', 'ec.pem'], dir);
  openssl(['pkey', '-in', 'ec.key', '-traditional', '-out', 'ec-sec1.key'], dir);
  // Server certificate for 127.0.0.1.
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.pem', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-days', '2'], dir);

  const read = (f: string): string => readFileSync(p(f), 'utf8');
  writeFileSync(p('rsa-combo.pem'), `some notes\n${read('rsa.pem')}\n${read('rsa-pkcs1.key')}`);
  writeFileSync(p('bundle.pem'), `# intermediates\n${read('ca.pem')}comment between\n${read('ec.pem')}`);
  return {
    dir,
    caCert: p('ca.pem'),
    rsaCert: p('rsa.pem'),
    rsaKeyPkcs8: p('rsa.key'),
    rsaKeyPkcs1: p('rsa-pkcs1.key'),
    rsaKeyEncrypted: p('rsa-enc.key'),
    rsaCombo: p('rsa-combo.pem'),
    ecCert: p('ec.pem'),
    ecKeyPkcs8: p('ec.key'),
    ecKeySec1: p('ec-sec1.key'),
    bundle: p('bundle.pem'),
    serverCert: p('server.pem'),
    serverKey: p('server.key'),
    password,
    rsaSerialDecimal: '11259375',
  };
}
