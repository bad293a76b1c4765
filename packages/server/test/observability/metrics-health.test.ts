// /metrics, /healthz and /readyz (issue 4 item 6): values move with real CreateSessions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildCrl, createCertificateAuthority, issueLeafCertificate, toPem } from '@mooring/pki';
import { DAY, Harness, sessionRequest, walkthroughSetup } from '../support/in-process.js';
import { OptionsHarness, sample } from './support.js';

describe('metrics on the main listener', () => {
  const h = new OptionsHarness({ metricsListen: 'main' });
  let s: Awaited<ReturnType<typeof walkthroughSetup>>;
  before(async () => {
    await h.start();
    s = await walkthroughSetup(h);
  });
  after(() => h.stop());

  const scrape = async () => {
    const r = await h.get('/metrics');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    return r.body;
  };

  test('ok/create-session counters and histogram follow successes and failures', async () => {
    const okLabels = { outcome: 'success', error_type: '', trust_anchor_arn: s.trustAnchorArn };
    const before = sample(await scrape(), 'mooring_create_session_total', okLabels) ?? 0;
    const good = await h.send(await sessionRequest({ identity: s.leaf('myContainer'), trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn }));
    assert.equal(good.status, 201, good.body);
    // A certificate from a CA the anchor does not hold: refused with a typed reason.
    const other = createCertificateAuthority({ subject: [['CN', 'Other CA']], key: 'p256', notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 30 * DAY) });
    const l = issueLeafCertificate(other, { subject: [['CN', 'myContainer']], key: 'p256', notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 10 * DAY) });
    const bad = await h.send(
      await sessionRequest({ identity: { der: l.der, key: l.key, serialHex: l.cert.serialHex, serialDecimal: l.cert.serialDecimal }, trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn }),
    );
    assert.equal(bad.status, 403);

    const text = await scrape();
    assert.equal(sample(text, 'mooring_create_session_total', okLabels), before + 1);
    const failures = text.split('\n').filter((x) => x.startsWith('mooring_create_session_total{outcome="failure"'));
    assert.equal(failures.length, 1, text);
    assert.match(failures[0]!, /error_type="[a-z-]+",trust_anchor_arn=""\} 1$/);
    assert.equal(sample(text, 'mooring_create_session_duration_seconds_count', { outcome: 'success' }), before + 1);
    assert.equal(sample(text, 'mooring_create_session_duration_seconds_count', { outcome: 'failure' }), 1);
    assert.equal(sample(text, 'mooring_create_session_duration_seconds_bucket', { outcome: 'failure', le: '+Inf' }), 1);
    // No secret ever appears in the exposition.
    assert.ok(!text.includes(h.server.admin.secretAccessKey));
    assert.ok(!/SecretAccessKey|sessionToken/i.test(text));
  });

  test('ok/CA days to expiry, CRL age and stale flag, audit queue depth, API calls', async () => {
    const thisUpdate = new Date(Date.now() - 10 * DAY);
    const der = buildCrl({ issuer: { cert: s.ca.cert, key: s.ca.key }, thisUpdate, nextUpdate: new Date(Date.now() - DAY), revoked: [] });
    const imp = await h.admin('rolesanywhere', 'POST', '/crls', JSON.stringify({ name: 'old', crlData: Buffer.from(toPem('X509 CRL', der)).toString('base64'), trustAnchorArn: s.trustAnchorArn }));
    assert.equal(imp.status, 201, imp.body);
    const crlId = imp.json().crl.crlId as string;

    const text = await scrape();
    const days = sample(text, 'mooring_ca_days_to_expiry', { trust_anchor_arn: s.trustAnchorArn, serial: s.ca.cert.serialHex });
    assert.ok(days === 364 || days === 363, `days ${days}`);
    const age = sample(text, 'mooring_crl_age_seconds', { crl_id: crlId })!;
    assert.ok(Math.abs(age - 10 * 86400) < 120, `age ${age}`);
    assert.equal(sample(text, 'mooring_crl_stale', { crl_id: crlId, enabled: 'false' }), 1);
    assert.equal(sample(text, 'mooring_audit_queue_depth'), 0);
    assert.ok((sample(text, 'mooring_api_calls_total', { event_source: 'rolesanywhere.amazonaws.com', event_name: 'ImportCrl', error_code: '' }) ?? 0) >= 1);
    assert.ok((sample(text, 'mooring_api_calls_total', { event_source: 'iam.amazonaws.com', event_name: 'CreateRole', error_code: '' }) ?? 0) >= 1);
  });

  test('ok/healthz and readyz answer; readyz is 503 once the database is closed', async () => {
    assert.equal((await h.get('/healthz')).status, 200);
    const ready = await h.get('/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(JSON.parse(ready.body), { status: 'ready' });
    h.db.close();
    const down = await h.get('/readyz');
    assert.equal(down.status, 503);
    assert.deepEqual(JSON.parse(down.body), { status: 'not ready' });
    assert.equal((await h.get('/healthz')).status, 200);
  });
});

describe('metrics default', () => {
  const h = new Harness();
  before(() => h.start());
  after(() => h.stop());

  test('fail/metrics are not served on the main listener unless asked for', async () => {
    const r = await h.server.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(r.statusCode, 404);
    assert.equal(r.headers['x-amzn-errortype'], 'UnknownOperationException');
    assert.equal((await h.server.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  });
});

describe('metrics on a separate listener', () => {
  const h = new OptionsHarness({ metricsListen: '127.0.0.1:0' });
  before(() => h.start());
  after(() => h.stop());

  test('ok/--metrics-listen HOST:PORT serves /metrics on its own app, not on the main one', async () => {
    const ops = h.server.opsApp!;
    assert.ok(ops);
    const r = await ops.inject({ method: 'GET', url: '/metrics' });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /# TYPE mooring_create_session_total counter/);
    assert.equal((await ops.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    assert.equal((await h.get('/metrics')).status, 404);
  });
});
