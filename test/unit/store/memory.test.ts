/**
 * The in-memory adapters (lib/store/memory.ts) keep the rules of the ports that domain code relies
 * on: conditional writes, all-or-nothing transactions, paged queries, vector distances and the
 * typed filter.
 */
import { describe, expect, it } from 'vitest';
import { IrisError } from '../../../lib/errors';
import { parseFaceFilter } from '../../../lib/faces/filter';
import { parseSchema } from '../../../lib/faces/fields';
import { MemoryMetadataStore, MemoryObjectStore, MemoryVectorStore } from '../../../lib/store/memory';
import { queryAll } from '../../../lib/store/query';

describe('MemoryMetadataStore', () => {
  it('honours write conditions', async () => {
    const m = new MemoryMetadataStore();
    const k = { pk: 'P', sk: 'S' };
    expect(await m.put({ ...k, n: 1 }, { ifNotExists: true })).toBe(true);
    expect(await m.put({ ...k, n: 2 }, { ifNotExists: true })).toBe(false);
    expect(await m.update(k, { set: { n: 3 } }, { ifMatch: { n: 2 } })).toBeNull();
    expect(await m.update(k, { add: { count: 2 } }, { ifBelow: { attr: 'count', limit: 1 } })).toMatchObject({ n: 1, count: 2 });
    expect(await m.update(k, { add: { count: 1 } }, { ifBelow: { attr: 'count', limit: 2 } })).toBeNull();
    expect(await m.delete({ pk: 'P', sk: 'other' }, { ifExists: true })).toBeNull();
    expect(await m.delete(k, { ifMatch: { n: 1 } })).toMatchObject({ n: 1, count: 2 });
    expect(await m.get(k)).toBeNull();
  });

  it('applies a transaction all or nothing', async () => {
    const m = new MemoryMetadataStore();
    await m.put({ pk: 'A', sk: '1', v: 1 });
    const ok = await m.transact([
      { put: { pk: 'A', sk: '2', v: 2 } },
      { update: { pk: 'A', sk: '1' }, spec: { add: { v: 10 } } },
      { check: { pk: 'A', sk: 'missing' }, condition: { ifExists: true } },
    ]);
    expect(ok).toBe(false);
    expect(await m.get({ pk: 'A', sk: '2' })).toBeNull();
    expect(await m.get({ pk: 'A', sk: '1' })).toMatchObject({ v: 1 });
    await expect(m.transact([{ put: { pk: 'A', sk: '1' } }, { delete: { pk: 'A', sk: '1' } }])).rejects.toThrow();
  });

  it('gives copies, never the stored item', async () => {
    const m = new MemoryMetadataStore();
    await m.put({ pk: 'A', sk: '1', list: [1] });
    const got = await m.get({ pk: 'A', sk: '1' });
    (got!.list as number[]).push(2);
    expect((await m.get({ pk: 'A', sk: '1' }))!.list).toEqual([1]);
  });

  it('queries by table or index key in sort-key order, in pages with cursors', async () => {
    const m = new MemoryMetadataStore();
    for (let i = 0; i < 7; i++) await m.put({ pk: 'P', sk: `s${i}`, gsi1pk: i % 2 ? 'odd' : 'even', gsi1sk: `t${9 - i}` });
    await m.put({ pk: 'Q', sk: 's0' });
    const first = await m.query({ pk: 'P', limit: 3 });
    expect(first.items.map((i) => i.sk)).toEqual(['s0', 's1', 's2']);
    const second = await m.query({ pk: 'P', limit: 3, cursor: first.cursor });
    expect(second.items.map((i) => i.sk)).toEqual(['s3', 's4', 's5']);
    const last = await m.query({ pk: 'P', limit: 3, cursor: second.cursor });
    expect(last.items.map((i) => i.sk)).toEqual(['s6']);
    expect(last.cursor).toBeUndefined();
    expect((await queryAll(m, { pk: 'P', limit: 2 })).length).toBe(7);
    expect((await m.query({ index: 'gsi1', pk: 'even' })).items.map((i) => i.sk)).toEqual(['s6', 's4', 's2', 's0']);
    expect((await m.query({ pk: 'P', sk: { between: ['s2', 's4'] }, forward: false })).items.map((i) => i.sk)).toEqual(['s4', 's3', 's2']);
    expect((await m.query({ pk: 'P', sk: { beginsWith: 's1' }, countOnly: true })).count).toBe(1);
    // A cursor of another query is a parameter error, not a jump elsewhere.
    const err = await m.query({ pk: 'Q', cursor: first.cursor }).catch((e) => e);
    expect(err).toBeInstanceOf(IrisError);
    expect((err as IrisError).field).toBe('cursor');
  });
});

