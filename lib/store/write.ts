/**
 * The one write protocol of Iris. Every family's write — an image added to a library, the faces
 * of one photo, a dataset sample — lives in up to three stores that share no transaction: S3
 * objects, LanceDB rows and DynamoDB items. A write goes
 *
 *   1. objects,
 *   2. vector rows,
 *   3. one conditional DynamoDB transaction — THE COMMIT POINT,
 *
 * and readers serve only what a committed item names, so a write that dies at any step leaves
 * nothing visible; the sweeper (lib/store/sweep.ts) removes what it left behind.
 *
 * What makes undoing safe under concurrency: every object key and every row id a write creates
 * contains its write id, which is unique to that attempt. Two concurrent adds of the same image
 * (same content, same item key) therefore never share a key or a row, and the loser's undo can
 * only delete the loser's own files — never the winner's. The committed item records the write id
 * it was committed with (`writeId`), which is how readers and the sweeper tell the winner's rows
 * and objects from a loser's leftovers.
 *
 * Time budget: the commit starts only while enough of the invocation's time remains
 * (`deadline`); past it the write is undone and the caller gets a retryable error, so a request
 * answered with a timeout has not committed. If the commit call itself fails ambiguously (the
 * transaction may or may not have been applied), the write reads its proof item back before it
 * undoes anything.
 *
 * Deletes run the other way round (`removeCommitted`): the item first (the thing disappears
 * atomically), then its rows, then its objects.
 */
import { randomBytes } from 'node:crypto';
import { IrisError } from '../errors';
import type { Item, Key, MetadataStore, Stores, TransactOp, VectorFilter, VectorPrecision, VectorRow, VectorTable } from './ports';

/** Time the commit step is given at least (one DynamoDB transaction, with the adapter's retries). */
export const COMMIT_BUDGET_MS = 3_000;

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const TIME_DIGITS = 9; // base-36 milliseconds: good until the year 5188

/**
 * A new write id: "w", 9 base-36 digits of the time (so age can be read off any key or row id
 * that carries it, and ids sort by time) and 6 random ones. Only [0-9a-z] (safe in S3 keys,
 * LanceDB ids and DynamoDB keys); the "w" keeps it apart from the hex ids it sits next to.
 */
export function newWriteId(now = Date.now()): string {
  let rnd = '';
  for (const b of randomBytes(6)) rnd += ALPHABET[b % 36];
  return `w${now.toString(36).padStart(TIME_DIGITS, '0')}${rnd}`;
}

const WRITE_ID = /^w[0-9a-z]{15}$/;
export const isWriteId = (s: string): boolean => WRITE_ID.test(s);

/** When a write id was made (ms since the epoch), or undefined for anything else. */
export function writeTime(writeId: string): number | undefined {
  if (!isWriteId(writeId)) return undefined;
  const t = parseInt(writeId.slice(1, 1 + TIME_DIGITS), 36);
  return Number.isFinite(t) ? t : undefined;
}

/** Thrown when a write gives up before its commit because the invocation is about to time out. */
export const outOfTime = (): IrisError =>
  new IrisError('RATE_LIMIT', 'the service is busy and this request ran out of time before anything was stored: retry it');

export interface WriteOptions {
  /** Absolute time (ms) by which the commit must have finished; see COMMIT_BUDGET_MS. */
  deadline?: number;
  /** Reports undo steps that failed (left to the sweeper). */
  onUndoFailure?: (what: string, error: unknown) => void;
  now?: () => number;
}

/**
 * One attempt at a write. Stage objects and rows through it, then `commit`; `run` undoes
 * everything staged when the attempt does not commit.
 */
export class Write {
  readonly id: string;
  private readonly objectKeys: string[] = [];
  private readonly tables = new Map<string, { table: VectorTable; ids: Set<string> }>();
  private committed = false;
  private readonly now: () => number;

  constructor(
    private readonly stores: Stores,
    private readonly opts: WriteOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.id = newWriteId(this.now());
  }

  /** True once a commit of this write has been applied. */
  get isCommitted(): boolean {
    return this.committed;
  }

  private checkTime(step: string): void {
    const { deadline } = this.opts;
    if (deadline !== undefined && this.now() > deadline - COMMIT_BUDGET_MS) {
      throw Object.assign(outOfTime(), { step });
    }
  }

  /**
   * Writes an object. Its key must contain this write's id (checked), unless the caller holds the
   * key's lease (`leased`, see withLease): then no other write touches the key meanwhile, and
   * `keepOnUndo` says whether a committed item already names it (so an undo must leave it).
   */
  async putObject(
    key: string,
    body: Buffer,
    o: { contentType?: string; metadata?: Record<string, string>; leased?: boolean; keepOnUndo?: boolean } = {},
  ): Promise<void> {
    if (!o.leased && !key.includes(this.id)) throw new Error(`object key ${key} does not carry the write id ${this.id}`);
    this.checkTime('objects');
    if (!o.keepOnUndo) this.objectKeys.push(key);
    await this.stores.objects.put(key, body, { contentType: o.contentType, metadata: o.metadata });
  }

  /** Upserts rows (ids must contain this write's id, checked) into a table, creating it if needed (at `precision`, see VectorStore.openOrCreate). */
  async putRows(tableName: string, rows: VectorRow[], opts: { precision?: VectorPrecision } = {}): Promise<VectorTable> {
    for (const r of rows) if (!r.id.includes(this.id)) throw new Error(`row id ${r.id} does not carry the write id ${this.id}`);
    this.checkTime('vectors');
    const table = await this.stores.vectors.openOrCreate(tableName, rows, opts);
    const entry = this.tables.get(tableName) ?? { table, ids: new Set<string>() };
    this.tables.set(tableName, entry);
    for (const r of rows) entry.ids.add(r.id);
    await table.upsert(rows);
    return table;
  }

