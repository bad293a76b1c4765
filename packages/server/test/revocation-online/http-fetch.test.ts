// The node:http fetcher against loopback servers: bodies, size limits, status codes, schemes, and
// a hanging or trickling server that cannot hold a request longer than the timeout.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { httpFetch } from '../../src/revocation-fetch/http-fetch.js';
import { HttpRevocationFetcher } from '../../src/revocation-fetch/http-revocation-fetcher.js';

describe('httpFetch (loopback)', () => {
  let server: Server;
  let base = '';
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let lastRequest: { method?: string; type?: string; body: Buffer } = { body: Buffer.alloc(0) };

  before(async () => {
    server = createServer((req, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        lastRequest = { method: req.method, type: req.headers['content-type'], body: Buffer.concat(chunks) };
        switch (req.url) {
          case '/ok': return void res.end(Buffer.from('hello'));
          case '/echo': return void res.end(lastRequest.body);
          case '/big': return void res.end(Buffer.alloc(2_000));
          case '/big-chunked': {
            res.writeHead(200); // no content-length: the limit must trip while streaming
            for (let i = 0; i < 10; i++) res.write(Buffer.alloc(300));
            return void res.end();
          }
          case '/404': res.statusCode = 404; return void res.end('nope');
          case '/redirect': res.writeHead(302, { location: '/ok' }); return void res.end();
          case '/hang': return; // never answers
          case '/trickle': {
            res.writeHead(200, { 'content-length': '1000' });
            const t = setInterval(() => res.write('x'), 50);
            timers.add(t);
            return;
          }
          default: res.statusCode = 500; return void res.end();
        }
      });
    });
    server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  test('ok/GET body and POST with the OCSP content type', async () => {
    const r = await httpFetch(`${base}/ok`, { method: 'GET' });
    assert.deepEqual(r.ok && r.body.toString(), 'hello');
    const f = new HttpRevocationFetcher();
    const p = await f.postOcsp(`${base}/echo`, Buffer.from([1, 2, 3]));
    assert.deepEqual(p.ok && [...p.body], [1, 2, 3]);
    assert.deepEqual([lastRequest.method, lastRequest.type], ['POST', 'application/ocsp-request']);
  });

  test('fail/size limit by content-length and while streaming; non-200 and redirects are failures', async () => {
    const big = await httpFetch(`${base}/big`, { method: 'GET', maxBytes: 1_000 });
    assert.equal(big.ok ? 'ok' : big.reason, 'too-large');
    const chunked = await httpFetch(`${base}/big-chunked`, { method: 'GET', maxBytes: 1_000 });
    assert.equal(chunked.ok ? 'ok' : chunked.reason, 'too-large');
    const nf = await httpFetch(`${base}/404`, { method: 'GET' });
    assert.deepEqual(nf.ok ? 'ok' : [nf.reason, nf.detail.includes('404')], ['http-status', true]);
    const redirect = await httpFetch(`${base}/redirect`, { method: 'GET' });
    assert.equal(redirect.ok ? 'ok' : redirect.reason, 'http-status');
  });

  test('fail/a hanging and a trickling server are cut off at the timeout', async () => {
    for (const path of ['/hang', '/trickle']) {
      // The server never finishes: only the client's own timeout can end this request.
      const r = await httpFetch(`${base}${path}`, { method: 'GET', timeoutMs: 300 });
      assert.equal(r.ok ? 'ok' : r.reason, 'timeout', path);
    }
  });

  test('fail/only http: URLs are fetched; a closed port is a network failure', async () => {
    for (const url of ['https://127.0.0.1/x', 'ldap://ldap.example/cn=CA?certificateRevocationList', 'file:///etc/passwd', 'not a url', 'http://u:p@127.0.0.1/x']) {
      const r = await httpFetch(url, { method: 'GET' });
      assert.equal(r.ok ? 'ok' : r.reason, 'unsupported-url', url);
    }
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const closed = await httpFetch(`http://127.0.0.1:${port}/`, { method: 'GET', timeoutMs: 2_000 });
    assert.equal(closed.ok ? 'ok' : closed.reason, 'network');
  });
});
