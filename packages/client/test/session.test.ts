import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { createSession, CreateSessionError, defaultEndpoint, loadSigningIdentity, resolveEndpoint } from '../src/index.js';
import { errorFromResponse } from '../src/session/create-session-error.js';
import { encodeGoQuery, goQueryEscape } from '../src/session/go-query.js';
import { proxyForUrl } from '../src/session/proxy.js';
import { parseArnLikeGo } from '../src/session/session-target.js';
import { makePki, opensslSkip, type TestPki } from './support/pki.js';
import { startServer } from './support/server.js';

let pki: TestPki;
before(() => {
  if (opensslSkip) return;
  pki = makePki();
});

describe('Go query encoding', () => {
  test('ok/QueryEscape keeps only unreserved characters', () => {
    assert.equal(goQueryEscape('arn:aws:iam::1:role/a b~_.-+é'), 'arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b~_.-%2B%C3%A9');
  });
  test('ok/Values.Encode sorts keys', () => {
    assert.equal(encodeGoQuery({ trustAnchorArn: 't', profileArn: 'p', roleArn: 'r' }), 'profileArn=p&roleArn=r&trustAnchorArn=t');
  });
});

describe('error responses', () => {
  test('ok/x-amzn-ErrorType wins and is cut at the colon', () => {
    const err = errorFromResponse(403, { 'x-amzn-errortype': 'AccessDeniedException:http://x/', 'x-amzn-requestid': 'r1' }, Buffer.from('{"__type":"Other","message":"m"}'));
    assert.equal(err.code, 'AccessDeniedException');
    assert.equal(err.message, 'm');
    assert.equal(err.requestId, 'r1');
    assert.equal(err.retryable, false);
  });
  test('ok/body __type with a namespace, Message spelling', () => {
    const err = errorFromResponse(400, {}, Buffer.from('{"__type":"com.amazonaws.rolesanywhere#ValidationException","Message":"bad"}'));
    assert.equal(err.code, 'ValidationException');
    assert.equal(err.message, 'bad');
  });
  test('ok/non-JSON 502 falls back to the status, and is retryable', () => {
    const err = errorFromResponse(502, {}, Buffer.from('<html>'));
    assert.equal(err.code, 'HTTP502');
    assert.equal(err.message, 'http status 502');
    assert.equal(err.retryable, true);
  });
  test('ok/throttling is retryable', () => {
    assert.equal(errorFromResponse(400, { 'x-amzn-errortype': 'ThrottlingException' }, Buffer.alloc(0)).retryable, true);
  });
});

describe('endpoints and ARNs', () => {
  test('ok/partition defaults', () => {
    assert.equal(defaultEndpoint('us-east-1'), 'https://rolesanywhere.us-east-1.amazonaws.com');
    assert.equal(defaultEndpoint('cn-north-1'), 'https://rolesanywhere.cn-north-1.amazonaws.com.cn');
    assert.equal(defaultEndpoint('us-gov-west-1', { fips: true }), 'https://rolesanywhere-fips.us-gov-west-1.amazonaws.com');
    assert.equal(defaultEndpoint('us-isob-east-1'), 'https://rolesanywhere.us-isob-east-1.sc2s.sgov.gov');
  });
  test('ok/explicit endpoint, then service env, then generic env', () => {
    const env = { AWS_ENDPOINT_URL_ROLESANYWHERE: 'https://svc', AWS_ENDPOINT_URL: 'https://all' };
    assert.equal(resolveEndpoint('us-east-1', 'https://flag', env), 'https://flag');
    assert.equal(resolveEndpoint('us-east-1', '', env), 'https://svc');
    assert.equal(resolveEndpoint('us-east-1', undefined, { AWS_ENDPOINT_URL: 'https://all' }), 'https://all');
    assert.equal(resolveEndpoint('us-east-1', undefined, { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }), 'https://rolesanywhere.us-east-1.amazonaws.com');
  });
  test('ok/Go arn.Parse keeps colons in the resource', () => {
    const r = parseArnLikeGo('arn:aws:rolesanywhere:us-east-1:1:trust-anchor/a:b');
    assert.ok(r.ok);
    assert.equal(r.ok && r.arn.resource, 'trust-anchor/a:b');
    assert.deepEqual(parseArnLikeGo(''), { ok: false, error: 'arn: invalid prefix' });
  });
});

