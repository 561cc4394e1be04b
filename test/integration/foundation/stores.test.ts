/** The storage adapters against real local services: s3rver, dynalite and a LanceDB folder. */
import * as lancedb from '@lancedb/lancedb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryMetadataStore, MemoryVectorStore } from '../../../lib/store/memory';
import type { Item, MetadataStore, VectorFilter, VectorTable } from '../../../lib/store/ports';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
beforeAll(async () => {
  env = await startServices();
});
afterAll(async () => env?.stop());

describe('S3ObjectStore', () => {
  it('puts, reads, heads, lists and deletes objects with metadata', async () => {
    const { objects } = env.stores;
    await objects.put('data/p/a.jpg', Buffer.from('abc'), { contentType: 'image/jpeg', metadata: { brief: 'x' } });
    await objects.put('data/p/b.jpg', Buffer.from('defg'));
    const got = await objects.get('data/p/a.jpg');
    expect(got?.body.toString()).toBe('abc');
    expect(got?.metadata.brief).toBe('x');
    expect((await objects.head('data/p/b.jpg'))?.size).toBe(4);
    expect((await objects.list('data/p/')).map((o) => o.key).sort()).toEqual(['data/p/a.jpg', 'data/p/b.jpg']);
    await objects.deleteMany(['data/p/a.jpg', 'data/p/b.jpg']);
    expect(await objects.get('data/p/a.jpg')).toBeNull();
    expect(await objects.head('data/p/b.jpg')).toBeNull();
  });

  it('hands out presigned URLs that work for PUT and GET', async () => {
    const { objects } = env.stores;
    const put = await objects.presignPut('ingest/p/x/file.bin', { expiresSeconds: 60 });
    const r = await fetch(put, { method: 'PUT', body: 'payload' });
    expect(r.status).toBe(200);
    const get = await objects.presignGet('ingest/p/x/file.bin', 60);
    expect(await (await fetch(get)).text()).toBe('payload');
  });
});

describe('DynamoMetadataStore', () => {
  it('refuses a second create with ifNotExists and keeps the first item', async () => {
    const { metadata } = env.stores;
    const key = { pk: 'T#create', sk: 'A' };
    expect(await metadata.put({ ...key, v: 1 }, { ifNotExists: true })).toBe(true);
    expect(await metadata.put({ ...key, v: 2 }, { ifNotExists: true })).toBe(false);
    expect((await metadata.get(key))?.v).toBe(1);
  });

  it('enforces a quota atomically with ifBelow', async () => {
    const { metadata } = env.stores;
    const key = { pk: 'T#quota', sk: 'A' };
    await metadata.put({ ...key, count: 0 });
    const results = await Promise.all(Array.from({ length: 8 }, () => metadata.update(key, { add: { count: 1 } }, { ifBelow: { attr: 'count', limit: 5 } })));
    expect(results.filter(Boolean)).toHaveLength(5);
    expect((await metadata.get(key))?.count).toBe(5);
  });

  it('pages a query with an opaque cursor in sort-key order', async () => {
    const { metadata } = env.stores;
    for (let i = 0; i < 7; i++) await metadata.put({ pk: 'T#page', sk: `S#${i}`, gsi1pk: 'G#page', gsi1sk: `${9 - i}` });
    const first = await metadata.query({ pk: 'T#page', limit: 3 });
    expect(first.items.map((i) => i.sk)).toEqual(['S#0', 'S#1', 'S#2']);
    const second = await metadata.query({ pk: 'T#page', limit: 3, cursor: first.cursor });
    expect(second.items.map((i) => i.sk)).toEqual(['S#3', 'S#4', 'S#5']);
    const byIndex = await metadata.query({ index: 'gsi1', pk: 'G#page', sk: { beginsWith: '9' } });
    expect(byIndex.items.map((i) => i.sk)).toEqual(['S#0']);
  });

  it('applies all of a transaction or none of it', async () => {
    const { metadata } = env.stores;
    await metadata.put({ pk: 'T#tx', sk: 'exists', v: 1 });
    const ok = await metadata.transact([
      { put: { pk: 'T#tx', sk: 'new', v: 1 } },
      { put: { pk: 'T#tx', sk: 'exists', v: 2 }, condition: { ifNotExists: true } },
    ]);
    expect(ok).toBe(false);
    expect(await metadata.get({ pk: 'T#tx', sk: 'new' })).toBeNull();
    expect((await metadata.get({ pk: 'T#tx', sk: 'exists' }))?.v).toBe(1);
    expect(await metadata.transact([{ put: { pk: 'T#tx', sk: 'new', v: 1 } }, { update: { pk: 'T#tx', sk: 'exists' }, spec: { add: { v: 10 } } }])).toBe(true);
    expect((await metadata.get({ pk: 'T#tx', sk: 'exists' }))?.v).toBe(11);
  });
});

