import type { PoolClient } from 'pg';
import type { Page, PageRequest } from '../../core/roles-anywhere/page.js';
import type { Change } from './change-feed.js';
import { toInt, type PgDatabase } from './pg-database.js';
import { notifyChange } from './pg-notify.js';
import { threeWayMerge } from './three-way-merge.js';

export interface DocumentCodec<T> {
  toDoc(v: T): string;
  fromDoc(doc: string): T;
  /**
   * An object reference that a read-modify-write in the services carries over unchanged from
   * the value it read to the value it saves (`{ ...current, name }` keeps `current.createdAt`).
   * It identifies which read a save is based on without a version field in the domain type.
   */
  readIdentity(v: T): object;
  /** Extra indexed columns written with the document (CRLs: trust_anchor_id, enabled). */
  columns?(v: T): Record<string, unknown>;
}

interface Base {
  version: number;
  doc: string;
}

/**
 * A table of JSON documents with a `version` column, for the replace-style ports
 * (saveTrustAnchor, saveProfile, saveCrl). The services read, modify and save whole documents;
 * two replicas doing that to one resource at once would lose the first save. So each save runs
 * in a transaction that locks the row (`SELECT … FOR UPDATE`) and compares its version with the
 * version the saved value was read at: unchanged → plain replace; changed → the writer's
 * changes are three-way merged onto the committed document (three-way-merge.ts), so neither
 * update is lost. Every write bumps `version` (the CreateSession caches key on it) and sends a
 * change notification in the same transaction.
 */
export class PgDocumentTable<T> {
  /** Keyed by read identity, so entries vanish with the values the services drop. */
  private readonly bases = new WeakMap<object, Base>();

  constructor(
    private readonly db: PgDatabase,
    private readonly table: string,
    private readonly kind: Change['kind'] | undefined,
    private readonly codec: DocumentCodec<T>,
  ) {}

  async insert(id: string, value: T): Promise<void> {
    const doc = this.codec.toDoc(value);
    const extra = this.codec.columns?.(value) ?? {};
    const names = ['id', 'doc', ...Object.keys(extra)];
    const args = [id, doc, ...Object.values(extra)];
    await this.db.tx(async (c) => {
      await c.query(`INSERT INTO ${this.table} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`, args);
      await this.notify(c, id);
    });
  }

  async get(id: string): Promise<T | undefined> {
    const r = await this.db.query<{ doc: string; version: number }>(`SELECT doc, version FROM ${this.table} WHERE id = $1`, [id]);
    const row = r.rows[0];
    return row ? this.remember(row.doc, row.version) : undefined;
  }

  async replace(id: string, value: T): Promise<T | undefined> {
    const base = this.bases.get(this.codec.readIdentity(value));
    const saved = await this.db.tx(async (c) => {
      const r = await c.query<{ doc: string; version: number }>(`SELECT doc, version FROM ${this.table} WHERE id = $1 FOR UPDATE`, [id]);
      const row = r.rows[0];
      if (!row) return undefined;
      let doc = this.codec.toDoc(value);
      if (base && base.version !== row.version) {
        doc = JSON.stringify(threeWayMerge(JSON.parse(base.doc), JSON.parse(doc), JSON.parse(row.doc)));
      }
      const extra = this.codec.columns?.(this.codec.fromDoc(doc)) ?? {};
      const sets = Object.keys(extra).map((k, i) => `, ${k} = $${i + 3}`).join('');
      const u = await c.query<{ version: number }>(
        `UPDATE ${this.table} SET doc = $1, version = version + 1${sets} WHERE id = $2 RETURNING version`,
        [doc, id, ...Object.values(extra)],
      );
      await this.notify(c, id);
      return { doc, version: u.rows[0]!.version };
    });
    return saved ? this.remember(saved.doc, saved.version) : undefined;
  }

  async delete(id: string): Promise<T | undefined> {
    const doc = await this.db.tx(async (c) => {
      const r = await c.query<{ doc: string }>(`DELETE FROM ${this.table} WHERE id = $1 RETURNING doc`, [id]);
      if (r.rows[0]) await this.notify(c, id);
      return r.rows[0]?.doc;
    });
    return doc === undefined ? undefined : this.codec.fromDoc(doc);
  }

  async count(): Promise<number> {
    const r = await this.db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${this.table}`);
    return toInt(r.rows[0]!.n);
  }

  /** nextToken is the base64url of the last `seq` returned, exactly as the SQLite adapter's. */
  async list(page: PageRequest): Promise<Page<T> | 'bad-token'> {
    let after = 0;
    if (page.nextToken !== undefined) {
      const n = Number(Buffer.from(page.nextToken, 'base64url').toString('utf8'));
      if (!Number.isSafeInteger(n) || n < 0) return 'bad-token';
      after = n;
    }
    const r = await this.db.query<{ seq: string; doc: string; version: number }>(
      `SELECT seq, doc, version FROM ${this.table} WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, page.pageSize + 1],
    );
    const more = r.rows.length > page.pageSize;
    const rows = r.rows.slice(0, page.pageSize);
    const out: Page<T> = { items: rows.map((row) => this.remember(row.doc, row.version)) };
    if (more) out.nextToken = Buffer.from(String(toInt(rows[rows.length - 1]!.seq))).toString('base64url');
    return out;
  }

  private remember(doc: string, version: number): T {
    const v = this.codec.fromDoc(doc);
    this.bases.set(this.codec.readIdentity(v), { version, doc });
    return v;
  }

  private async notify(c: PoolClient, id: string): Promise<void> {
    if (this.kind) await notifyChange(c, this.db.schema, { kind: this.kind, id });
  }
}
