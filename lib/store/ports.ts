/**
 * Storage ports. Domain code (lib/search, lib/faces, lib/datasets, …) talks only to these
 * interfaces; lib/store/{s3,dynamodb,lancedb}.ts implement them at the edge.
 *
 * Write protocol (one commit point per write). An image lives in three stores that cannot
 * share a transaction: the S3 object, LanceDB rows and the DynamoDB item. Writers go
 *   1. object (content-addressed key, so a retry rewrites the same key),
 *   2. vectors (rows keyed by the item id; a retry upserts the same ids),
 *   3. DynamoDB item, conditionally — THE COMMIT POINT.
 * Readers join vector hits against DynamoDB items, so vectors without an item are never
 * served; a later attempt or a sweep removes them. Deletes run in reverse: item first
 * (the item disappears atomically), then vectors, then the object.
 */

export interface StoredObject {
  body: Buffer;
  contentType?: string;
  metadata: Record<string, string>;
  size: number;
  etag?: string;
}

export interface ObjectHead {
  contentType?: string;
  metadata: Record<string, string>;
  size: number;
  etag?: string;
}

export interface ObjectStore {
  put(key: string, body: Buffer, opts?: { contentType?: string; metadata?: Record<string, string> }): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  head(key: string): Promise<ObjectHead | null>;
  delete(key: string): Promise<void>;
  deleteMany(keys: string[]): Promise<void>;
  list(prefix: string, opts?: { limit?: number }): Promise<Array<{ key: string; size: number; lastModified?: Date }>>;
  presignGet(key: string, expiresSeconds?: number): Promise<string>;
  presignPut(key: string, opts?: { expiresSeconds?: number; contentType?: string; metadata?: Record<string, string> }): Promise<string>;
  /** Cheap liveness probe for /health. */
  ping(): Promise<void>;
}

export type Item = Record<string, unknown>;
export interface Key {
  pk: string;
  sk: string;
}

/** Conditions a write may carry. All are evaluated atomically by the store. */
export interface WriteCondition {
  /** The item must not exist yet (create). */
  ifNotExists?: boolean;
  /** The item must exist (update / delete of something known). */
  ifExists?: boolean;
  /** Every listed attribute must currently equal the given value. */
  ifMatch?: Record<string, unknown>;
  /** The numeric attribute must currently be < limit (missing counts as 0). Used for quotas. */
  ifBelow?: { attr: string; limit: number };
}

export interface UpdateSpec {
  set?: Record<string, unknown>;
  remove?: string[];
  /** Atomic numeric increments (negative to decrement). */
  add?: Record<string, number>;
}

export type IndexName = 'gsi1' | 'gsi2' | 'gsi3';

export type SortKeyCondition =
  | { beginsWith: string }
  | { between: [string, string] }
  | { gte: string }
  | { lte: string }
  | { eq: string };

export interface QueryOptions {
  index?: IndexName;
  /** Partition key value (of the table or of the index). */
  pk: string;
  sk?: SortKeyCondition;
  limit?: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  /** Ascending sort-key order (default true). */
  forward?: boolean;
  /** Only count (returns items: []). */
  countOnly?: boolean;
}

export interface QueryPage {
  items: Item[];
  cursor?: string;
  count: number;
}

export type TransactOp =
  | { put: Item; condition?: WriteCondition }
  | { update: Key; spec: UpdateSpec; condition?: WriteCondition }
  | { delete: Key; condition?: WriteCondition }
  | { check: Key; condition: WriteCondition };

export interface MetadataStore {
  get(key: Key, opts?: { consistent?: boolean }): Promise<Item | null>;
  batchGet(keys: Key[]): Promise<Item[]>;
  /** Returns false when the condition failed (nothing written). */
  put(item: Item, condition?: WriteCondition): Promise<boolean>;
  /** Returns the item after the update, or null when the condition failed. */
  update(key: Key, spec: UpdateSpec, condition?: WriteCondition): Promise<Item | null>;
  /** Returns the deleted item, or null when absent / the condition failed. */
  delete(key: Key, condition?: WriteCondition): Promise<Item | null>;
  query(opts: QueryOptions): Promise<QueryPage>;
  /** All-or-nothing. Returns false when any condition failed. Max 100 ops. */
  transact(ops: TransactOp[]): Promise<boolean>;
  ping(): Promise<void>;
}

