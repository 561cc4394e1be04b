import * as lancedb from '@lancedb/lancedb';
import { DataType, Field, FixedSizeList, Float16, Schema, Utf8 } from 'apache-arrow';
import { checkColumn } from './filter';
import type { VectorFilter, VectorHit, VectorPrecision, VectorRow, VectorScalar, VectorSearchOptions, VectorStore, VectorTable, VectorValue } from './ports';

/** Table names are used as folder names (locally) and S3 key parts: keep them tame. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{1,200}$/;
const checkName = (name: string): string => {
  if (!TABLE_NAME.test(name)) throw new Error(`invalid vector table name: ${name}`);
  return name;
};

/** SQL string literal for LanceDB predicates (single quotes doubled). */
export const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function sqlLiteral(v: VectorScalar): string {
  if (typeof v === 'string') return sqlString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new Error(`cannot compare a column with ${String(v)}`);
}

const joined = (parts: string[], op: 'AND' | 'OR', empty: string): string =>
  parts.length === 0 ? empty : parts.length === 1 ? parts[0] : `(${parts.join(` ${op} `)})`;

/**
 * The SQL predicate of a typed filter (lib/store/filter.ts gives the semantics). Columns are
 * checked names and every value a literal rendered here, so a filter can never inject SQL.
 */
export function toSql(f: VectorFilter): string {
  if ('eq' in f) {
    const parts = Object.entries(f.eq).map(([c, v]) => (v === null ? `${checkColumn(c)} IS NULL` : `${checkColumn(c)} = ${sqlLiteral(v)}`));
    return `(${parts.join(' AND ') || 'true'})`;
  }
  if ('in' in f) {
    const parts = Object.entries(f.in).map(([c, vs]) => (vs.length ? `${checkColumn(c)} IN (${vs.map(sqlLiteral).join(', ')})` : 'false'));
    return `(${parts.join(' AND ') || 'true'})`;
  }
  if ('range' in f) {
    const parts = Object.entries(f.range).map(([c, r]) => {
      const col = checkColumn(c);
      const bounds: string[] = [];
      if (r.gt !== undefined) bounds.push(`${col} > ${sqlLiteral(r.gt)}`);
      if (r.gte !== undefined) bounds.push(`${col} >= ${sqlLiteral(r.gte)}`);
      if (r.lt !== undefined) bounds.push(`${col} < ${sqlLiteral(r.lt)}`);
      if (r.lte !== undefined) bounds.push(`${col} <= ${sqlLiteral(r.lte)}`);
      return bounds.length ? bounds.join(' AND ') : `${col} IS NOT NULL`;
    });
    return `(${parts.join(' AND ') || 'true'})`;
  }
  // NOT over a NULL comparison is NULL (false) in SQL; `not` is true wherever its filter is not.
  if ('not' in f) return `(NOT coalesce(${toSql(f.not)}, false))`;
  if ('and' in f) return joined(f.and.map(toSql), 'AND', 'true');
  return joined(f.or.map(toSql), 'OR', 'false');
}

const toPlainRow = (row: VectorRow): Record<string, unknown> => ({
  ...row,
  vector: Array.from(row.vector as ArrayLike<number>),
});

const strip = (r: Record<string, unknown>): Record<string, unknown> => {
  const { vector: _v, ...rest } = r;
  return rest;
};

/**
 * Lance's merge-insert detects two concurrent writers inserting the same key only when the key
 * column is the table's (unenforced) primary key: without it, concurrent `mergeInsert('id')`
 * calls that both see an id as new both append it, and the table holds the row twice (seen: 240
 * rows for 30 ids from three processes). With it, the later commit conflicts, is retried
 * against the new version and updates instead. The key column must be non-nullable.
 */
const PRIMARY_KEY_META = 'lance-schema:unenforced-primary-key:position';

/**
 * The schema of new tables: `id` non-nullable and the primary key from the start (one commit);
 * the vector column at the precision asked (inferred rows are float32).
 */