describe('proxy selection', { skip: opensslSkip }, () => {
  test('ok/HTTPS_PROXY for https, NO_PROXY suffixes, loopback bypass', () => {
    const env = { HTTPS_PROXY: 'proxy:3128', no_proxy: '.internal,example.org' };
    assert.equal(proxyForUrl(new URL('https://rolesanywhere.us-east-1.amazonaws.com'), env)?.href, 'http://proxy:3128/');
    assert.equal(proxyForUrl(new URL('https://a.internal'), env), undefined);
    assert.equal(proxyForUrl(new URL('https://api.example.org'), env), undefined);
    assert.equal(proxyForUrl(new URL('https://127.0.0.1:8443'), env), undefined);
    assert.equal(proxyForUrl(new URL('http://x.com'), env), undefined);
  });

  test('ok/HTTPS through a CONNECT proxy', async () => {
    const server = await startServer({ tls: { cert: pki.serverCert, key: pki.serverKey } });
    const targetPort = Number(new URL(server.url).port);
    const tunnels: string[] = [];
    const proxy = http.createServer();
    proxy.on('connect', (req, socket) => {
      tunnels.push(String(req.url));
      const upstream = net.connect(targetPort, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const id = loadSigningIdentity({ certificate: pki.rsaCert, privateKey: pki.rsaKeyPkcs8 });
      // A non-loopback name so the proxy applies; it resolves only inside the tunnel.
      const creds = await createSession({
        endpoint: `https://mooring.test:${targetPort}`,
        region: 'us-east-1',
        trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:0:trust-anchor/t',
        profileArn: 'arn:aws:rolesanywhere:us-east-1:0:profile/p',
        roleArn: 'arn:aws:iam::0:role/r',
        signer: id.signer,
        certificateDer: id.certificate!.der,
        tls: { rejectUnauthorized: false },
        env: { HTTPS_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` },
      });
      assert.equal(creds.expiration, '2099-01-01T00:00:00Z');
      assert.deepEqual(tunnels, [`mooring.test:${targetPort}`]);
      assert.equal(server.seen.at(-1)?.verdict, 'ok');
    } finally {
      proxy.close();
      await server.close();
    }
  });
});

describe('createSession', { skip: opensslSkip }, () => {
  test('fail/connection refused is a network CreateSessionError after retries', async () => {
    const id = loadSigningIdentity({ certificate: pki.ecCert, privateKey: pki.ecKeyPkcs8 });
    const free = net.createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const port = (free.address() as AddressInfo).port;
    free.close();
    await assert.rejects(
      createSession({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        trustAnchorArn: 't',
        profileArn: 'p',
        roleArn: 'r',
        signer: id.signer,
        certificateDer: id.certificate!.der,
        maxAttempts: 2,
      }),
      (err: unknown) => err instanceof CreateSessionError && err.fault === 'network' && err.code === 'NetworkError' && /ECONNREFUSED/.test(err.message),
    );
  });

  test('ok/serial in Credential= is decimal', async () => {
    const server = await startServer();
    try {
      const id = loadSigningIdentity({ certificate: pki.rsaCert, privateKey: pki.rsaKeyPkcs8 });
      await createSession({
        endpoint: server.url,
        region: 'us-east-1',
        trustAnchorArn: 't',
        profileArn: 'p',
        roleArn: 'r',
        signer: id.signer,
        certificateDer: id.certificate!.der,
        userAgent: 'custom/1',
      });
      const serialHex = new X509Certificate(readFileSync(pki.rsaCert)).serialNumber;
      assert.match(String(server.seen[0]?.raw.headers.authorization), new RegExp(`Credential=${BigInt('0x' + serialHex).toString()}/`));
      assert.equal(server.seen[0]?.raw.headers['user-agent'], 'custom/1');
      assert.equal(server.seen[0]?.verdict, 'ok');
    } finally {
      await server.close();
    }
  });
});
