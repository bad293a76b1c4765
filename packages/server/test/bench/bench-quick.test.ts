// `npm run bench -- --quick` is documented (README, docs/benchmarks.md) as the tracked figure of
// issue [scale]: it must run from a clean checkout and end with one JSON object carrying at least
// the four named figures. This asserts the shape and that the run had no errors, never a number's
// size: performance is reported, not tested.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../../../../', import.meta.url).pathname;

test('ok/bench: npm run bench -- --quick ends with the JSON summary the issue names', { timeout: 300_000 }, async () => {
  const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'bench', '--', '--quick'], { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  assert.equal(out.code, 0, `bench failed:\n${out.stdout.slice(-2000)}\n${out.stderr.slice(-2000)}`);
  const last = out.stdout.trim().split('\n').pop()!;
  const summary = JSON.parse(last) as Record<string, unknown>;
  assert.equal(summary.mode, 'quick');
  for (const k of ['rsaCpuPerSessionOverVerify', 'ecCpuPerSessionOverVerify', 'sessionsPerSecond', 'p99Ms', 'rsaCpuOverFloor', 'ecCpuOverFloor', 'peakSessionsPerSecond', 'rsaSessionsPerSecondPerCore', 'ecSessionsPerSecondPerCore', 'rsaDurableFloorOverVerify', 'ecDurableFloorOverVerify', 'rsaCpuOverDurableFloor', 'ecCpuOverDurableFloor']) {
    assert.equal(typeof summary[k], 'number', `${k} in ${last}`);
    assert.ok((summary[k] as number) > 0, `${k} > 0 in ${last}`);
  }
  const file = JSON.parse(readFileSync(join(ROOT, 'bench-results', 'server-quick.json'), 'utf8')) as { summary: unknown; efficiency: { at80: { errors: number } } };
  assert.deepEqual(file.summary, summary, 'the results file holds the same summary');
  assert.equal(file.efficiency.at80.errors, 0);
});
