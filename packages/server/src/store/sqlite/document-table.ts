import type { Page, PageRequest } from '../../core/roles-anywhere/page.js';
import type { SqliteDatabase } from './database.js';

/**
 * A table of JSON documents keyed by id and listed in insertion order. Serialisation is the
 * adapter's business: domain objects carry no storage concerns (style-anchors §8.3).
 */
export class DocumentTable<T> {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly table: string,
    private readonly toRow: (v: T) => string,
    private readonly fromRow: (doc: string) => T,
  ) {}

  insert(id: string, value: T): void {
    this.db.prepare(`INSERT INTO ${this.table} (id, doc) VALUES (?, ?)`).run(id, this.toRow(value));
  }

  get(id: string): T | undefined {
    const row = this.db.prepare(`SELECT doc FROM ${this.table} WHERE id = ?`).get(id) as { doc: string } | undefined;
    return row ? this.fromRow(row.doc) : undefined;
  }

  replace(id: string, value: T): T | undefined {
    const r = this.db.prepare(`UPDATE ${this.table} SET doc = ?, version = version + 1 WHERE id = ?`).run(this.toRow(value), id);
    return r.changes === 1 ? value : undefined;
  }

  delete(id: string): T | undefined {
    return this.db.transaction(() => {
      const current = this.get(id);
      if (current) this.db.prepare(`DELETE FROM ${this.table} WHERE id = ?`).run(id);
      return current;
    })();
  }

  count(): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM ${this.table}`).get() as { n: number }).n;
  }

  /** nextToken is the base64url of the last seq returned; opaque to callers. */
  list(page: PageRequest): Page<T> | 'bad-token' {
    let after = 0;
    if (page.nextToken !== undefined) {
      const n = Number(Buffer.from(page.nextToken, 'base64url').toString('utf8'));
      if (!Number.isSafeInteger(n) || n < 0) return 'bad-token';
      after = n;
    }
    const rows = this.db
      .prepare(`SELECT seq, doc FROM ${this.table} WHERE seq > ? ORDER BY seq LIMIT ?`)
      .all(after, page.pageSize + 1) as Array<{ seq: number; doc: string }>;
    const more = rows.length > page.pageSize;
    const items = rows.slice(0, page.pageSize);
    const out: Page<T> = { items: items.map((r) => this.fromRow(r.doc)) };
    if (more) out.nextToken = Buffer.from(String(items[items.length - 1]!.seq)).toString('base64url');
    return out;
  }
}

/** JSON with Dates revived from ISO strings for the named fields. */
export function jsonCodec<T>(dateFields: readonly string[]): { toRow: (v: T) => string; fromRow: (doc: string) => T } {
  return {
    toRow: (v) => JSON.stringify(v),
    fromRow: (doc) => {
      const o = JSON.parse(doc) as Record<string, unknown>;
      for (const f of dateFields) if (typeof o[f] === 'string') o[f] = new Date(o[f] as string);
      return o as T;
    },
  };
}