function keyedSchema(inferred: Schema, precision: VectorPrecision = 'float32'): Schema {
  const field = (f: Field): Field => {
    if (f.name === 'id') return new Field('id', new Utf8(), false, new Map([...f.metadata, [PRIMARY_KEY_META, '1']]));
    // By type id, not instanceof: the schema comes from LanceDB's own copy of apache-arrow.
    if (f.name === 'vector' && precision === 'float16' && DataType.isFixedSizeList(f.type)) {
      return new Field('vector', new FixedSizeList((f.type as FixedSizeList).listSize, new Field('item', new Float16(), true)), f.nullable, f.metadata);
    }
    return f;
  };
  return new Schema(inferred.fields.map(field), inferred.metadata);
}

/** Gives a table created before the primary key was set one (idempotent, cheap when already set). */
async function ensurePrimaryKey(table: lancedb.Table): Promise<void> {
  const id = (await table.schema()).fields.find((f) => f.name === 'id');
  if (!id || id.metadata.has(PRIMARY_KEY_META)) return;
  try {
    if (id.nullable) await table.alterColumns([{ path: 'id', nullable: false }]);
    await table.setUnenforcedPrimaryKey('id');
  } catch (e) {
    // A concurrent opener may have set it first; anything else is a real failure.
    await table.checkoutLatest();
    const now = (await table.schema()).fields.find((f) => f.name === 'id');
    if (!now?.metadata.has(PRIMARY_KEY_META)) throw e;
  }
}

class LanceVectorTable implements VectorTable {
  constructor(
    readonly name: string,
    private readonly table: lancedb.Table,
  ) {}

  async upsert(rows: VectorRow[]): Promise<void> {
    if (rows.length === 0) return;
    // Typed by the table's own schema: inferred from plain rows, a column holding only nulls
    // gets Arrow's Null type and the merge fails (nullable filter columns, e.g. face fields).
    const data = lancedb.makeArrowTable(rows.map(toPlainRow), { schema: await this.table.schema() });
    await this.table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(data);
  }

  async deleteWhere(where: VectorFilter): Promise<void> {
    await this.table.delete(toSql(where));
  }

  async deleteIds(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      if (chunk.length) await this.table.delete(`id IN (${chunk.map(sqlString).join(', ')})`);
    }
  }

  async search(vector: number[] | Float32Array, opts: VectorSearchOptions): Promise<VectorHit[]> {
    let q = this.table
      .vectorSearch(Array.from(vector as ArrayLike<number>))
      .distanceType(opts.metric ?? 'cosine')
      .limit(opts.k);
    // `where` on a vector query is a pre-filter in LanceDB: the k results all satisfy it.
    if (opts.where) q = q.where(toSql(opts.where));
    if (opts.nprobes) q = q.nprobes(opts.nprobes);
    if (opts.refineFactor) q = q.refineFactor(opts.refineFactor);
    if (opts.select) q = q.select(['id', ...opts.select.filter((c) => c !== 'id')]);
    const rows = (await q.toArray()) as Array<Record<string, unknown>>;
    return rows.map((r) => strip({ ...r }) as VectorHit);
  }

  async scan(opts: { where?: VectorFilter; limit?: number; select?: string[] } = {}): Promise<Array<Record<string, unknown>>> {
    let q = this.table.query();
    if (opts.where) q = q.where(toSql(opts.where));
    if (opts.select) q = q.select(opts.select);
    if (opts.limit) q = q.limit(opts.limit);
    const rows = (await q.toArray()) as Array<Record<string, unknown>>;
    return rows.map((r) => strip({ ...r }));
  }

  count(where?: VectorFilter): Promise<number> {
    return this.table.countRows(where && toSql(where));
  }

  async updateWhere(where: VectorFilter, values: Record<string, VectorValue>): Promise<void> {
    const clean: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) continue;
      clean[k] = typeof v === 'bigint' ? Number(v) : v;
    }
    if (Object.keys(clean).length === 0) return;
    await this.table.update({ where: toSql(where), values: clean });
  }

  async optimize(): Promise<void> {
    await this.table.optimize();
  }

  /**
   * Builds the IVF-PQ index once the table holds `minRows` rows, with √rows partitions, and trains
   * it again once the table has grown to four times the rows it was trained on: `optimize` only
   * files new rows into the partitions an index was trained with, so a table that grows from
   * 20,000 rows to millions would otherwise probe partitions of tens of thousands of rows each.
   * The partition count is kept in the index's name (`vector_ivfpq_{partitions}`).
   */
  async ensureIndex(opts: { minRows: number; metric?: 'cosine' | 'l2' | 'dot' }): Promise<boolean> {
    const rows = await this.table.countRows();
    if (rows < opts.minRows) return false;
    const partitions = Math.max(1, Math.round(Math.sqrt(rows)));
    const current = (await this.table.listIndices()).filter((i) => i.columns.includes('vector'));
    // An index named otherwise was built before the count was kept in the name: trained again once.
    const trained = Math.max(0, ...current.map((i) => Number(/^vector_ivfpq_(\d+)$/.exec(i.name)?.[1] ?? 0)));
    if (trained > 0 && 2 * trained > partitions) return false;
    const name = `vector_ivfpq_${partitions}`;
    await this.table.createIndex('vector', {
      config: lancedb.Index.ivfPq({ distanceType: opts.metric ?? 'cosine', numPartitions: partitions }),
      name,
      replace: true,
    });
    for (const old of current) if (old.name !== name) await this.table.dropIndex(old.name);
    return true;
  }

}

