#!/usr/bin/env node
// Benchmark (not a test): `mooring-helper serve` answering IMDSv2 credential GETs — requests per
// second and latency percentiles at a fixed concurrency, over keep-alive loopback connections.
// The CreateSession endpoint is a local stub, so only the helper's serving path is measured.
//
//   npm run build && node packages/client/bench/serve.bench.mjs [requests] [concurrency]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCertificateAuthority, issueLeafCertificate } from '@mooring/pki';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const total = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 16);

const dir = mkdtempSync(join(tmpdir(), 'mooring-serve-bench-'));
const validity = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2040-01-01T00:00:00Z') };
const ca = createCertificateAuthority({ subject: [['CN', 'Bench CA']], ...validity });
const leaf = issueLeafCertificate(ca, { subject: [['CN', 'bench']], ...validity });
writeFileSync(join(dir, 'cert.pem'), leaf.pem);
writeFileSync(join(dir, 'key.pem'), leaf.keyPem);

const body = JSON.stringify({
  credentialSet: [{ credentials: { accessKeyId: 'ASIABENCH', secretAccessKey: 'secret', sessionToken: 'token', expiration: '2099-01-01T00:00:00Z' } }],
});
const stub = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(body));
});
await new Promise((resolve) => stub.listen(0, '127.0.0.1', resolve));

const child = spawn(process.execPath, [
  join(pkgDir, 'bin', 'mooring-helper.js'), 'serve', '--port', '0',
  '--certificate', join(dir, 'cert.pem'), '--private-key', join(dir, 'key.pem'),
  '--trust-anchor-arn', 'arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/t',
  '--profile-arn', 'arn:aws:rolesanywhere:us-east-1:000000000000:profile/p',
  '--role-arn', 'arn:aws:iam::000000000000:role/R', '--endpoint', `http://127.0.0.1:${stub.address().port}`,
], { stdio: ['ignore', 'ignore', 'pipe'] });
const port = await new Promise((resolve, reject) => {
  let err = '';
  const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 30_000);
  child.stderr.on('data', (d) => {
    err += d;
    const m = /Local server started on port: (\d+)/.exec(err);
    if (m) {
      clearTimeout(timer);
      resolve(Number(m[1]));
    }
  });
  child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
});

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const call = (method, path, headers) =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(data) : reject(new Error(`HTTP ${res.statusCode}: ${data}`))));
    });
    req.on('error', reject);
    req.end();
  });

const token = await call('PUT', '/latest/api/token', { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' });
const path = '/latest/meta-data/iam/security-credentials/R';
for (let i = 0; i < 200; i++) await call('GET', path, { 'x-aws-ec2-metadata-token': token }); // warm-up

const latencies = [];
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      const s = performance.now();
      await call('GET', path, { 'x-aws-ec2-metadata-token': token });
      latencies.push(performance.now() - s);
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
child.kill('SIGTERM');
stub.close();
agent.destroy();

latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
const result = {
  date: new Date().toISOString(),
  node: process.version,
  requests: latencies.length,
  concurrency,
  requestsPerSecond: Math.round(latencies.length / seconds),
  p50Ms: Number(pct(50).toFixed(2)),
  p99Ms: Number(pct(99).toFixed(2)),
};
const out = join(pkgDir, '..', '..', 'bench-results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'serve.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`mooring-helper serve, IMDSv2 credential GET:\n${JSON.stringify(result, null, 2)}`);
