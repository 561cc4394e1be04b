/**
 * In-memory adapters of the three ports, for domain unit tests that need no emulator. They keep
 * the rules domain code relies on, as the real adapters do:
 *
 * - MetadataStore: conditions (`ifNotExists`, `ifExists`, `ifMatch`, `ifBelow` with a missing
 *   attribute counting as 0), updates (`set`, `add`, `remove`; an update creates the item unless
 *   a condition forbids it), transactions all-or-nothing (at most 100 operations, one per item),
 *   queries by table or index key with a sort-key condition, order, limit, count and cursors;
 *   items are copied in and out, so a caller never holds the stored one.
 * - VectorStore: upsert by id (the whole row replaced), the typed filter (lib/store/filter.ts)
 *   on search, scan, count, delete and update, and distances as LanceDB gives them (cosine:
 *   1 − cos; l2: the squared Euclidean distance; dot: 1 − a·b).
 * - ObjectStore: put / get / head / list by prefix in key order / delete; presigned URLs are
 *   `memory://` strings that only name the key.
 *
 * The integration tests keep running on the real emulators (dynalite, s3rver, LanceDB).
 */
import { createHash } from 'node:crypto';
import { IrisError } from '../errors';
import { rowMatches } from './filter';
import type {
  Item,
  Key,
  MetadataStore,
  ObjectHead,
  ObjectStore,
  QueryOptions,
  QueryPage,
  SortKeyCondition,
  StoredObject,
  Stores,
  TransactOp,
  UpdateSpec,
  VectorFilter,
  VectorHit,
  VectorRow,
  VectorSearchOptions,
  VectorStore,
  VectorTable,
  VectorValue,
  WriteCondition,
} from './ports';

const copy = <T>(v: T): T => structuredClone(v);
const keyOf = (k: Key): string => `${k.pk}\u0000${k.sk}`;
/** DynamoDB orders string keys by their UTF-8 bytes. */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

function holds(c: WriteCondition | undefined, item: Item | undefined): boolean {
  if (!c) return true;
  if (c.ifNotExists && item) return false;
  if (c.ifExists && !item) return false;
  for (const [k, v] of Object.entries(c.ifMatch ?? {})) if (!item || !(k in item) || JSON.stringify(item[k]) !== JSON.stringify(v)) return false;
  if (c.ifBelow && item && item[c.ifBelow.attr] !== undefined && !(Number(item[c.ifBelow.attr]) < c.ifBelow.limit)) return false;
  return true;
}

function applyUpdate(key: Key, before: Item | undefined, spec: UpdateSpec): Item {
  const item: Item = { ...(before ? copy(before) : {}), pk: key.pk, sk: key.sk };
  for (const [k, v] of Object.entries(spec.set ?? {})) if (v !== undefined) item[k] = copy(v);
  for (const [k, n] of Object.entries(spec.add ?? {})) item[k] = Number(item[k] ?? 0) + n;
  for (const k of spec.remove ?? []) delete item[k];
  return item;
}

function skHolds(sk: unknown, c: SortKeyCondition | undefined): boolean {
  if (!c) return true;
  if (typeof sk !== 'string') return false;
  if ('beginsWith' in c) return sk.startsWith(c.beginsWith);
  if ('between' in c) return byteOrder(sk, c.between[0]) >= 0 && byteOrder(sk, c.between[1]) <= 0;
  if ('gte' in c) return byteOrder(sk, c.gte) >= 0;
  if ('lte' in c) return byteOrder(sk, c.lte) <= 0;
  return sk === c.eq;
}

const badCursor = (): IrisError =>
  new IrisError('BAD_PARAM', 'param cursor invalid: it was not made by this query; pass back the cursor of the previous page unchanged', { field: 'cursor' });

export class MemoryMetadataStore implements MetadataStore {
  private readonly items = new Map<string, Item>();

  async get(key: Key): Promise<Item | null> {
    const it = this.items.get(keyOf(key));
    return it ? copy(it) : null;
  }

  async batchGet(keys: Key[]): Promise<Item[]> {
    const unique = new Map(keys.map((k) => [keyOf(k), k]));
    return [...unique.keys()].flatMap((k) => (this.items.has(k) ? [copy(this.items.get(k)!)] : []));
  }

  async put(item: Item, condition?: WriteCondition): Promise<boolean> {
    return this.transact([{ put: item, condition }]);
  }

