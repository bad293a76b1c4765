import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { normalizeSerialHex } from '../core/audit/audit-index-fields.js';
import { auditRecordLine } from '../core/audit/audit-record.js';
import type { AuditQuery } from '../core/audit/audit-store.js';
import { verifyAuditChain } from '../core/audit/verify-audit-chain.js';
import { dataDirPaths } from '../app/data-dir.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { checkAuditFile } from '../store/sqlite/audit-jsonl-check.js';
import { auditJsonlPath } from '../store/sqlite/open-audit-trail.js';
import { SqliteAuditStore } from '../store/sqlite/sqlite-audit-store.js';
import { PgAuditStore } from '../store/postgres/pg-audit-store.js';
import { openPgDatabase } from '../store/postgres/pg-database.js';
import type { AuditReader } from '../app/store-factory.js';
import { parseAuditTime } from './audit-time.js';

export interface AuditCommandIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  now?: () => Date;
}

export const AUDIT_USAGE = `mooring audit flags (prints matching records as JSON lines, oldest first):
  --data-dir DIR         the server's data directory (reads DIR/mooring.db)
  --database-url URL     PostgreSQL shared by replicas, instead of --data-dir (or MOORING_DATABASE_URL)
  --serial HEX           certificate serial in hex (case, colons and leading zeros ignored)
  --role ARN             role ARN of the request
  --event-name NAME      e.g. CreateSession
  --since T, --until T   ISO 8601 time (UTC) or a duration ago: 90s, 15m, 2h, 7d, 1w (since inclusive, until exclusive)
  --limit N              print at most N records (the oldest N that match)

mooring audit verify [--data-dir DIR | --database-url URL]
  checks the hash chain (and DIR/audit/audit.jsonl against it, when present); exits 0 with a
  one-line summary, or 1 naming the first bad record
`;

/** Exit codes: 0 success, 1 the chain is broken, 2 usage or environment error. */
export async function runAuditCommand(args: string[], io: AuditCommandIo): Promise<number> {
  const verify = args[0] === 'verify';
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: verify ? args.slice(1) : args,
      options: {
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        ...(verify
          ? {}
          : {
              serial: { type: 'string' },
              role: { type: 'string' },
              'event-name': { type: 'string' },
              since: { type: 'string' },
              until: { type: 'string' },
              limit: { type: 'string' },
            }),
      },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;
  } catch (err) {
    return usage(io, (err as Error).message);
  }
  const databaseUrl = values['database-url'] ?? (values['data-dir'] === undefined ? process.env.MOORING_DATABASE_URL || undefined : undefined);
  const dir = values['data-dir'];
  if (databaseUrl === undefined) {
    if (dir === undefined) return usage(io, '--data-dir or --database-url is required');
    // Never create a data directory here: a typo must not look like an empty, valid trail.
    if (!existsSync(dataDirPaths(dir).database)) {
      io.stderr.write(`Error: no Mooring database at ${dataDirPaths(dir).database}\n`);
      return 2;
    }
  } else if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // The URL may hold a password: name the flag, never the value.
    return usage(io, '--database-url must be a postgres:// or postgresql:// URL');
  }

  let query: AuditQuery = {};
  let max = Number.POSITIVE_INFINITY;
  if (!verify) {
    const q = buildQuery(values, io.now?.() ?? new Date());
    if (typeof q === 'string') return usage(io, q);
    query = q.query;
    max = q.max;
  }

  const source = await openAuditSource(databaseUrl, dir);
  try {
    const store = source.store;
    if (verify) {
      const v = await verifyAuditChain(store);
      if (!v.ok) return broken(io, v);
      let copy = '';
      const file = dir !== undefined && databaseUrl === undefined ? auditJsonlPath(dir) : undefined;
      if (file !== undefined && existsSync(file)) {
        const f = await checkAuditFile(file, store);
        if (!f.ok) return broken(io, f);
        copy = `; ${file} agrees (${f.lines} line(s))`;
      }
      io.stdout.write(`audit trail ok: ${v.count} record(s) verified, chain head ${v.headHash}${copy}\n`);
      return 0;
    }
    let printed = 0;
    let token: string | undefined;
    do {
      const page = await store.query({ ...query, limit: Math.min(1000, max - printed), ...(token !== undefined ? { nextToken: token } : {}) });
      if (page === 'bad-token') throw new Error('internal paging error');
      if (page.records.length > 0) io.stdout.write(`${page.records.map(auditRecordLine).join('\n')}\n`);
      printed += page.records.length;
      token = page.nextToken;
    } while (token !== undefined && printed < max);
    return 0;
  } finally {
    await source.close();
  }
}

/** The trail of one deployment: the SQLite data dir, or the PostgreSQL database replicas share. */
async function openAuditSource(databaseUrl: string | undefined, dir: string | undefined): Promise<{ store: AuditReader; close(): Promise<void> }> {
  if (databaseUrl !== undefined) {
    const db = await openPgDatabase({ connectionString: databaseUrl });
    return { store: new PgAuditStore(db), close: () => db.close() };
  }
  const db = openSqliteDatabase(dataDirPaths(dir!).database);
  return {
    store: new SqliteAuditStore(db),
    close: async () => {
      db.close();
    },
  };
}

function buildQuery(values: Record<string, string | undefined>, now: Date): { query: AuditQuery; max: number } | string {
  const query: AuditQuery = {};
  if (values.serial !== undefined) {
    if (normalizeSerialHex(values.serial) === undefined) return `--serial must be hex, got "${values.serial}"`;
    query.serial = values.serial;
  }
  if (values.role !== undefined) query.roleArn = values.role;
  if (values['event-name'] !== undefined) query.eventName = values['event-name'];
  for (const name of ['since', 'until'] as const) {
    const v = values[name];
    if (v === undefined) continue;
    const t = parseAuditTime(v, now);
    if (!t) return `--${name} must be an ISO 8601 time or a duration like 15m, 2h, 7d; got "${v}"`;
    query[name] = t;
  }
  let max = Number.POSITIVE_INFINITY;
  if (values.limit !== undefined) {
    if (!/^\d{1,9}$/.test(values.limit) || Number(values.limit) < 1) return `--limit must be a positive integer, got "${values.limit}"`;
    max = Number(values.limit);
  }
  return { query, max };
}

function broken(io: AuditCommandIo, v: { seq: number; eventID: string; problem: string; detail: string }): number {
  io.stderr.write(`audit trail BROKEN at record ${v.seq} (eventID ${v.eventID || 'unknown'}): ${v.problem} — ${v.detail}\n`);
  return 1;
}

function usage(io: AuditCommandIo, message: string): number {
  io.stderr.write(`Error: ${message}\n\n${AUDIT_USAGE}`);
  return 2;
}
