// Audit durability (issue [revocation-audit]): a client loops CreateSession against the real
// server process, the server is SIGKILLed mid-loop, restarted on the same data directory, and
// every access key id the client received must be in the audit trail (and in the JSON-lines
// file, when the file sink is configured). No client may hold credentials whose issuance is
// missing from the trail.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createSession } from '@mooring/client';
import { createCertificateAuthority, issueLeafCertificate } from '@mooring/pki';
import { newFileX509Signer } from '@mooring/protocol';
import { queryBody, signedCall, WALKTHROUGH_TRUST_POLICY } from '@mooring/server';
import { verifyAuditChain } from '../../src/core/audit/verify-audit-chain.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { auditJsonlPath } from '../../src/store/sqlite/open-audit-trail.js';
import { SqliteAuditStore } from '../../src/store/sqlite/sqlite-audit-store.js';
import { REPO_ROOT } from '../support/run.js';

const BIN = join(REPO_ROOT, 'packages/server/bin/mooring.js');
const DAY = 24 * 3600 * 1000;

/** `node bin/mooring.js server` itself (no npx wrapper), so SIGKILL hits the server process. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; endpoint: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'server', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--log-level', 'warn'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /endpoint:\s+(https:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  child.removeAllListeners('exit');
  return { child, endpoint, output: () => out };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

test('ok/durability: after SIGKILL mid-loop and a restart, every access key id a client received is in the audit trail', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-durability-'));
  let server = await startServer(dir);
  try {
    const ca = readFileSync(join(dir, 'tls', 'ca.pem'), 'utf8');
    const creds = readFileSync(join(dir, 'admin-credentials'), 'utf8');
    const admin = {
      accessKeyId: /aws_access_key_id = (\S+)/.exec(creds)![1]!,
      secretAccessKey: /aws_secret_access_key = (\S+)/.exec(creds)![1]!,
    };
    const call = (service: string, path: string, body: string, contentType = 'application/json') =>
      signedCall({ endpoint: server.endpoint, method: 'POST', path, body, contentType, service, region: 'us-east-1', credentials: admin, ca });

    const now = new Date();
    const caCert = createCertificateAuthority({ subject: [['CN', 'Durability CA']], key: 'p256', notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 365 * DAY) });
    const leaf = issueLeafCertificate(caCert, { subject: [['CN', 'myContainer']], key: 'p256', notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 30 * DAY) });
    const role = await call('iam', '/', queryBody({ Action: 'CreateRole', Version: '2010-05-08', RoleName: 'bucket-lister', AssumeRolePolicyDocument: WALKTHROUGH_TRUST_POLICY }), 'application/x-www-form-urlencoded; charset=utf-8');
    assert.equal(role.status, 200, role.body);
    const roleArn = /<Arn>([^<]+)<\/Arn>/.exec(role.body)![1]!;
    const ta = await call('rolesanywhere', '/trustanchors', JSON.stringify({ name: 'ca', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: caCert.pem } } }));
    assert.equal(ta.status, 201, ta.body);
    const profile = await call('rolesanywhere', '/profiles', JSON.stringify({ name: 'p', enabled: true, roleArns: [roleArn] }));
    assert.equal(profile.status, 201, profile.body);
    const target = {
      region: 'us-east-1',
      trustAnchorArn: (JSON.parse(ta.body) as { trustAnchor: { trustAnchorArn: string } }).trustAnchor.trustAnchorArn,
      profileArn: (JSON.parse(profile.body) as { profile: { profileArn: string } }).profile.profileArn,
      roleArn,
      signer: newFileX509Signer(leaf.key),
      certificateDer: leaf.der,
      tls: { ca },
      maxAttempts: 1,
    };

    // Four clients loop CreateSession; once 40 credential sets are out, the server is killed
    // while other requests are in flight.
    const received: string[] = [];
    let killed = false;
    let failuresAfterKill = 0;
    const killAt = 40;
    const worker = async () => {
      for (;;) {
        try {
          const c = await createSession({ ...target, endpoint: server.endpoint });
          received.push(c.accessKeyId);
          if (!killed && received.length >= killAt) {
            killed = true;
            server.child.kill('SIGKILL');
          }
        } catch (err) {
          if (!killed) throw err;
          failuresAfterKill++;
          return;
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    await exited(server.child);
    assert.equal(server.child.signalCode, 'SIGKILL');
    assert.ok(received.length >= killAt, `the clients received ${received.length} credential sets`);
    assert.ok(failuresAfterKill > 0, 'some requests were cut off by the kill');

    server = await startServer(dir);
    const after = await createSession({ ...target, endpoint: server.endpoint });
    received.push(after.accessKeyId);

    const db = openSqliteDatabase(join(dir, 'mooring.db'));
    try {
      const store = new SqliteAuditStore(db);
      const inTrail = new Set(
        store
          .list(100_000)
          .filter((e) => e.eventName === 'CreateSession')
          .map((e) => (e.responseElements as { accessKeyId?: string } | null)?.accessKeyId),
      );
      const missing = received.filter((k) => !inTrail.has(k));
      assert.deepEqual(missing, [], `${missing.length} of ${received.length} issued access key ids are missing from the trail`);
      const chain = await verifyAuditChain(store);
      assert.equal(chain.ok, true, JSON.stringify(chain));
    } finally {
      db.close();
    }
    // With the JSON-lines sink configured, the restarted server has caught the file up as well.
    const jsonl = auditJsonlPath(dir);
    if (existsSync(jsonl)) {
      const text = readFileSync(jsonl, 'utf8');
      assert.deepEqual(received.filter((k) => !text.includes(k)), [], 'every issued access key id is in audit.jsonl');
    }
  } finally {
    server.child.kill('SIGTERM');
    await exited(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
});