export class LanceVectorStore implements VectorStore {
  private conn?: Promise<lancedb.Connection>;
  /** Tables known to carry the primary key (checked once per table per container). */
  private readonly keyed = new Set<string>();

  constructor(
    private readonly uri: string,
    private readonly storageOptions: Record<string, string> = {},
  ) {}

  private connection(): Promise<lancedb.Connection> {
    this.conn ??= lancedb.connect(this.uri, { storageOptions: this.storageOptions });
    return this.conn;
  }

  async open(name: string): Promise<VectorTable | null> {
    const db = await this.connection();
    // Open directly rather than listing every table first: on S3 a listing is one more request
    // on every search and add.
    let table: lancedb.Table;
    try {
      table = await db.openTable(checkName(name));
    } catch (e) {
      if (/was not found/.test(String((e as Error)?.message))) return null;
      throw e;
    }
    if (!this.keyed.has(name)) {
      await ensurePrimaryKey(table);
      this.keyed.add(name);
    }
    return new LanceVectorTable(name, table);
  }

  async openOrCreate(name: string, firstRows: VectorRow[], opts: { precision?: VectorPrecision } = {}): Promise<VectorTable> {
    const existing = await this.open(name);
    if (existing) return existing;
    if (firstRows.length === 0) throw new Error('openOrCreate needs at least one row to infer the schema');
    const db = await this.connection();
    // Create with the first rows' schema (id made the primary key) but no data; callers upsert
    // afterwards, so a concurrent creator's `existOk` path and ours both end in the same upsert.
    const schema = keyedSchema(lancedb.makeArrowTable(firstRows.slice(0, 1).map(toPlainRow)).schema, opts.precision);
    const table = await db.createEmptyTable(checkName(name), schema, { mode: 'create', existOk: true });
    // An existing table (a concurrent creator's, or one made before ids were keys) may lack it.
    await ensurePrimaryKey(table);
    this.keyed.add(name);
    return new LanceVectorTable(name, table);
  }

  async drop(name: string): Promise<void> {
    const db = await this.connection();
    const names = await db.tableNames();
    if (names.includes(checkName(name))) await db.dropTable(name);
  }

  async list(): Promise<string[]> {
    const db = await this.connection();
    return db.tableNames();
  }

  async ping(): Promise<void> {
    const db = await this.connection();
    await db.tableNames();
  }
}