describe('LanceVectorStore', () => {
  const rows = Array.from({ length: 20 }, (_, i) => ({
    id: `r${i}`,
    vector: [Math.cos(i / 3), Math.sin(i / 3), 0.1 * i, 1],
    tag1: i % 3,
    brief: `item ${i}`,
  }));

  it('returns the nearest rows first and applies the filter inside the query', async () => {
    const table = await env.stores.vectors.openOrCreate('test_vectors', rows);
    await table.upsert(rows);
    const hits = await table.search(rows[4].vector, { k: 3 });
    expect(hits[0].id).toBe('r4');
    const filtered = await table.search(rows[4].vector, { k: 5, where: { eq: { tag1: 2 } } });
    // A pre-filter fills the page with matching rows only (not fewer after post-filtering).
    expect(filtered).toHaveLength(5);
    expect(filtered.every((h) => h.tag1 === 2)).toBe(true);
  });

  it('upserts by id without duplicating, updates columns and deletes rows', async () => {
    const table = (await env.stores.vectors.open('test_vectors'))!;
    await table.upsert([{ ...rows[0], brief: 'changed' }]);
    expect(await table.count()).toBe(20);
    await table.updateWhere({ eq: { id: 'r1' } }, { brief: 'edited' });
    const [r1] = await table.scan({ where: { eq: { id: 'r1' } } });
    expect(r1.brief).toBe('edited');
    await table.deleteIds(['r0', 'r1']);
    expect(await table.count()).toBe(18);
    expect(await env.stores.vectors.open('never_written')).toBeNull();
  });
});