  async update(key: Key, spec: UpdateSpec, condition?: WriteCondition): Promise<Item | null> {
    if (!(await this.transact([{ update: key, spec, condition }]))) return null;
    return this.get(key);
  }

  async delete(key: Key, condition?: WriteCondition): Promise<Item | null> {
    const before = this.items.get(keyOf(key));
    if (!(await this.transact([{ delete: key, condition }]))) return null;
    return before ? copy(before) : null;
  }

  async query(opts: QueryOptions): Promise<QueryPage> {
    const pkAttr = opts.index ? `${opts.index}pk` : 'pk';
    const skAttr = opts.index ? `${opts.index}sk` : 'sk';
    const forward = opts.forward ?? true;
    const order = (a: Item, b: Item) => (forward ? 1 : -1) * (byteOrder(String(a[skAttr]), String(b[skAttr])) || byteOrder(keyOf(a as unknown as Key), keyOf(b as unknown as Key)));
    let matching = [...this.items.values()]
      .filter((i) => i[pkAttr] === opts.pk && typeof i[skAttr] === 'string' && skHolds(i[skAttr], opts.sk))
      .sort(order);
    if (opts.cursor !== undefined) {
      let after: Item;
      try {
        after = JSON.parse(Buffer.from(opts.cursor, 'base64url').toString('utf8')) as Item;
      } catch {
        throw badCursor();
      }
      if (!after || after[pkAttr] !== opts.pk || typeof after[skAttr] !== 'string') throw badCursor();
      matching = matching.filter((i) => order(i, after) > 0);
    }
    const page = opts.limit !== undefined ? matching.slice(0, opts.limit) : matching;
    const last = page[page.length - 1];
    // As DynamoDB: a page cut by the limit carries a cursor, even when nothing follows it.
    const more = opts.limit !== undefined && page.length === opts.limit && page.length > 0;
    const cursorKey = last && { pk: last.pk, sk: last.sk, [pkAttr]: last[pkAttr], [skAttr]: last[skAttr] };
    return {
      items: opts.countOnly ? [] : page.map(copy),
      cursor: more ? Buffer.from(JSON.stringify(cursorKey)).toString('base64url') : undefined,
      count: page.length,
    };
  }

  async transact(ops: TransactOp[]): Promise<boolean> {
    if (ops.length > 100) throw new Error('a transaction holds at most 100 operations');
    const keys = ops.map((op) => keyOf('put' in op ? (op.put as unknown as Key) : 'update' in op ? op.update : 'delete' in op ? op.delete : op.check));
    if (new Set(keys).size !== keys.length) throw new Error('a transaction may touch each item once');
    // Check every condition first, then apply: all or nothing.
    for (const [i, op] of ops.entries()) if (!holds(op.condition, this.items.get(keys[i]))) return false;
    for (const [i, op] of ops.entries()) {
      if ('put' in op) this.items.set(keys[i], copy(op.put));
      else if ('update' in op) this.items.set(keys[i], applyUpdate(op.update, this.items.get(keys[i]), op.spec));
      else if ('delete' in op) this.items.delete(keys[i]);
    }
    return true;
  }

  async ping(): Promise<void> {}
}

export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, StoredObject & { lastModified: Date }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async put(key: string, body: Buffer, opts: { contentType?: string; metadata?: Record<string, string> } = {}): Promise<void> {
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    this.objects.set(key, { body: Buffer.from(body), contentType: opts.contentType, metadata: { ...opts.metadata }, size: body.length, etag, lastModified: this.now() });
  }

  async get(key: string): Promise<StoredObject | null> {
    const o = this.objects.get(key);
    return o ? { body: Buffer.from(o.body), contentType: o.contentType, metadata: { ...o.metadata }, size: o.size, etag: o.etag } : null;
  }

  async head(key: string): Promise<ObjectHead | null> {
    const o = this.objects.get(key);
    return o ? { contentType: o.contentType, metadata: { ...o.metadata }, size: o.size, etag: o.etag } : null;
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async deleteMany(keys: string[]): Promise<void> {
    for (const k of keys) this.objects.delete(k);
  }

  async list(prefix: string, opts: { limit?: number } = {}): Promise<Array<{ key: string; size: number; lastModified?: Date }>> {
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort(byteOrder);
    return keys.slice(0, opts.limit ?? keys.length).map((key) => ({ key, size: this.objects.get(key)!.size, lastModified: this.objects.get(key)!.lastModified }));
  }

  async presignGet(key: string, expiresSeconds = 900): Promise<string> {
    return `memory://objects/${encodeURIComponent(key)}?method=GET&expires=${expiresSeconds}`;
  }

  async presignPut(key: string, opts: { expiresSeconds?: number } = {}): Promise<string> {
    return `memory://objects/${encodeURIComponent(key)}?method=PUT&expires=${opts.expiresSeconds ?? 900}`;
  }

  async ping(): Promise<void> {}
}