describe('MemoryVectorStore', () => {
  const rows = [
    { id: 'a', vector: [1, 0], tag: 1, name: 'x' },
    { id: 'b', vector: [0.8, 0.6], tag: 2, name: null },
    { id: 'c', vector: [0, 1], tag: 2, name: "o'brien" },
  ];

  it('ranks by cosine or squared l2 distance and pre-filters', async () => {
    const v = new MemoryVectorStore();
    const t = await v.openOrCreate('t', rows);
    await t.upsert(rows);
    const cos = await t.search([1, 0], { k: 3 });
    expect(cos.map((h) => h.id)).toEqual(['a', 'b', 'c']);
    expect(cos[1]._distance).toBeCloseTo(0.2, 6);
    const l2 = await t.search([0, 2], { k: 2, metric: 'l2' });
    expect(l2.map((h) => h.id)).toEqual(['c', 'b']);
    expect(l2[0]._distance).toBeCloseTo(1, 6);
    expect((await t.search([1, 0], { k: 3, where: { eq: { tag: 2 } } })).map((h) => h.id)).toEqual(['b', 'c']);
    expect(cos[0]).not.toHaveProperty('vector');
  });

  it('upserts by id, updates and deletes by filter', async () => {
    const v = new MemoryVectorStore();
    const t = await v.openOrCreate('t', rows);
    await t.upsert(rows);
    await t.upsert([{ id: 'a', vector: [1, 0], tag: 3, name: 'y' }]);
    expect(await t.count()).toBe(3);
    expect(await t.scan({ where: { eq: { id: 'a' } }, select: ['tag'] })).toEqual([{ id: 'a', tag: 3 }]);
    await t.updateWhere({ in: { id: ['b', 'c'] } }, { tag: 7 });
    expect(await t.count({ eq: { tag: 7 } })).toBe(2);
    await t.deleteWhere({ eq: { name: "o'brien" } });
    expect((await t.scan({ select: ['id'] })).map((r) => r.id)).toEqual(['a', 'b']);
    expect(await v.open('none')).toBeNull();
    await v.drop('t');
    expect(await v.open('t')).toBeNull();
  });

  it('evaluates an FRS filter as SQL would: a face without the field matches a negation', async () => {
    const schema = parseSchema({ age: { type: 'long' }, male: { type: 'boolean' } });
    const v = new MemoryVectorStore();
    const faces = [
      { id: 'f1', vector: [1, 0], ef0: 30, ef1: 1 },
      { id: 'f2', vector: [1, 0], ef0: 18, ef1: 0 },
      { id: 'f3', vector: [1, 0], ef0: null, ef1: null },
    ];
    const t = await v.openOrCreate('faces', faces);
    await t.upsert(faces);
    const ids = async (f: string) => (await t.scan({ where: parseFaceFilter(f, schema) })).map((r) => r.id);
    expect(await ids('age:[20 TO *]')).toEqual(['f1']);
    expect(await ids('!male:true')).toEqual(['f2', 'f3']);
    expect(await ids('age:[* TO *]')).toEqual(['f1', 'f2']);
    expect(await ids('age:{18 TO 30] || male:false')).toEqual(['f1', 'f2']);
    expect(await ids('!(age:[0 TO 20] && male:false)')).toEqual(['f1', 'f3']);
  });
});

describe('MemoryObjectStore', () => {
  it('lists by prefix in key order, with limits, and removes', async () => {
    const o = new MemoryObjectStore();
    for (const k of ['b/2', 'a/1', 'b/1', 'c']) await o.put(k, Buffer.from(k), { contentType: 'text/plain', metadata: { k } });
    expect((await o.list('b/')).map((x) => x.key)).toEqual(['b/1', 'b/2']);
    expect((await o.list('', { limit: 2 })).map((x) => x.key)).toEqual(['a/1', 'b/1']);
    expect(await o.head('c')).toMatchObject({ size: 1, contentType: 'text/plain', metadata: { k: 'c' } });
    await o.deleteMany(['b/1', 'b/2']);
    expect(await o.get('b/1')).toBeNull();
    expect((await o.get('a/1'))!.body.toString()).toBe('a/1');
  });
});
