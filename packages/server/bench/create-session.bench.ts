// npm run bench: CreateSession efficiency against the physical limit (issue [scale]): server CPU
// time per successful CreateSession divided by the time of one raw crypto.verify of the same key
// type, both measured in this run. Requests are signed before the clock starts, so only the
// server's work is counted. Results are printed and written to bench-results/.
import { createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, issueLeafCertificate, type KeySpec } from '@mooring/pki';
import type { RawHttpRequest } from '@mooring/protocol';
import { Harness, sessionRequest, walkthroughSetup, DAY } from '../test/support/in-process.js';

const N = Number(process.env.BENCH_N ?? 300);

function rawVerifyMicros(spec: 'rsa2048' | 'p256'): number {
  const { privateKey, publicKey } = spec === 'rsa2048'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.alloc(256, 7);
  const sig = createSign('sha256').update(data).sign(privateKey);
  for (let i = 0; i < 200; i++) createVerify('sha256').update(data).verify(publicKey, sig);
  const start = process.cpuUsage();
  const n = 2000;
  for (let i = 0; i < n; i++) createVerify('sha256').update(data).verify(publicKey, sig);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

async function measure(h: Harness, s: Awaited<ReturnType<typeof walkthroughSetup>>, key: KeySpec) {
  const now = Date.now();
  const root = createCertificateAuthority({ subject: [['CN', `Bench root ${key}`]], key, notBefore: new Date(now - DAY), notAfter: new Date(now + 365 * DAY) });
  const inter = createCertificateAuthority({ subject: [['CN', `Bench issuing ${key}`]], key, notBefore: new Date(now - DAY), notAfter: new Date(now + 300 * DAY), pathLen: 0, issuer: root });
  const leaf = issueLeafCertificate(inter, { subject: [['CN', 'myContainer']], key, notBefore: new Date(now - DAY), notAfter: new Date(now + 30 * DAY) });
  const ta = await h.admin('rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name: `bench-${key}`, enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: root.pem } } }));
  const trustAnchorArn = ta.json().trustAnchor.trustAnchorArn as string;
  const identity = { der: leaf.der, key: leaf.key, serialHex: leaf.cert.serialHex, serialDecimal: leaf.cert.serialDecimal };
  const make = () => sessionRequest({ identity, trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn, chain: [inter.der] });
  for (let i = 0; i < 20; i++) await h.send(await make()); // warm caches and JIT
  const reqs: RawHttpRequest[] = [];
  for (let i = 0; i < N; i++) reqs.push(await make());
  const wall = performance.now();
  const cpu = process.cpuUsage();
  let ok = 0;
  for (const r of reqs) if ((await h.send(r)).status === 201) ok++;
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - wall) / 1000;
  if (ok !== N) throw new Error(`only ${ok}/${N} sessions succeeded`);
  return { perSessionMicros: (used.user + used.system) / N, userMicros: used.user / N, systemMicros: used.system / N, sessionsPerSecond: N / seconds };
}

const h = await new Harness().start();
try {
  const s = await walkthroughSetup(h);
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, sessions: N, transport: 'fastify inject (no socket)' };
  for (const key of ['rsa2048', 'p256'] as const) {
    const verify = rawVerifyMicros(key);
    const m = await measure(h, s, key);
    results[key] = {
      rawVerifyMicros: Number(verify.toFixed(1)),
      cpuMicrosPerSession: Number(m.perSessionMicros.toFixed(1)),
      userMicrosPerSession: Number(m.userMicros.toFixed(1)),
      systemMicrosPerSession: Number(m.systemMicros.toFixed(1)),
      ratioToRawVerify: Number((m.perSessionMicros / verify).toFixed(2)),
      sessionsPerSecondOneCore: Number(m.sessionsPerSecond.toFixed(0)),
    };
  }
  const text = JSON.stringify(results, null, 2);
  const dir = join(new URL('../../../', import.meta.url).pathname, 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'create-session.json'), `${text}\n`);
  process.stdout.write(`CreateSession efficiency (server CPU per session / one raw crypto.verify, same run):\n${text}\n`);
} finally {
  await h.stop();
}