type StoredRow = Record<string, unknown> & { id: string; vector: number[] };

function distance(metric: 'cosine' | 'l2' | 'dot', a: number[], b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let l2 = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
    l2 += (a[i] - b[i]) ** 2;
  }
  if (metric === 'l2') return l2;
  if (metric === 'dot') return 1 - dot;
  return 1 - dot / (Math.sqrt(na * nb) || 1);
}

const withoutVector = (r: StoredRow, select?: string[]): Record<string, unknown> => {
  const { vector: _v, ...rest } = r;
  if (!select) return copy(rest);
  return Object.fromEntries(['id', ...select.filter((c) => c !== 'id')].filter((c) => c in rest).map((c) => [c, copy(rest[c])]));
};

class MemoryVectorTable implements VectorTable {
  readonly rows = new Map<string, StoredRow>();

  constructor(readonly name: string) {}

  private matching(where?: VectorFilter): StoredRow[] {
    return [...this.rows.values()].filter((r) => !where || rowMatches(where, r));
  }

  async upsert(rows: VectorRow[]): Promise<void> {
    for (const r of rows) this.rows.set(r.id, { ...copy({ ...r, vector: undefined }), id: r.id, vector: Array.from(r.vector as ArrayLike<number>) });
  }

  async deleteWhere(where: VectorFilter): Promise<void> {
    for (const r of this.matching(where)) this.rows.delete(r.id);
  }

  async deleteIds(ids: string[]): Promise<void> {
    for (const id of ids) this.rows.delete(id);
  }

  async search(vector: number[] | Float32Array, opts: VectorSearchOptions): Promise<VectorHit[]> {
    const metric = opts.metric ?? 'cosine';
    return this.matching(opts.where)
      .map((r) => ({ r, d: distance(metric, r.vector, vector) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, opts.k)
      .map(({ r, d }) => {
        const row = withoutVector(r, opts.select?.filter((c) => c !== '_distance'));
        return { ...row, id: r.id, _distance: d } as VectorHit;
      });
  }

  async scan(opts: { where?: VectorFilter; limit?: number; select?: string[] } = {}): Promise<Array<Record<string, unknown>>> {
    const rows = this.matching(opts.where).map((r) => withoutVector(r, opts.select));
    return opts.limit ? rows.slice(0, opts.limit) : rows;
  }

  async count(where?: VectorFilter): Promise<number> {
    return this.matching(where).length;
  }

  async updateWhere(where: VectorFilter, values: Record<string, VectorValue>): Promise<void> {
    for (const r of this.matching(where)) {
      for (const [k, v] of Object.entries(values)) if (v !== undefined) r[k] = typeof v === 'bigint' ? Number(v) : v;
    }
  }

  async ensureIndex(): Promise<boolean> {
    return false;
  }
}

export class MemoryVectorStore implements VectorStore {
  private readonly tables = new Map<string, MemoryVectorTable>();

  async open(name: string): Promise<VectorTable | null> {
    return this.tables.get(name) ?? null;
  }

  async openOrCreate(name: string, firstRows: VectorRow[]): Promise<VectorTable> {
    const existing = this.tables.get(name);
    if (existing) return existing;
    if (firstRows.length === 0) throw new Error('openOrCreate needs at least one row to infer the schema');
    const table = new MemoryVectorTable(name);
    this.tables.set(name, table);
    return table;
  }

  async drop(name: string): Promise<void> {
    this.tables.delete(name);
  }

  async list(): Promise<string[]> {
    return [...this.tables.keys()];
  }

  async ping(): Promise<void> {}
}

/** A fresh set of in-memory stores. */
export const memoryStores = (now?: () => Date): Stores => ({
  objects: new MemoryObjectStore(now),
  metadata: new MemoryMetadataStore(),
  vectors: new MemoryVectorStore(),
});
