// DIR/admin-credentials belongs to the database that created its admin: a data dir started
// against another database (a SQLite dir with --database-url, say) must not lose that secret.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { composeServer } from '../../src/app/compose.js';
import { toServerOptions } from '../../src/app/server-options.js';

test('fail/a data dir whose admin-credentials hold another database\'s admin is refused, and the file kept', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mooring-admin-'));
  const a = join(root, 'a');
  const b = join(root, 'b');
  try {
    for (const dir of [a, b]) {
      const s = await composeServer(toServerOptions({ dataDir: dir, logLevel: 'silent' }));
      await s.app.close();
    }
    // b's file now names a's admin, as if a's data dir had been pointed at b's database.
    copyFileSync(join(a, 'admin-credentials'), join(b, 'admin-credentials'));
    const before = readFileSync(join(b, 'admin-credentials'), 'utf8');
    await assert.rejects(composeServer(toServerOptions({ dataDir: b, logLevel: 'silent' })), /admin-credentials holds the administrator of another database .*The file was left as it was\./);
    assert.equal(readFileSync(join(b, 'admin-credentials'), 'utf8'), before);
    assert.ok(!/aws_secret_access_key/.test(String(await composeServer(toServerOptions({ dataDir: b, logLevel: 'silent' })).catch((e: Error) => e.message))), 'no secret in the message');
    // A restart of a consistent data dir is unaffected.
    const again = await composeServer(toServerOptions({ dataDir: a, logLevel: 'silent' }));
    await again.app.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
