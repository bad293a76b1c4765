// Two replicas composed in-process on one fresh PostgreSQL schema, the second started from a
// copy of the first one's data dir (token keys, TLS) as docs/scaling.md describes. For tests
// that drive both with inject(); registers its own before/after hooks.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import pg from 'pg';
import { composeServer, toServerOptions } from '@mooring/server';
import { DATABASE_URL, dropSchema, newSchemaName } from '../store-contract/backends.js';
import { Harness } from './in-process.js';

async function composeOn(url: string, dir: string): Promise<Harness> {
  const h = new Harness();
  h.dir = dir;
  h.server = await composeServer(toServerOptions({ dataDir: dir, listen: '127.0.0.1:0', logLevel: 'silent', databaseUrl: url }));
  await h.server.app.ready();
  return h;
}

export interface ComposedReplicas {
  a: Harness;
  b: Harness;
  schema: string;
}

/** Call inside a describe; `ready` runs once both replicas are up (e.g. the walkthrough setup on A). */
export function composedReplicaHooks(prefix: string, ready?: (r: ComposedReplicas) => Promise<void>): ComposedReplicas {
  const r = { schema: newSchemaName() } as ComposedReplicas;
  before(async () => {
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${r.schema}`);
    await admin.end();
    const url = `${DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${r.schema}`)}`;
    r.a = await composeOn(url, mkdtempSync(join(tmpdir(), `${prefix}-a-`)));
    const dirB = mkdtempSync(join(tmpdir(), `${prefix}-b-`));
    cpSync(r.a.dir, dirB, { recursive: true });
    r.b = await composeOn(url, dirB);
    await ready?.(r);
  });
  after(async () => {
    await r.a?.stop();
    await r.b?.stop();
    await dropSchema(r.schema);
  });
  return r;
}
