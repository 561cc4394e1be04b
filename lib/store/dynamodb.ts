import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { IrisError } from '../errors';
import { TABLE_INDEXES } from './table';
import type { Item, Key, MetadataStore, QueryOptions, QueryPage, SortKeyCondition, TransactOp, UpdateSpec, WriteCondition } from './ports';

/** Builds DynamoDB expressions with placeholder names/values so attribute names are never interpolated. */
class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private n = 0;

  name(attr: string): string {
    // Nested paths (a.b) are not used by the domain; treat the whole string as one name.
    const key = `#n${this.n++}`;
    this.names[key] = attr;
    return key;
  }

  value(v: unknown): string {
    const key = `:v${this.n++}`;
    this.values[key] = v;
    return key;
  }

  condition(c: WriteCondition | undefined): string | undefined {
    if (!c) return undefined;
    const parts: string[] = [];
    if (c.ifNotExists) parts.push(`attribute_not_exists(${this.name('pk')})`);
    if (c.ifExists) parts.push(`attribute_exists(${this.name('pk')})`);
    for (const [attr, v] of Object.entries(c.ifMatch ?? {})) parts.push(`${this.name(attr)} = ${this.value(v)}`);
    if (c.ifBelow) {
      const a = this.name(c.ifBelow.attr);
      parts.push(`(attribute_not_exists(${a}) OR ${a} < ${this.value(c.ifBelow.limit)})`);
    }
    return parts.length ? parts.join(' AND ') : undefined;
  }

  update(spec: UpdateSpec): string {
    const clauses: string[] = [];
    const set = Object.entries(spec.set ?? {}).filter(([, v]) => v !== undefined);
    if (set.length) clauses.push('SET ' + set.map(([k, v]) => `${this.name(k)} = ${this.value(v)}`).join(', '));
    const add = Object.entries(spec.add ?? {});
    if (add.length) clauses.push('ADD ' + add.map(([k, v]) => `${this.name(k)} ${this.value(v)}`).join(', '));
    if (spec.remove?.length) clauses.push('REMOVE ' + spec.remove.map((k) => this.name(k)).join(', '));
    return clauses.join(' ');
  }

  params(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> } {
    return {
      ...(Object.keys(this.names).length ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

const isConditionFailure = (e: unknown): boolean => {
  const err = e as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
  if (err?.name === 'ConditionalCheckFailedException') return true;
  // A cancelled transaction is a condition failure only if a condition caused it (not a conflict).
  return err?.name === 'TransactionCanceledException' && !!err.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed');
};

const isTransactionConflict = (e: unknown): boolean => {
  const err = e as { name?: string; message?: string };
  return err?.name === 'TransactionCanceledException' || err?.name === 'TransactionConflictException' || /TransactionConflict/.test(err?.message ?? '');
};

/** DynamoDB's key limits: a partition key value up to 2,048 bytes, a sort key value up to 1,024. */
const MAX_PK_BYTES = 2048;
const MAX_SK_BYTES = 1024;
/** A cursor carries at most the four key attributes of an index item: well under this. */
const MAX_CURSOR_CHARS = 8192;

const badCursor = (why: string): IrisError =>
  new IrisError('BAD_PARAM', `param cursor invalid: ${why}; pass back the cursor of the previous page unchanged`, { field: 'cursor' });

const encodeCursor = (k: Record<string, unknown> | undefined): string | undefined =>
  k ? Buffer.from(JSON.stringify(k)).toString('base64url') : undefined;

const holdsSortCondition = (sk: string, c: SortKeyCondition | undefined): boolean => {
  if (!c) return true;
  if ('beginsWith' in c) return sk.startsWith(c.beginsWith);
  if ('between' in c) return sk >= c.between[0] && sk <= c.between[1];
  if ('gte' in c) return sk >= c.gte;
  if ('lte' in c) return sk <= c.lte;
  return sk === c.eq;
};

/** The lock item of emulated transactions (local only; AWS has real transactions). */
const LOCAL_TX_LOCK = { pk: 'IRIS#LOCAL', sk: 'TXLOCK' };

/**
 * Decodes a cursor and checks that it belongs to this very query before DynamoDB sees it: the
 * key attributes of the table (and of the index, when one is queried) and nothing else, string
 * values within DynamoDB's key sizes, the partition being queried and a sort key inside the
 * query's range. A cursor is only a position; the binding means that one forged or taken from
 * another query (another project's partition, another index, another status) can never move the
 * query elsewhere, and is answered as a parameter error rather than DynamoDB's ValidationException.
 */
export function decodeCursor(c: string | undefined, opts: Pick<QueryOptions, 'index' | 'pk' | 'sk'>): Record<string, string> | undefined {
  if (c === undefined || c === '') return undefined;
  if (c.length > MAX_CURSOR_CHARS) throw badCursor(`longer than ${MAX_CURSOR_CHARS} characters`);
  if (!/^[A-Za-z0-9_-]+$/.test(c)) throw badCursor('not a cursor of this API');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('not a cursor of this API');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw badCursor('not a cursor of this API');
  // Only the exact text this adapter produced: base64 decoding would ignore trailing characters.
  if (encodeCursor(parsed as Record<string, unknown>) !== c) throw badCursor('it was changed');
  const key = parsed as Record<string, unknown>;
  const pkAttr = opts.index ? `${opts.index}pk` : 'pk';
  const skAttr = opts.index ? `${opts.index}sk` : 'sk';
  const expected = new Set(['pk', 'sk', pkAttr, skAttr]);
  const names = Object.keys(key);
  if (names.length !== expected.size || !names.every((n) => expected.has(n))) throw badCursor('it was not made by this query');
  for (const n of names) {
    const v = key[n];
    if (typeof v !== 'string' || v === '') throw badCursor('it was not made by this query');
    if (Buffer.byteLength(v, 'utf8') > (n.endsWith('pk') ? MAX_PK_BYTES : MAX_SK_BYTES)) throw badCursor('a key in it is too long');
  }
  if (key[pkAttr] !== opts.pk || !holdsSortCondition(key[skAttr] as string, opts.sk)) throw badCursor('it belongs to another query');
  return key as Record<string, string>;
}

const keyTooLong = (): IrisError =>
  new IrisError('BAD_PARAM', 'param invalid: an id or name is too long to be stored (over the metadata store\'s key size)');

/**
 * DynamoDB's key sizes, checked before a request is sent: AWS refuses a longer key (with a
 * ValidationException, mapped below), dynalite does not always (a Query's key condition is not
 * checked), so the local stack answers as AWS would.
 */
function checkKeySizes(pk: unknown, sk?: unknown): void {
  if (typeof pk === 'string' && Buffer.byteLength(pk, 'utf8') > MAX_PK_BYTES) throw keyTooLong();
  if (typeof sk === 'string' && Buffer.byteLength(sk, 'utf8') > MAX_SK_BYTES) throw keyTooLong();
}

/** The table's and every index's key attributes of an item to be written. */
function checkItemKeys(item: Item): void {
  checkKeySizes(item.pk, item.sk);
  for (const i of TABLE_INDEXES) checkKeySizes(item[`${i}pk`], item[`${i}sk`]);
}

/**
 * The last line of defence: DynamoDB refuses keys over its size limits, an invalid start key and
 * items over 400 KB with a ValidationException. Those come from what a client sent (an id no
 * schema should have let through), so they are answered as a parameter error, not an internal one.
 * Other ValidationExceptions (a malformed expression) are Iris's bugs and stay internal.
 */
const CLIENT_VALIDATION = /has exceeded the (maximum )?size limit|must be under \d+ bytes|maximum allowed size|starting key|exclusive ?start ?key/i;

function clientValidationError(e: unknown): IrisError | undefined {
  const err = e as { name?: string; message?: string; CancellationReasons?: Array<{ Code?: string; Message?: string }> };
  if (err?.name === 'ValidationException' && CLIENT_VALIDATION.test(err.message ?? '')) {
    return new IrisError('BAD_PARAM', 'param invalid: an id or name is too long or malformed (refused by the metadata store)', { cause: e });
  }
  if (err?.name === 'TransactionCanceledException' && err.CancellationReasons?.some((r) => r.Code === 'ValidationError' && CLIENT_VALIDATION.test(r.Message ?? ''))) {
    return new IrisError('BAD_PARAM', 'param invalid: an id or name is too long or malformed (refused by the metadata store)', { cause: e });
  }
  return undefined;
}

/** Evaluates a WriteCondition against an item read beforehand (emulated transactions only). */
function holds(c: WriteCondition | undefined, item: Item | null): boolean {
  if (!c) return true;
  if (c.ifNotExists && item) return false;
  if (c.ifExists && !item) return false;
  for (const [k, v] of Object.entries(c.ifMatch ?? {})) if (!item || item[k] !== v) return false;
  if (c.ifBelow && item && typeof item[c.ifBelow.attr] === 'number' && (item[c.ifBelow.attr] as number) >= c.ifBelow.limit) return false;
  return true;
}

export class DynamoMetadataStore implements MetadataStore {
  private readonly client: Pick<DynamoDBDocumentClient, 'send'>;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    // Every call goes through here, so a refusal of client-supplied keys is typed in one place.
    this.client = {
      send: (async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        try {
          return await client.send(command as never);
        } catch (e) {
          throw clientValidationError(e) ?? e;
        }
      }) as DynamoDBDocumentClient['send'],
    };
  }

  async get(key: Key, opts: { consistent?: boolean } = {}): Promise<Item | null> {
    checkKeySizes(key.pk, key.sk);
    const out = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: opts.consistent ?? true }),
    );
    return (out.Item as Item) ?? null;
  }

  async batchGet(keys: Key[]): Promise<Item[]> {
    for (const k of keys) checkKeySizes(k.pk, k.sk);
    const result: Item[] = [];
    // Deduplicate: BatchGet rejects repeated keys.
    const unique = [...new Map(keys.map((k) => [`${k.pk}\u0000${k.sk}`, { pk: k.pk, sk: k.sk }])).values()];
    for (let i = 0; i < unique.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = unique.slice(i, i + 100);
      for (let attempt = 0; pending && pending.length > 0 && attempt < 8; attempt++) {
        const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, { Keys?: Record<string, unknown>[] }> } =
          await this.client.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }));
        result.push(...((out.Responses?.[this.table] as Item[]) ?? []));
        pending = out.UnprocessedKeys?.[this.table]?.Keys;
        if (pending?.length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      }
      if (pending && pending.length > 0) throw new Error('DynamoDB BatchGet left unprocessed keys');
    }
    return result;
  }

  async put(item: Item, condition?: WriteCondition): Promise<boolean> {
    checkItemKeys(item);
    const b = new ExpressionBuilder();
    const ConditionExpression = b.condition(condition);
    try {
      await this.client.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression, ...b.params() }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async update(key: Key, spec: UpdateSpec, condition?: WriteCondition): Promise<Item | null> {
    checkKeySizes(key.pk, key.sk);
    const b = new ExpressionBuilder();
    const UpdateExpression = b.update(spec);
    const ConditionExpression = b.condition(condition);
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: key.pk, sk: key.sk },
          UpdateExpression: UpdateExpression || undefined,
          ConditionExpression,
          ReturnValues: 'ALL_NEW',
          ...b.params(),
        }),
      );
      return (out.Attributes as Item) ?? null;
    } catch (e) {
      if (isConditionFailure(e)) return null;
      throw e;
    }
  }

  async delete(key: Key, condition?: WriteCondition): Promise<Item | null> {
    checkKeySizes(key.pk, key.sk);
    const b = new ExpressionBuilder();
    const ConditionExpression = b.condition(condition);
    try {
      const out = await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: key.pk, sk: key.sk },
          ConditionExpression,
          ReturnValues: 'ALL_OLD',
          ...b.params(),
        }),
      );
      return (out.Attributes as Item) ?? null;
    } catch (e) {
      if (isConditionFailure(e)) return null;
      throw e;
    }
  }

  async query(opts: QueryOptions): Promise<QueryPage> {
    checkKeySizes(opts.pk);
    const sk = opts.sk;
    if (sk) for (const v of Object.values(sk).flat()) checkKeySizes(undefined, v);
    const ExclusiveStartKey = decodeCursor(opts.cursor, opts);
    const b = new ExpressionBuilder();
    const pkAttr = opts.index ? `${opts.index}pk` : 'pk';
    const skAttr = opts.index ? `${opts.index}sk` : 'sk';
    let expr = `${b.name(pkAttr)} = ${b.value(opts.pk)}`;
    if (sk) {
      const s = b.name(skAttr);
      if ('beginsWith' in sk) expr += ` AND begins_with(${s}, ${b.value(sk.beginsWith)})`;
      else if ('between' in sk) expr += ` AND ${s} BETWEEN ${b.value(sk.between[0])} AND ${b.value(sk.between[1])}`;
      else if ('gte' in sk) expr += ` AND ${s} >= ${b.value(sk.gte)}`;
      else if ('lte' in sk) expr += ` AND ${s} <= ${b.value(sk.lte)}`;
      else expr += ` AND ${s} = ${b.value(sk.eq)}`;
    }
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: opts.index,
        KeyConditionExpression: expr,
        Limit: opts.limit,
        ExclusiveStartKey,
        ScanIndexForward: opts.forward ?? true,
        Select: opts.countOnly ? 'COUNT' : undefined,
        ...b.params(),
      }),
    );
    return {
      items: (out.Items as Item[]) ?? [],
      cursor: encodeCursor(out.LastEvaluatedKey as Record<string, unknown> | undefined),
      count: out.Count ?? 0,
    };
  }

  async transact(ops: TransactOp[]): Promise<boolean> {
    if (ops.length === 0) return true;
    for (const op of ops) {
      if ('put' in op) checkItemKeys(op.put);
      else {
        const k = 'update' in op ? op.update : 'delete' in op ? op.delete : op.check;
        checkKeySizes(k.pk, k.sk);
      }
    }
    const items = ops.map((op) => {
      const b = new ExpressionBuilder();
      if ('put' in op) {
        const ConditionExpression = b.condition(op.condition);
        return { Put: { TableName: this.table, Item: op.put, ConditionExpression, ...b.params() } };
      }
      if ('update' in op) {
        const UpdateExpression = b.update(op.spec);
        const ConditionExpression = b.condition(op.condition);
        return {
          Update: { TableName: this.table, Key: { pk: op.update.pk, sk: op.update.sk }, UpdateExpression, ConditionExpression, ...b.params() },
        };
      }
      if ('delete' in op) {
        const ConditionExpression = b.condition(op.condition);
        return { Delete: { TableName: this.table, Key: { pk: op.delete.pk, sk: op.delete.sk }, ConditionExpression, ...b.params() } };
      }
      const ConditionExpression = b.condition(op.condition)!;
      return { ConditionCheck: { TableName: this.table, Key: { pk: op.check.pk, sk: op.check.sk }, ConditionExpression, ...b.params() } };
    });
    // Transactions that touch a shared item (a dataset's or library's counters) can be cancelled
    // as conflicting with a concurrent one; that is not a condition failure, so retry with jitter.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (e) {
        if (isConditionFailure(e)) return false;
        if ((e as { name?: string }).name === 'UnknownOperationException') return this.emulatedTransact(ops);
        if (!isTransactionConflict(e) || attempt >= 7) throw e;
        await new Promise((r) => setTimeout(r, (10 + Math.random() * 40) * 2 ** Math.min(attempt, 4)));
      }
    }
  }

  /**
   * dynalite (the local DynamoDB) has no TransactWriteItems. Locally only, transactions are
   * emulated: every condition is checked first, then the writes are applied one by one with
   * their own conditions, and the items already written are restored if a later one fails.
   * Not isolated against concurrent writers — good enough for one developer's machine; AWS
   * always takes the real, atomic path above.
   */
  private async emulatedTransact(ops: TransactOp[]): Promise<boolean> {
    // Emulated transactions are serialised through one lock item, across every process that
    // shares the local table (serverless-offline's workers, tests): without it, a transaction
    // that fails half-way restores its "before" images over a concurrent one's writes (seen: a
    // face counter losing a concurrent add's increment).
    const holder = `${process.pid}-${Math.random().toString(36).slice(2)}`;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      const now = Date.now();
      if (await this.put({ ...LOCAL_TX_LOCK, until: now + 10_000, holder }, { ifBelow: { attr: 'until', limit: now } })) break;
      await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random())));
    }
    try {
      return await this.emulatedTransactLocked(ops);
    } finally {
      await this.delete(LOCAL_TX_LOCK, { ifMatch: { holder } }).catch(() => undefined);
    }
  }

  private async emulatedTransactLocked(ops: TransactOp[]): Promise<boolean> {
    const keyOf = (op: TransactOp): Key => ('put' in op ? { pk: String(op.put.pk), sk: String(op.put.sk) } : 'update' in op ? op.update : 'delete' in op ? op.delete : op.check);
    const before = await Promise.all(ops.map((op) => this.get(keyOf(op))));
    if (!ops.every((op, i) => holds(op.condition, before[i]))) return false;
    const done: number[] = [];
    for (const [i, op] of ops.entries()) {
      let ok = true;
      if ('put' in op) ok = await this.put(op.put, op.condition);
      else if ('update' in op) ok = (await this.update(op.update, op.spec, op.condition)) !== null;
      else if ('delete' in op) ok = (await this.delete(op.delete, op.condition)) !== null || !op.condition;
      if (!ok) {
        for (const j of done.reverse()) {
          const prior = before[j];
          if (prior) await this.put(prior);
          else await this.delete(keyOf(ops[j]));
        }
        return false;
      }
      done.push(i);
    }
    return true;
  }

  async ping(): Promise<void> {
    await this.client.send(new DescribeTableCommand({ TableName: this.table }));
  }
}