  /**
   * The commit point: one all-or-nothing transaction. `proof` names an item the transaction puts
   * with `writeId` = this write's id, read back when the transaction's outcome is unknown.
   * Returns false when a condition failed (nothing of this transaction was applied).
   */
  async commit(ops: TransactOp[], proof: Key): Promise<boolean> {
    this.checkTime('commit');
    try {
      const ok = await this.stores.metadata.transact(ops);
      if (ok) this.committed = true;
      return ok;
    } catch (e) {
      // A timeout or a dropped connection may hide an applied transaction: look before undoing.
      const item = await this.stores.metadata.get(proof, { consistent: true }).catch(() => null);
      if (item && item.writeId === this.id) {
        this.committed = true;
        return true;
      }
      throw e;
    }
  }

  /** Removes the given staged rows (e.g. faces that found no room), leaving the rest. */
  async undoRows(ids: string[]): Promise<void> {
    for (const [name, entry] of this.tables) {
      const mine = ids.filter((id) => entry.ids.has(id));
      if (mine.length === 0) continue;
      await entry.table.deleteIds(mine).catch((e) => this.opts.onUndoFailure?.(`rows of ${name}`, e));
      for (const id of mine) entry.ids.delete(id);
    }
  }

  /** Removes everything staged: rows, then objects. Best effort: what fails is left to the sweeper. */
  async undo(): Promise<void> {
    for (const [name, entry] of this.tables) {
      if (entry.ids.size) await entry.table.deleteIds([...entry.ids]).catch((e) => this.opts.onUndoFailure?.(`rows of ${name}`, e));
      entry.ids.clear();
    }
    if (this.objectKeys.length) {
      await this.stores.objects.deleteMany([...this.objectKeys]).catch((e) => this.opts.onUndoFailure?.('objects', e));
      this.objectKeys.length = 0;
    }
  }
}

/**
 * Runs one write attempt: `fn` stages and commits through the Write it is given. When `fn`
 * throws, or returns without a commit having been applied, everything it staged is undone.
 */
export async function runWrite<T>(stores: Stores, opts: WriteOptions, fn: (w: Write) => Promise<T>): Promise<T> {
  const w = new Write(stores, opts);
  try {
    const result = await fn(w);
    if (!w.isCommitted) await w.undo();
    return result;
  } catch (e) {
    if (!w.isCommitted) await w.undo();
    throw e;
  }
}

/** How long a lease holds when its holder dies without releasing it (longer than any function's timeout). */
export const LEASE_MS = 16 * 60 * 1000;

/**
 * Runs `fn` while holding the lease on `key` (a DynamoDB item written with a condition), for
 * writes whose objects live at a key that several writes share (a dataset sample's file lives
 * at its path): holders of one lease never overlap, so one can never remove what another is
 * about to commit. A lease left by a dead holder expires after LEASE_MS; a busy lease is waited
 * for (with backoff) up to `waitMs`, then the caller gets a retryable error.
 */
export async function withLease<T>(
  metadata: MetadataStore,
  key: Key,
  fn: () => Promise<T>,
  o: { waitMs?: number; now?: () => number; /** The holder's own deadline: the lease outlives it by a little, not by LEASE_MS. */ deadline?: number } = {},
): Promise<T> {
  const now = o.now ?? Date.now;
  const holdFor = () => (o.deadline !== undefined ? Math.max(o.deadline - now(), 0) + 5_000 : LEASE_MS);
  const holder = newWriteId(now());
  const giveUp = now() + (o.waitMs ?? 10_000);
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    const t = now();
    const until = t + holdFor();
    if (await metadata.put({ ...key, leaseUntil: until, holder, ttl: Math.ceil(until / 1000) + 3600 }, { ifBelow: { attr: 'leaseUntil', limit: t } })) break;
    if (now() > giveUp) throw new IrisError('RATE_LIMIT', 'another request is writing the same item: retry it');
    await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
  }
  try {
    return await fn();
  } finally {
    await metadata.delete(key, { ifMatch: { holder } }).catch(() => undefined);
  }
}

/**
 * Removes committed things in the protocol's delete order: the items (one conditional
 * transaction: they disappear atomically), then their rows, then their objects. Returns false —
 * and removes nothing — when the transaction's condition failed.
 */
export async function removeCommitted(
  stores: Stores,
  r: { ops: TransactOp[]; rows?: { table: string; ids?: string[]; where?: VectorFilter }; objects?: string[] },
): Promise<boolean> {
  if (r.ops.length && !(await stores.metadata.transact(r.ops))) return false;
  if (r.rows && (r.rows.ids?.length || r.rows.where)) {
    const table = await stores.vectors.open(r.rows.table);
    if (table && r.rows.ids?.length) await table.deleteIds(r.rows.ids);
    if (table && r.rows.where) await table.deleteWhere(r.rows.where);
  }
  if (r.objects?.length) await stores.objects.deleteMany(r.objects);
  return true;
}

export const keyString = (k: Key): string => `${k.pk}\u0000${k.sk}`;

/** The committed items of a set of keys (each read once, in parallel batches of 100), by keyString. */
export async function committedWrites(stores: Stores, keys: Key[]): Promise<Map<string, Item>> {
  const unique = [...new Map(keys.map((k) => [keyString(k), k])).values()];
  const batches: Key[][] = [];
  for (let i = 0; i < unique.length; i += 100) batches.push(unique.slice(i, i + 100));
  const pages = await Promise.all(batches.map((b) => stores.metadata.batchGet(b)));
  return new Map(pages.flat().map((it) => [keyString({ pk: String(it.pk), sk: String(it.sk) }), it]));
}
