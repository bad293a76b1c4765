// Online revocation end to end over real sockets, loopback only: a node http server started by the
// test serves a CRL and answers OCSP with OpenSSL's responder (`openssl ocsp -index … -rsigner …
// -CA …`, one `-reqin/-respout` run per request: OpenSSL 3.0's `-port` mode listens on every
// interface, this stays on 127.0.0.1). The RevocationChecker uses the real HttpRevocationFetcher.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { authorityInfoAccessExtension, createCertificateAuthority, issueLeafCertificate } from '@mooring/pki';
import { commandWorks, requireOrSkip } from '../../../../scripts/test-support.mjs';
import { systemRandom } from '../../src/core/ports/random.js';
import { OnlineRevocation } from '../../src/core/revocation-online/online-revocation.js';
import { RevocationChecker } from '../../src/core/session/revocation-checker.js';
import { HttpRevocationFetcher } from '../../src/revocation-fetch/http-revocation-fetcher.js';
import { DAY, cdpExtension, crlOf, emptyCrlStore, ocspAnswer, trustAnchor } from './fixtures.js';

const run = promisify(execFile);
const skip = requireOrSkip(commandWorks('openssl', ['version']), 'openssl CLI not installed');
const indexTime = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';

describe('online revocation against loopback CDP and OCSP responders', { skip }, () => {
  const now = new Date();
  const validity = { notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 30 * DAY) };
  const root = createCertificateAuthority({ subject: [['CN', 'Loopback Root']], ...validity });
  const forger = createCertificateAuthority({ subject: [['CN', 'Loopback Root']], ...validity });
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  let crl: Buffer = Buffer.alloc(0);
  let server: Server;
  let base = '';
  let deadPort = 0;
  let dir = '';
  let seq = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mooring-online-'));
    writeFileSync(join(dir, 'ca.pem'), root.pem);
    writeFileSync(join(dir, 'ca.key'), root.keyPem);
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        hits.push(`${req.method} ${req.url}`);
        const body = Buffer.concat(chunks);
        if (req.url === '/crl') return void res.end(crl);
        if (req.url === '/ocsp-hang') return; // accepts, never answers
        if (req.url === '/ocsp-forged') return void res.end(ocspAnswer(body, root, () => 'good', new Date(), forger));
        if (req.url === '/ocsp') {
          const n = ++seq;
          writeFileSync(join(dir, `req${n}.der`), body);
          await run('openssl', ['ocsp', '-index', 'index.txt', '-rsigner', 'ca.pem', '-rkey', 'ca.key', '-CA', 'ca.pem',
            '-reqin', `req${n}.der`, '-respout', `resp${n}.der`, '-nmin', '10'], { cwd: dir, timeout: 10_000 });
          res.setHeader('content-type', 'application/ocsp-response');
          return void res.end(readFileSync(join(dir, `resp${n}.der`)));
        }
        res.statusCode = 404;
        res.end();
      });
    });
    server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    deadPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const leaf = (cn: string, o: { crl?: string; ocsp?: string }) => issueLeafCertificate(root, {
    subject: [['CN', cn]], ...validity,
    extraExtensions: [...(o.crl ? [cdpExtension(o.crl)] : []), ...(o.ocsp ? [authorityInfoAccessExtension([o.ocsp])] : [])],
  });
  const index = (entries: Array<{ serialHex: string; revoked: boolean }>) => writeFileSync(join(dir, 'index.txt'), entries.map((e) =>
    e.revoked
      ? `R\t${indexTime(validity.notAfter)}\t${indexTime(new Date(now.getTime() - DAY))}\t${e.serialHex.toUpperCase()}\tunknown\t/CN=x`
      : `V\t${indexTime(validity.notAfter)}\t\t${e.serialHex.toUpperCase()}\tunknown\t/CN=x`).join('\n') + '\n');

  function checker(tags: Record<string, string>, timeoutMs = 3_000) {
    const online = new OnlineRevocation({ fetcher: new HttpRevocationFetcher({ timeoutMs }), random: systemRandom });
    const ta = trustAnchor(root.pem, Object.entries(tags).map(([key, value]) => ({ key, value })));
    const c = new RevocationChecker({ store: emptyCrlStore, online: { service: online, trustAnchors: { getTrustAnchor: async () => ta } as never } });
    return (cert: ReturnType<typeof leaf>) => c.check(ta.trustAnchorId, [cert.cert], new Date(), { trustAnchor: ta });
  }

  test('ok/revoked via the CRL distribution point; good passes', async () => {
    const good = leaf('cdp-good', { crl: `${base}/crl` });
    const bad = leaf('cdp-bad', { crl: `${base}/crl` });
    crl = crlOf(root, [bad.cert.serialHex], new Date(now.getTime() - 60_000), new Date(now.getTime() + DAY));
    const check = checker({ 'mooring:revocation': 'crl-dp' });
    const r = await check(bad);
    assert.deepEqual(r.ok ? 'ok' : [r.reason, r.cause], ['revoked', 'revoked-crl-dp']);
    assert.equal((await check(good)).ok, true);
    assert.equal(hits.filter((h) => h === 'GET /crl').length, 1, 'one download, then the cache');
  });

  test('ok/revoked via OCSP (openssl responder); good passes and is cached', async () => {
    const good = leaf('ocsp-good', { ocsp: `${base}/ocsp` });
    const bad = leaf('ocsp-bad', { ocsp: `${base}/ocsp` });
    index([{ serialHex: good.cert.serialHex, revoked: false }, { serialHex: bad.cert.serialHex, revoked: true }]);
    const check = checker({ 'mooring:revocation': 'ocsp' });
    const before = hits.length;
    const r = await check(bad);
    assert.deepEqual(r.ok ? 'ok' : [r.reason, r.cause], ['revoked', 'revoked-ocsp'], r.ok ? '' : r.detail);
    const g = await check(good);
    assert.equal(g.ok, true, g.ok ? '' : g.detail);
    assert.equal((await check(good)).ok, true);
    assert.equal(hits.length - before, 2, 'the second "good" came from the cache');
  });

  test('ok/responder down: deny (default) refuses, allow lets through', async () => {
    const cert = leaf('down', { ocsp: `http://127.0.0.1:${deadPort}/ocsp`, crl: `http://127.0.0.1:${deadPort}/crl` });
    const denied = await checker({ 'mooring:revocation': 'crl-dp+ocsp' })(cert);
    assert.deepEqual(denied.ok ? 'ok' : [denied.reason, denied.cause], ['crl-stale', 'revocation-unavailable']);
    const allowed = await checker({ 'mooring:revocation': 'crl-dp+ocsp', 'mooring:revocation-unavailable': 'allow' })(cert);
    assert.equal(allowed.ok, true);
  });

  test('fail/a hanging responder holds the request no longer than the timeout', async () => {
    const cert = leaf('hang', { ocsp: `${base}/ocsp-hang` });
    // The responder never answers: only the checker's timeout can end this (no wall-clock assertion).
    const r = await checker({ 'mooring:revocation': 'ocsp' }, 400)(cert);
    assert.deepEqual(r.ok ? 'ok' : r.cause, 'revocation-unavailable');
    assert.match(r.ok ? '' : r.detail, /timeout/);
  });

  test('fail/a forged OCSP response (same CA name, other key) is rejected', async () => {
    const cert = leaf('forged', { ocsp: `${base}/ocsp-forged` });
    const r = await checker({ 'mooring:revocation': 'ocsp' })(cert);
    assert.deepEqual(r.ok ? 'ok' : r.cause, 'revocation-unavailable');
    assert.match(r.ok ? '' : r.detail, /bad-signature/);
  });

  test('ok/an opt-out trust anchor never fetches', async () => {
    const cert = leaf('optout', { ocsp: `${base}/ocsp`, crl: `${base}/crl` });
    const before = hits.length;
    assert.equal((await checker({})(cert)).ok, true);
    assert.equal((await checker({ 'mooring:revocation': 'off' })(cert)).ok, true);
    assert.equal(hits.length, before);
  });
});
