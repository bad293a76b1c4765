// The composition root's modes, as the server flags select them: PostgreSQL through
// --database-url, and broker mode through --credentials-backend aws.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { signHmacRequest } from '@mooring/protocol';
import { composeServer, toServerOptions } from '@mooring/server';
import { DATABASE_URL, dropSchema, newSchemaName, postgresSkip } from '../store-contract/backends.js';
import { Harness, HOST, sessionRequest, walkthroughSetup } from '../support/in-process.js';
import { startServerProcess } from '../support/server-process.js';
import { runAsync } from '../support/run.js';

const PG_BASE = DATABASE_URL;

describe('compose: --database-url', { skip: await postgresSkip() }, () => {
  const schema = newSchemaName();
  const h = new Harness();

  before(async () => {
    const admin = new pg.Client({ connectionString: PG_BASE });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    h.dir = mkdtempSync(join(tmpdir(), 'mooring-compose-pg-'));
    // The schema rides in the URL's options, as an operator would pass it.
    const url = `${PG_BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    h.server = await composeServer(toServerOptions({ dataDir: h.dir, listen: '127.0.0.1:0', logLevel: 'silent', databaseUrl: url }));
    await h.server.app.ready();
  });
  after(async () => {
    await h.server?.app.close();
    rmSync(h.dir, { recursive: true, force: true });
    await dropSchema(schema);
  });

  test('ok/the walkthrough runs on PostgreSQL and the audit trail lands in it', async () => {
    assert.equal(h.server.stores.kind, 'postgres');
    // The URL's options name the schema but never drop the durability setting (audit rule).
    const db = h.server.stores.postgres!.db;
    assert.equal((await db.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]!.synchronous_commit, 'on');
    assert.equal((await db.query<{ search_path: string }>('SHOW search_path')).rows[0]!.search_path, schema);
    const s = await walkthroughSetup(h);
    const me = s.leaf('myContainer');
    const r = await h.send(await sessionRequest({ identity: me, trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn }));
    assert.equal(r.status, 201, r.body);
    const page = await h.server.stores.audit.query({ eventName: 'CreateSession', limit: 10 });
    assert.ok(page !== 'bad-token' && page.records.length === 1);
    const ready = await h.server.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    // `mooring audit` reads the same trail from PostgreSQL.
    const url = `${PG_BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const list = await runAsync('node', ['packages/server/bin/mooring.js', 'audit', '--database-url', url, '--event-name', 'CreateSession']);
    assert.equal(list.status, 0, list.stderr);
    assert.equal(list.stdout.trim().split('\n').length, 1);
    assert.match(list.stdout, /"eventName":"CreateSession"/);
    const verify = await runAsync('node', ['packages/server/bin/mooring.js', 'audit', 'verify', '--database-url', url]);
    assert.equal(verify.status, 0, verify.stderr);
    assert.match(verify.stdout, /audit trail ok/);
  });

  test('ok/`mooring server` takes MOORING_DATABASE_URL from the environment, as the README shows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-compose-pg-cli-'));
    process.env.MOORING_DATABASE_URL = `${PG_BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    try {
      const running = await startServerProcess(dir);
      try {
        assert.match(running.output(), /storage:\s+PostgreSQL/);
        assert.doesNotMatch(running.output(), /postgres:\/\//, 'the URL (it may hold a password) is never printed');
      } finally {
        await running.stop();
      }
    } finally {
      delete process.env.MOORING_DATABASE_URL;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compose: --credentials-backend aws', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof composeServer>>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mooring-compose-broker-'));
    server = await composeServer(
      toServerOptions({ dataDir: dir, listen: '127.0.0.1:0', logLevel: 'silent', credentialsBackend: 'aws', stsEndpoint: 'http://127.0.0.1:9', iamEndpoint: 'http://127.0.0.1:9', metricsListen: 'main' }),
    );
    await server.app.ready();
  });
  after(async () => {
    await server.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('fail/Mooring\'s own STS is off in broker mode, and says so', async () => {
    const req = signHmacRequest(
      { method: 'POST', path: '/', query: '', headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' },
      { accessKeyId: server.admin.accessKeyId, secretAccessKey: server.admin.secretAccessKey },
      { region: 'us-east-1', service: 'sts', date: new Date() },
    );
    const r = await server.app.inject({ method: 'POST', url: '/', headers: req.headers as Record<string, string>, payload: req.body as string });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /<Code>InvalidAction<\/Code>/);
    assert.match(r.body, /broker mode/);
  });

  test('fail/an unreachable AWS IAM gives the client a clear denial and shows in /metrics', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIABROKERTESTKEY000';
    process.env.AWS_SECRET_ACCESS_KEY = 'broker-test-secret-not-real-0000000000000';
    try {
      const h = Object.assign(new Harness(), { server, dir });
      const s = await walkthroughSetup(h);
      const r = await h.send(await sessionRequest({ identity: s.leaf('myContainer'), trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn }));
      assert.equal(r.status, 403, r.body);
      assert.match(r.json().message, new RegExp(`^Unable to assume role for ${s.roleArn.replace(/[/]/g, '\\/')}`));
      const m = await server.app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(m.statusCode, 200);
      assert.match(m.body, /mooring_broker_call_errors_total\{service="IAM",operation="GetRole"/);
      assert.match(m.body, /mooring_broker_call_duration_seconds_count\{service="IAM",operation="GetRole"/);
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });

  test('fail/bad broker flags are refused with a clear message', () => {
    assert.throws(() => toServerOptions({ dataDir: 'd', credentialsBackend: 'gcp' }), /--credentials-backend must be local or aws/);
    assert.throws(() => toServerOptions({ dataDir: 'd', stsEndpoint: 'http://x' }), /--sts-endpoint needs --credentials-backend aws/);
    assert.throws(() => toServerOptions({ dataDir: 'd', databaseUrl: 'mysql://x' }), /--database-url must be a postgres/);
  });
});