describe('LanceVectorStore at half precision', () => {
  const unit = (i: number) => {
    const v = [Math.cos(i / 5), Math.sin(i / 5), 0.3 * Math.cos(i), 0.2];
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const rows = Array.from({ length: 30 }, (_, i) => ({ id: `h${i}`, vector: unit(i), tag1: i % 2 }));
  const vectorType = async (name: string) => {
    const table = await (await lancedb.connect(env.vectorsDir)).openTable(name);
    return String((await table.schema()).fields.find((f) => f.name === 'vector')!.type);
  };

  it('stores a new table float16 when asked, and ranks and measures as the float32 table does', async () => {
    const half = await env.stores.vectors.openOrCreate('half_vectors', rows, { precision: 'float16' });
    await half.upsert(rows);
    const full = await env.stores.vectors.openOrCreate('full_vectors', rows);
    await full.upsert(rows);
    expect(await vectorType('half_vectors')).toBe('FixedSizeList[4]<Float16>');
    expect(await vectorType('full_vectors')).toBe('FixedSizeList[4]<Float32>');
    for (const q of [3, 11, 24]) {
      const a = await half.search(rows[q].vector, { k: 5, metric: 'cosine' });
      const b = await full.search(rows[q].vector, { k: 5, metric: 'cosine' });
      expect(a.map((h) => h.id)).toEqual(b.map((h) => h.id));
      a.forEach((h, i) => expect(Math.abs(h._distance - b[i]._distance)).toBeLessThan(1e-3));
    }
  });

  it('keeps an existing table at its own precision', async () => {
    const again = await env.stores.vectors.openOrCreate('full_vectors', rows, { precision: 'float16' });
    await again.upsert([{ ...rows[0], tag1: 7 }]);
    expect(await vectorType('full_vectors')).toBe('FixedSizeList[4]<Float32>');
    expect(await again.count()).toBe(30);
  });
});

describe('the in-memory VectorStore against LanceDB', () => {
  // Nullable columns, as face tables have them (ef0, ef1 may be missing on a face).
  const rows = Array.from({ length: 12 }, (_, i) => ({
    id: `m${i}`,
    vector: [Math.cos(i), Math.sin(i), 0.5],
    n: i % 4 === 3 ? null : i,
    flag: i % 5 === 4 ? null : i % 2,
    name: i % 3 === 0 ? `o'name ${i}` : `name ${i}`,
  }));
  const filters: VectorFilter[] = [
    { eq: { flag: 1 } },
    { in: { id: ['m1', 'm5', 'zz'] } },
    { range: { n: { gt: 2, lte: 8 } } },
    { range: { n: {} } },
    { not: { eq: { flag: 1 } } },
    { or: [{ eq: { name: "o'name 3" } }, { and: [{ range: { n: { gte: 9 } } }, { not: { eq: { flag: 0 } } }] }] },
    { and: [] },
    { or: [] },
  ];

  it('selects, counts and ranks the same rows for every kind of filter', async () => {
    const lance = await env.stores.vectors.openOrCreate('parity_vectors', rows);
    await lance.upsert(rows);
    const memory = await new MemoryVectorStore().openOrCreate('parity_vectors', rows);
    await memory.upsert(rows);
    const ids = async (t: VectorTable, where: VectorFilter) => (await t.scan({ where, select: ['id'] })).map((r) => String(r.id)).sort();
    for (const where of filters) {
      const expected = await ids(lance, where);
      expect(await ids(memory, where), JSON.stringify(where)).toEqual(expected);
      expect(await memory.count(where)).toBe(await lance.count(where));
      for (const metric of ['cosine', 'l2'] as const) {
        const near = async (t: VectorTable) => (await t.search([1, 0.2, 0.5], { k: 4, where, metric, select: ['id', '_distance'] })).map((h) => [h.id, Math.round(h._distance * 1e4)]);
        expect(await near(memory), `${metric} ${JSON.stringify(where)}`).toEqual(await near(lance));
      }
    }
  });
});

describe('the in-memory MetadataStore against DynamoDB', () => {
  /** One script of writes and reads; every answer is recorded (keys made unique per store run). */
  async function script(m: MetadataStore, pk: string): Promise<unknown[]> {
    const out: unknown[] = [];
    const k = (sk: string) => ({ pk, sk });
    const strip = (i: Item | null) => i && Object.fromEntries(Object.entries(i).filter(([key]) => key !== 'pk' && !key.startsWith('gsi1pk')));
    out.push(await m.put({ ...k('a'), n: 1, tags: [1, 2] }, { ifNotExists: true }));
    out.push(await m.put({ ...k('a'), n: 9 }, { ifNotExists: true }));
    out.push(strip(await m.update(k('a'), { add: { count: 2 }, set: { s: 'x' } }, { ifMatch: { n: 1 } })));
    out.push(strip(await m.update(k('a'), { add: { count: 1 } }, { ifBelow: { attr: 'count', limit: 2 } })));
    out.push(strip(await m.update(k('b'), { add: { count: 1 } }, { ifBelow: { attr: 'count', limit: 1 } })));
    out.push(strip(await m.update(k('c'), { set: { v: 1 } }, { ifExists: true })));
    out.push(strip(await m.update(k('a'), { remove: ['s'] })));
    for (let i = 0; i < 6; i++) await m.put({ ...k(`q${i}`), gsi1pk: `${pk}#g`, gsi1sk: `${5 - i}` });
    out.push(
      await m.transact([
        { put: { ...k('t1'), v: 1 } },
        { update: k('a'), spec: { add: { n: 1 } }, condition: { ifMatch: { n: 2 } } },
      ]),
    );
    out.push(strip(await m.get(k('t1'))));
    out.push(await m.transact([{ put: { ...k('t1'), v: 1 } }, { delete: k('b'), condition: { ifExists: true } }, { check: k('a'), condition: { ifMatch: { n: 1 } } }]));
    out.push(strip(await m.get(k('b'))));
    const pages: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = await m.query({ pk, sk: { beginsWith: 'q' }, limit: 2, cursor, forward: false });
      pages.push([page.items.map((i) => i.sk), page.count, page.cursor !== undefined]);
      cursor = page.cursor;
    } while (cursor);
    out.push(pages);
    out.push((await m.query({ index: 'gsi1', pk: `${pk}#g`, sk: { between: ['1', '3'] } })).items.map((i) => i.sk));
    out.push((await m.query({ pk, sk: { gte: 'q3' }, countOnly: true })).count);
    out.push((await m.batchGet([k('a'), k('a'), k('zz'), k('t1')])).map((i) => i.sk).sort());
    out.push(strip(await m.delete(k('t1'), { ifMatch: { v: 2 } })));
    out.push(strip(await m.delete(k('t1'))));
    return out;
  }

  it('answers the same script of writes, transactions and queries as DynamoDB', async () => {
    const run = `P#parity#${Date.now()}`;
    const memory = await script(new MemoryMetadataStore(), run);
    expect(memory).toEqual(await script(env.stores.metadata, run));
  });
});