export type VectorValue = string | number | boolean | null | bigint;
export interface VectorRow {
  id: string;
  vector: number[] | Float32Array;
  [column: string]: VectorValue | number[] | Float32Array | undefined;
}

/** A value a filter compares a column with. */
export type VectorScalar = string | number | boolean | null;

/**
 * A filter over a table's columns (lib/store/filter.ts has its semantics): every listed column
 * equal to its value / one of its values / within its bounds, a negation, or a combination.
 * Adapters render it (LanceDB: SQL); domain code never writes a query string.
 */
export type VectorFilter =
  | { eq: Record<string, VectorScalar> }
  | { in: Record<string, VectorScalar[]> }
  | { range: Record<string, { gt?: number; gte?: number; lt?: number; lte?: number }> }
  | { not: VectorFilter }
  | { and: VectorFilter[] }
  | { or: VectorFilter[] };

export interface VectorSearchOptions {
  k: number;
  /** Filter over the row columns, evaluated inside the vector query (pre-filter). */
  where?: VectorFilter;
  /** Distance used; must match the table's index metric. Default 'cosine'. */
  metric?: 'cosine' | 'l2' | 'dot';
  /** Columns to return besides id and _distance (default all but the vector). */
  select?: string[];
  /** Search effort for an ANN index (nprobes). */
  nprobes?: number;
  /** With an ANN index, re-rank `k × refineFactor` candidates by their exact distance. */
  refineFactor?: number;
}

export type VectorHit = Record<string, unknown> & { id: string; _distance: number };

export interface VectorTable {
  readonly name: string;
  /** Insert or replace rows by `id`. */
  upsert(rows: VectorRow[]): Promise<void>;
  deleteWhere(where: VectorFilter): Promise<void>;
  deleteIds(ids: string[]): Promise<void>;
  search(vector: number[] | Float32Array, opts: VectorSearchOptions): Promise<VectorHit[]>;
  /** Rows matching a predicate, without a vector (for updates and sweeps). */
  scan(opts?: { where?: VectorFilter; limit?: number; select?: string[] }): Promise<Array<Record<string, unknown>>>;
  count(where?: VectorFilter): Promise<number>;
  /** Update filter columns of matching rows in place. */
  updateWhere(where: VectorFilter, values: Record<string, VectorValue>): Promise<void>;
  /** Builds an ANN index when the table holds at least `minRows` rows, and trains it again once the table has outgrown it (no-op otherwise); true when it built one. */
  ensureIndex(opts: { minRows: number; metric?: 'cosine' | 'l2' | 'dot' }): Promise<boolean>;
  /** Compacts files, purges deleted rows and adds rows written since to the index. */
  optimize?(): Promise<void>;
}

/**
 * How a vector column stores its components: float16 halves a table (an image-search library's
 * rows are unit vectors, whose cosine distances move by about 1e-4 at half precision).
 */
export type VectorPrecision = 'float32' | 'float16';

export interface VectorStore {
  /** Opens a table, or null if it has never been written. */
  open(name: string): Promise<VectorTable | null>;
  /**
   * Opens a table, creating it from the first rows' shape when absent; `precision` is that of a
   * new table's vector column (float32 unless asked; an existing table keeps its own, and rows
   * written to it are converted to it).
   */
  openOrCreate(name: string, firstRows: VectorRow[], opts?: { precision?: VectorPrecision }): Promise<VectorTable>;
  drop(name: string): Promise<void>;
  list(): Promise<string[]>;
  ping(): Promise<void>;
}

export interface Stores {
  objects: ObjectStore;
  metadata: MetadataStore;
  vectors: VectorStore;
}
