/**
 * The DynamoDB adapter's last line of defence, against a client that answers as DynamoDB does:
 * refusals of client-supplied keys become typed BAD_PARAM errors; Iris's own mistakes (a malformed
 * expression) and other failures stay untyped (internal). Cursors are bound to their query.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { isIrisError } from '../../../lib/errors';
import { decodeCursor, DynamoMetadataStore } from '../../../lib/store/dynamodb';

const failing = (name: string, message: string, extra: Record<string, unknown> = {}) =>
  new DynamoMetadataStore({ send: async () => Promise.reject(Object.assign(new Error(message), { name, ...extra })) } as unknown as DynamoDBDocumentClient, 't');

describe('DynamoDB refusals', () => {
  it.each([
    ['ValidationException', 'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes'],
    ['ValidationException', 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes'],
    ['ValidationException', 'The provided starting key is invalid: The provided key element does not match the schema'],
    ['ValidationException', 'Item size has exceeded the maximum allowed size'],
    ['ValidationException', 'One or more parameter values were invalid: Hash primary key values must be under 2048 bytes'],
  ])('%s "%s" becomes BAD_PARAM', async (name, message) => {
    const err = await failing(name, message).get({ pk: 'a', sk: 'b' }).catch((e) => e);
    expect(isIrisError(err)).toBe(true);
    expect(err.kind).toBe('BAD_PARAM');
    expect(err.message).not.toMatch(/range keys|hashkey/); // DynamoDB's wording stays in the cause
  });

  it('a transaction cancelled by a key-size validation error becomes BAD_PARAM', async () => {
    const store = failing('TransactionCanceledException', 'Transaction cancelled', {
      CancellationReasons: [{ Code: 'None' }, { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes' }],
    });
    const err = await store.transact([{ put: { pk: 'a', sk: 'b' } }]).catch((e) => e);
    expect(isIrisError(err)).toBe(true);
    expect(err.kind).toBe('BAD_PARAM');
  });

  it.each([
    ['ValidationException', 'Invalid UpdateExpression: Syntax error; token: "SET"'],
    ['ValidationException', 'The provided key element does not match the schema'],
    ['ProvisionedThroughputExceededException', 'Rate exceeded'],
    ['InternalServerError', 'boom'],
  ])('%s "%s" stays an internal error', async (name, message) => {
    const err = await failing(name, message).get({ pk: 'a', sk: 'b' }).catch((e) => e);
    expect(isIrisError(err)).toBe(false);
    expect(err.name).toBe(name);
  });

  it('keys over DynamoDB’s sizes are refused before any request is sent', async () => {
    let sent = 0;
    const store = new DynamoMetadataStore({ send: async () => { sent++; return {}; } } as unknown as DynamoDBDocumentClient, 't');
    const long = (n: number) => 'é'.repeat(n); // 2 bytes each
    for (const attempt of [
      () => store.get({ pk: 'a', sk: long(513) }),
      () => store.put({ pk: long(1025), sk: 'b' }),
      () => store.put({ pk: 'a', sk: 'b', gsi2pk: long(1025), gsi2sk: 'x' }),
      () => store.query({ pk: long(1025) }),
      () => store.query({ pk: 'a', sk: { beginsWith: long(513) } }),
      () => store.transact([{ delete: { pk: 'a', sk: long(513) } }]),
      () => store.batchGet([{ pk: 'a', sk: long(513) }]),
    ]) {
      const err = await attempt().catch((e) => e);
      expect(isIrisError(err), String(err)).toBe(true);
      expect(err.kind).toBe('BAD_PARAM');
    }
    expect(sent).toBe(0);
    // At the limits exactly, the request goes out.
    await store.get({ pk: 'a', sk: long(512) });
    expect(sent).toBe(1);
  });
});

describe('decodeCursor', () => {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const q = { index: 'gsi1' as const, pk: 'INGEST#failed#p1', sk: { beginsWith: '2026' } };
  const good = { pk: 'INGEST#k', sk: 'INGEST', gsi1pk: 'INGEST#failed#p1', gsi1sk: '2026-12-02T00:00:00Z#k' };

  it('gives back the key of a cursor made for this query', () => {
    expect(decodeCursor(enc(good), q)).toEqual(good);
    expect(decodeCursor(undefined, q)).toBeUndefined();
    expect(decodeCursor('', q)).toBeUndefined();
  });

  it.each([
    ['another partition', enc({ ...good, gsi1pk: 'INGEST#failed#p2' })],
    ['another status', enc({ ...good, gsi1pk: 'INGEST#done#p1' })],
    ['outside the sort-key range', enc({ ...good, gsi1sk: '1999' })],
    ['the table’s keys only', enc({ pk: 'INGEST#k', sk: 'INGEST' })],
    ['an extra attribute', enc({ ...good, secret: 'x' })],
    ['a number where a string belongs', enc({ ...good, sk: 5 })],
    ['a key over 1,024 bytes', enc({ ...good, sk: 'x'.repeat(1025) })],
    ['not JSON', Buffer.from('not json').toString('base64url')],
    ['an array', enc([good])],
    ['trailing characters', `${enc(good)}x`],
    ['standard base64 padding', `${Buffer.from(JSON.stringify(good)).toString('base64')}==`],
    ['garbage', '!!!'],
    ['a huge string', 'A'.repeat(10_000)],
  ])('refuses %s as BAD_PARAM on the cursor', (_what, cursor) => {
    let err: unknown;
    try {
      decodeCursor(cursor, q);
    } catch (e) {
      err = e;
    }
    expect(isIrisError(err)).toBe(true);
    expect((err as { field?: string }).field).toBe('cursor');
  });
});
