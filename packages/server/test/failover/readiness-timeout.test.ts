// /readyz is bounded: a database that accepts connections but never answers must turn the probe
// into a 503 within the readiness timeout, not hold it open (docs/scaling.md, "Failure drills").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { boundedReadiness, registerOpsRoutes } from '../../src/transport/health.js';

test('ok/a readiness check that answers in time decides /readyz', async () => {
  const app = Fastify({ logger: false });
  let ready = true;
  registerOpsRoutes(app, { readiness: async () => (ready ? { ok: true } : { ok: false, reason: 'db down' }), timeoutMs: 500 });
  assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  ready = false;
  const r = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(r.statusCode, 503);
  assert.deepEqual(r.json(), { status: 'not ready' }, 'the reason stays in the log');
  await app.close();
});

test('fail/a readiness check that never answers is a 503 within the timeout', async () => {
  const app = Fastify({ logger: false });
  registerOpsRoutes(app, { readiness: () => new Promise(() => {}), timeoutMs: 150 });
  const t0 = Date.now();
  const r = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(r.statusCode, 503);
  assert.ok(Date.now() - t0 < 2000, `answered after ${Date.now() - t0} ms`);
  await app.close();
});

test('fail/a readiness check that throws, even synchronously, is not ready', async () => {
  const sync = await boundedReadiness(() => {
    throw new Error('boom');
  }, 1000);
  assert.deepEqual(sync, { ok: false, reason: 'boom' });
  const rejected = await boundedReadiness(() => Promise.reject(new Error('refused')), 1000);
  assert.deepEqual(rejected, { ok: false, reason: 'refused' });
});
