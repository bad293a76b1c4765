#!/usr/bin/env node
// Benchmark (not a test): wall time of `mooring-helper credential-process` against the Node
// start-up floor (`node -e 0`) measured in the same run, for the esbuild single-file bundle and
// for the unbundled build. Goal (issue 5): bundle ≤ 1.5× `node -e 0`.
//
//   npm run build && node packages/client/bench/helper-startup.mjs [runs]
//
// Writes packages/client/dist-bundle/mooring-helper.cjs. The CreateSession endpoint is a local
// HTTP server in this process that answers 201 without verifying, so the numbers measure the
// helper (start-up, key load, signing, one HTTP round trip), not a server.
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createCertificateAuthority, issueLeafCertificate } from '@mooring/pki';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundlePath = join(pkgDir, 'dist-bundle', 'mooring-helper.cjs');
const runs = Number(process.argv[2] ?? 20);

// 1. The bundle: one CommonJS file, sources through the `mooring-src` condition, pkcs11js left
//    external (native, optional, loaded only for pkcs11: URIs).
const started = performance.now();
await build({
  stdin: {
    contents: "import { main } from './src/cli/main.ts';\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n",
    resolveDir: pkgDir,
    sourcefile: 'mooring-helper-entry.ts',
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  conditions: ['mooring-src'],
  external: ['pkcs11js'],
  minify: true,
  legalComments: 'none',
  outfile: bundlePath,
  logLevel: 'warning',
});
const buildMs = performance.now() - started;

// 2. Test material: a P-256 leaf (the fastest key to load and sign with) and an RSA-2048 one.
const dir = mkdtempSync(join(tmpdir(), 'mooring-bench-'));
const validity = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2040-01-01T00:00:00Z') };
const ca = createCertificateAuthority({ subject: [['CN', 'Bench CA']], ...validity });
const material = {};
for (const key of ['p256', 'rsa2048']) {
  const leaf = issueLeafCertificate(ca, { subject: [['CN', `bench ${key}`]], key, ...validity });
  writeFileSync(join(dir, `${key}.pem`), leaf.pem);
  writeFileSync(join(dir, `${key}.key`), leaf.keyPem);
  material[key] = { cert: join(dir, `${key}.pem`), key: join(dir, `${key}.key`) };
}

// 3. A CreateSession stub.
const body = JSON.stringify({
  credentialSet: [{ credentials: { accessKeyId: 'ASIABENCH', secretAccessKey: 'secret', sessionToken: 'token', expiration: '2099-01-01T00:00:00Z' } }],
});
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(body));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${server.address().port}`;

const helperArgs = (key) => [
  'credential-process', '--certificate', material[key].cert, '--private-key', material[key].key,
  '--trust-anchor-arn', 'arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/t',
  '--profile-arn', 'arn:aws:rolesanywhere:us-east-1:000000000000:profile/p',
  '--role-arn', 'arn:aws:iam::000000000000:role/R', '--endpoint', endpoint,
];

function time(args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

const cases = {
  'node -e 0': ['-e', '0'],
  'bundle, P-256': [bundlePath, ...helperArgs('p256')],
  'bundle, RSA-2048': [bundlePath, ...helperArgs('rsa2048')],
  'unbundled dist, P-256': [join(pkgDir, 'bin', 'mooring-helper.js'), ...helperArgs('p256')],
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const args of Object.values(cases)) await time(args); // warm the file cache
for (let i = 0; i < runs; i++) {
  // Interleaved, so machine noise hits every case alike.
  for (const [name, args] of Object.entries(cases)) samples[name].push(await time(args));
}
server.close();

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const floor = pct(samples['node -e 0'], 50);
console.log(`esbuild bundle: ${bundlePath} (${(statSync(bundlePath).size / 1024).toFixed(0)} KiB, built in ${buildMs.toFixed(0)} ms)`);
console.log(`${runs} interleaved runs each, node ${process.version}\n`);
console.log('case                       median ms   p90 ms   × node -e 0 (median)');
for (const [name, xs] of Object.entries(samples)) {
  const median = pct(xs, 50);
  console.log(`${name.padEnd(26)} ${median.toFixed(1).padStart(9)} ${pct(xs, 90).toFixed(1).padStart(8)}   ${(median / floor).toFixed(2)}×`);
}
const ratio = pct(samples['bundle, P-256'], 50) / floor;
console.log(`\ngoal ≤ 1.50×: bundle P-256 is ${ratio.toFixed(2)}× → ${ratio <= 1.5 ? 'met' : 'NOT met'}`);
