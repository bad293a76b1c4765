// OCSP interop with the real openssl CLI: our requests are answered by `openssl ocsp -index …`
// (OpenSSL's responder logic) and its responses verify here; our responses verify in `openssl ocsp -respin`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandWorks, requireOrSkip } from '../../../scripts/test-support.mjs';
import {
  buildOcspRequest, buildOcspResponse, checkOcspResponse, createCertificateAuthority, issueLeafCertificate, ocspCertId, toPem,
} from '../src/index.js';

const skip = requireOrSkip(commandWorks('openssl', ['version']), 'openssl CLI not installed');
const DAY = 86_400_000;

function openssl(cwd: string, args: string[]): string {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

/** openssl's index.txt time: YYMMDDHHMMSSZ. */
const indexTime = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';

describe('ocsp × openssl', { skip }, () => {
  const now = new Date();
  const validity = { notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 30 * DAY) };
  const ca = createCertificateAuthority({ subject: [['CN', 'OCSP Interop CA']], key: 'rsa2048', ...validity });
  const good = issueLeafCertificate(ca, { subject: [['CN', 'good']], ...validity });
  const revoked = issueLeafCertificate(ca, { subject: [['CN', 'revoked']], ...validity });
  let dir = '';

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mooring-ocsp-'));
    writeFileSync(join(dir, 'ca.pem'), ca.pem);
    writeFileSync(join(dir, 'ca.key'), ca.keyPem);
    const exp = indexTime(validity.notAfter);
    writeFileSync(join(dir, 'index.txt'), [
      `V\t${exp}\t\t${good.cert.serialHex.toUpperCase()}\tunknown\t/CN=good`,
      `R\t${exp}\t${indexTime(new Date(now.getTime() - DAY))},keyCompromise\t${revoked.cert.serialHex.toUpperCase()}\tunknown\t/CN=revoked`,
      '',
    ].join('\n'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const ask = (serialHex: string) => {
    const req = buildOcspRequest(ca.cert, serialHex);
    writeFileSync(join(dir, 'req.der'), req.der);
    openssl(dir, ['ocsp', '-index', 'index.txt', '-rsigner', 'ca.pem', '-rkey', 'ca.key', '-CA', 'ca.pem', '-reqin', 'req.der', '-respout', 'resp.der', '-nmin', '5']);
    return checkOcspResponse(readFileSync(join(dir, 'resp.der')), { issuer: ca.cert, serialHex, now: new Date(), nonce: req.nonce!, requireNonce: true });
  };

  test('ok/openssl parses our request and answers good / revoked / unknown, nonce echoed, signature verified here', () => {
    const req = buildOcspRequest(ca.cert, good.cert.serialHex);
    writeFileSync(join(dir, 'show.der'), req.der);
    const text = openssl(dir, ['ocsp', '-reqin', 'show.der', '-req_text', '-noverify']);
    assert.match(text, /Hash Algorithm: sha1/);
    assert.match(text, new RegExp(`Serial Number: ${good.cert.serialHex.toUpperCase()}`));
    assert.match(text, /OCSP Nonce/);
    const g = ask(good.cert.serialHex);
    assert.deepEqual(g.ok && [g.status, g.signedBy], ['good', 'issuer']);
    const r = ask(revoked.cert.serialHex);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.status, 'revoked');
    assert.equal(r.revocationReason, 1);
    const u = ask('7777');
    assert.equal(u.ok && u.status, 'unknown');
  });

  test('ok/openssl verifies our signed response and reads its status', () => {
    const der = buildOcspResponse({
      signer: { cert: ca.cert, key: ca.key }, producedAt: now,
      responses: [{ certId: ocspCertId(ca.cert, revoked.cert.serialHex), status: 'revoked', revocationTime: new Date(now.getTime() - DAY), thisUpdate: now, nextUpdate: new Date(now.getTime() + 600_000) }],
    });
    writeFileSync(join(dir, 'ours.der'), der);
    writeFileSync(join(dir, 'revoked.pem'), toPem('CERTIFICATE', revoked.der));
    const out = openssl(dir, ['ocsp', '-respin', 'ours.der', '-CAfile', 'ca.pem', '-issuer', 'ca.pem', '-cert', 'revoked.pem']);
    assert.match(out, /Response verify OK/);
    assert.match(out, /revoked\.pem: revoked/);
  });
});
