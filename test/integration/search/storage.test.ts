/**
 * The write protocol of library images (object → vectors → item as the commit point), the
 * 1000-result window, the ANN index switch and the bulk importer, against real local stores.
 */
import * as lancedb from '@lancedb/lancedb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeImage } from '../../../lib/images';
import { importers } from '../../../lib/ingest/importers';
import { ingestRecord } from '../../../lib/ingest/ledger';
import { imageLimits } from '../../../lib/search/contract';
import { addImage, searchImages } from '../../../lib/search/images';
import { createLibrary, getLibrary, listAllLibraries, libraryObjectPrefix, libraryTable, type Library } from '../../../lib/search/library';
import { maintainLibrary } from '../../../lib/search/maintain';
import { main as maintainHandler } from '../../../functions/search/maintain-libraries/handler';
import { lambdaContext } from '../../support/http';
import { setEngineProvider } from '../../../lib/search/provider';
import { sweepLibrary } from '../../../lib/search/sweep';
import { contSignOf, imageIdOf } from '../../../lib/search/params';
import { keys, libraryKeys } from '../../../lib/store/keys';
import type { Stores, VectorTable } from '../../../lib/store/ports';
import type { Candidate, SearchEngine } from '../../../lib/search/engine';
import { testEngine, testImage } from '../../support/search-test-engine';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
let project: Awaited<ReturnType<TestServices['project']>>;

beforeAll(async () => {
  env = await startServices();
  project = await env.project('storage');
  setEngineProvider(async (kind) => testEngine(kind, kind === 'same_hq' ? { threshold: 0.9 } : {}));
});
afterAll(async () => {
  setEngineProvider();
  await env?.stop();
});

const decoded = async (seed: number, size = 128) => intakeImage(await testImage(seed, { width: size, height: size }), imageLimits('similar', 'add'));

async function visible(lib: Library, contSign: string) {
  const item = await env.stores.metadata.get(libraryKeys.image(lib.projectId, lib.kind, lib.generation, imageIdOf(contSign)));
  const objects = await env.stores.objects.list(libraryObjectPrefix(lib));
  const table = await env.stores.vectors.open(libraryTable(lib));
  const rows = table ? await table.count({ eq: { item: imageIdOf(contSign) } }) : 0;
  return { item, objects: objects.length, rows, count: (await getLibrary(env.stores.metadata, lib.projectId, lib.kind)).count };
}

describe('nothing half-written when a store fails mid-add', () => {
  let lib: Library;
  beforeAll(async () => {
    const p = await env.project('failures');
    lib = await createLibrary(env.stores.metadata, p.projectId, 'similar');
  });

  it('leaves no item and no object when the vector store throws', async () => {
    const image = await decoded(1);
    const failing: Stores = {
      ...env.stores,
      vectors: { ...env.stores.vectors, openOrCreate: async () => Promise.reject(new Error('lancedb down')) } as Stores['vectors'],
    };
    await expect(addImage(failing, testEngine('similar'), lib, { image, brief: 'x', labels: {} })).rejects.toThrow('lancedb down');
    const state = await visible(lib, contSignOf(await image.rgb()));
    expect(state).toMatchObject({ item: null, objects: 0, rows: 0, count: 0 });
  });

  it('leaves no item and no object when the vector upsert throws after the table exists', async () => {
    const image = await decoded(2);
    const wrapTable = (t: VectorTable): VectorTable =>
      Object.assign(Object.create(Object.getPrototypeOf(t)), t, { upsert: async () => Promise.reject(new Error('upsert failed')) });
    const failing: Stores = {
      ...env.stores,
      vectors: {
        ...env.stores.vectors,
        open: (n: string) => env.stores.vectors.open(n),
        openOrCreate: async (n: string, rows: Parameters<Stores['vectors']['openOrCreate']>[1]) => wrapTable(await env.stores.vectors.openOrCreate(n, rows)),
      } as Stores['vectors'],
    };
    await expect(addImage(failing, testEngine('similar'), lib, { image, brief: 'x', labels: {} })).rejects.toThrow('upsert failed');
    expect(await visible(lib, contSignOf(await image.rgb()))).toMatchObject({ item: null, objects: 0, rows: 0, count: 0 });
  });

  it('removes the rows and objects again when the DynamoDB commit throws, and search never serves them', async () => {
    const image = await decoded(3);
    const failing: Stores = {
      ...env.stores,
      metadata: Object.assign(Object.create(Object.getPrototypeOf(env.stores.metadata)), env.stores.metadata, {
        transact: async () => Promise.reject(new Error('dynamodb down')),
      }),
    };
    await expect(addImage(failing, testEngine('similar'), lib, { image, brief: 'x', labels: {} })).rejects.toThrow('dynamodb down');
    expect(await visible(lib, contSignOf(await image.rgb()))).toMatchObject({ item: null, objects: 0, rows: 0, count: 0 });
  });

  it('leaves nothing when the engine fails to describe the image', async () => {
    const image = await decoded(4);
    await expect(addImage(env.stores, testEngine('similar', { failDescribe: true }), lib, { image, brief: 'x', labels: {} })).rejects.toThrow('engine failure');
    expect(await visible(lib, contSignOf(await image.rgb()))).toMatchObject({ item: null, objects: 0, rows: 0, count: 0 });
  });

  it('never serves vector rows that have no committed item', async () => {
    const committed = await decoded(5);
    const orphan = await decoded(6);
    const engine = testEngine('similar');
    const { contSign } = await addImage(env.stores, engine, lib, { image: committed, brief: 'kept', labels: {} });
    // Rows of an add that died before its commit point.
    const table = (await env.stores.vectors.open(libraryTable(lib)))!;
    const d = await engine.describe(orphan);
    await table.upsert(d.vectors.map((v) => ({ id: `orphan#${v.part}`, vector: v.vector, item: 'orphan', part: v.part, tag_a: 0, tag_b: 0, class_1: 0, class_2: 0, added_at: 1 })));
    const r = await searchImages(env.stores, engine, lib, { image: orphan, filter: { tags: [], logic: 'and' }, window: { start: 0, end: 300 } });
    expect(r.result.map((x) => x.cont_sign)).toEqual([contSign]);
  });

  it('sweeps rows and objects without an item once they are older than the grace period', async () => {
    const engine = testEngine('similar');
    const table = (await env.stores.vectors.open(libraryTable(lib)))!;
    const d = await engine.describe(await decoded(7));
    // An add still in flight: rows written just now, no item yet.
    await table.upsert(d.vectors.map((v) => ({ id: `inflight#${v.part}`, vector: v.vector, item: 'inflight', part: v.part, tag_a: 0, tag_b: 0, class_1: 0, class_2: 0, added_at: Date.now() })));
    await env.stores.objects.put(`${libraryObjectPrefix(lib)}lost_1.jpg`, Buffer.from('x'));
    const before = await table.count();
    const kept = await sweepLibrary(env.stores, lib);
    expect(kept.rows).toBe(2); // the old orphan's two parts
    expect(kept.objects).toBe(0); // the lost object is younger than the grace period
    const after = (await env.stores.vectors.open(libraryTable(lib)))!; // a fresh handle sees the sweep's version
    expect(await after.count()).toBe(before - 2);
    expect(await after.count({ eq: { item: 'inflight' } })).toBe(2);
    const later = await sweepLibrary(env.stores, lib, { now: Date.now() + 60 * 60 * 1000 });
    expect(later).toEqual({ rows: 2, objects: 1 });
    const committedImage = (await searchImages(env.stores, engine, lib, { image: await decoded(5), filter: { tags: [], logic: 'and' }, window: { start: 0, end: 1 } })).result[0];
    expect(committedImage.brief).toBe('kept');
    expect((await env.stores.objects.list(libraryObjectPrefix(lib))).length).toBe(3); // the kept image, its sidecar and thumbnail
  });
});

describe('result window and ANN index', () => {
  let lib: Library;
  const engine = testEngine('similar');
  const N = 1100;

  beforeAll(async () => {
    const p = await env.project('window');
    lib = await createLibrary(env.stores.metadata, p.projectId, 'similar');
    // Fill the library directly (items + rows), as many adds would.
    let s = 7;
    const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 0x1_0000_0000) - 0.5;
    const rows = [];
    for (let i = 0; i < N; i++) {
      const id = `${1000 + i}_${i}`;
      const v = Array.from({ length: engine.dimension }, rand);
      const n = Math.hypot(...v);
      rows.push({ id: `${id}#full`, vector: v.map((x) => x / n), item: id, part: 'full', tag_a: i % 2 === 0 ? 4 : 0, tag_b: 0, class_1: 0, class_2: 0, added_at: Date.now() });
    }
    const table = await env.stores.vectors.openOrCreate(libraryTable(lib), rows);
    await table.upsert(rows);
    for (let i = 0; i < N; i += 25) {
      await Promise.all(
        rows.slice(i, i + 25).map((r) =>
          env.stores.metadata.put({ ...libraryKeys.image(lib.projectId, lib.kind, lib.generation, r.item), imageId: r.item, contSign: r.item.replace('_', ','), brief: `b${r.item}`, tags: r.tag_a ? [4] : [] }),
        ),
      );
    }
    await env.stores.metadata.update(libraryKeys.library(lib.projectId, lib.kind), { set: { count: N } });
    lib = await getLibrary(env.stores.metadata, lib.projectId, lib.kind);
  }, 120_000);

  const search = async (window: { start: number; end: number }, tags: number[] = []) =>
    searchImages(env.stores, engine, lib, { image: await decoded(9), filter: { tags, logic: 'and' }, window });

  it('returns the top 300 by default, with has_more', async () => {
    const r = await search({ start: 0, end: 300 });
    expect(r.result_num).toBe(300);
    expect(r.has_more).toBe(true);
  });

  it('stops at result 1000: pn=900, rn=500 gives 100 results and no more', async () => {
    const r = await search({ start: 900, end: 1000 });
    expect(r.result_num).toBe(100);
    expect(r.has_more).toBe(false);
    const top = await search({ start: 0, end: 1000 });
    expect(r.result).toEqual(top.result.slice(900, 1000));
  });

  it('reads about as many items as it answers, not every row the vector search returned', async () => {
    // A wide candidate pool (the real similar engine asks 1,000 rows per view): 1,000 rows come back.
    const wide = { ...engine, candidatePool: 1000 };
    const read: number[] = [];
    const counting: Stores = { ...env.stores, metadata: { ...env.stores.metadata, batchGet: async (k) => (read.push(k.length), env.stores.metadata.batchGet(k)) } };
    const image = await decoded(9);
    const r = await searchImages(counting, wide, lib, { image, filter: { tags: [], logic: 'and' }, window: { start: 0, end: 300 } });
    expect(r.result_num).toBe(300);
    expect(read.reduce((a, b) => a + b, 0)).toBe(301);
    expect(r.result).toEqual((await search({ start: 0, end: 300 })).result);
  });

  it('reads no more items than an engine that verifies a handful of candidates can use', async () => {
    // The same-image engine verifies at most its candidateImages; a page of 300 asks for no more of them.
    const few = { ...engine, candidatePool: 1000, candidateImages: 5 };
    const read: number[] = [];
    const counting: Stores = { ...env.stores, metadata: { ...env.stores.metadata, batchGet: async (k) => (read.push(k.length), env.stores.metadata.batchGet(k)) } };
    const r = await searchImages(counting, few, lib, { image: await decoded(9), filter: { tags: [], logic: 'and' }, window: { start: 0, end: 300 } });
    expect(read.reduce((a, b) => a + b, 0)).toBe(10);
    expect(r.result_num).toBe(10);
    expect(r.result).toEqual((await search({ start: 0, end: 300 })).result.slice(0, 10));
  });

  it('reads on, nearest first, past images whose add is not committed', async () => {
    const image = await decoded(9);
    const all = await search({ start: 0, end: 1000 });
    // The 150 nearest images have no committed item yet (their adds are in flight).
    const pending = new Set(all.result.slice(0, 150).map((x) => x.cont_sign));
    const hiding: Stores = {
      ...env.stores,
      metadata: { ...env.stores.metadata, batchGet: async (k) => (await env.stores.metadata.batchGet(k)).filter((it) => !pending.has(String(it.contSign))) },
    };
    // The rows past the first 301 images come from the same vector search (a 1,000-row pool).
    const r = await searchImages(hiding, { ...engine, candidatePool: 1000 }, lib, { image, filter: { tags: [], logic: 'and' }, window: { start: 0, end: 300 } });
    expect(r.result_num).toBe(300);
    expect(r.has_more).toBe(true);
    expect(r.result).toEqual(all.result.slice(150, 450));
  });

  it('fills a filtered page from inside the vector query', async () => {
    const r = await search({ start: 0, end: 500 }, [4]);
    expect(r.result_num).toBe(500);
    expect(r.result.every((x) => Number(x.cont_sign.split(',')[1]) % 2 === 0)).toBe(true);
  });

  it('is maintained by the scheduled job: compacted, indexed past the threshold, and still exact for an added image', async () => {
    expect((await listAllLibraries(env.stores.metadata)).map((l) => l.generation)).toContain(lib.generation);
    const image = await decoded(10);
    const out = await addImage(env.stores, engine, lib, { image, brief: 'indexed', labels: {} });
    lib = await getLibrary(env.stores.metadata, lib.projectId, lib.kind);
    expect(lib.metric).toBe('cosine');
    const below = await maintainLibrary(env.stores, lib, { indexMinRows: N + 10 });
    expect(below).toMatchObject({ rows: N + 2, indexed: false, optimized: true }); // the image's two parts
    const built = await maintainLibrary(env.stores, lib, { indexMinRows: N });
    expect(built).toMatchObject({ rows: N + 2, indexed: true });
    expect((await maintainLibrary(env.stores, lib, { indexMinRows: N })).indexed).toBe(false); // once
    const r = await searchImages(env.stores, engine, lib, { image, filter: { tags: [], logic: 'and' }, window: { start: 0, end: 5 } });
    expect(r.result[0]).toMatchObject({ cont_sign: out.contSign, brief: 'indexed' });
    expect(r.result[0].score).toBeGreaterThan(0.999); // exact distance after refinement, not a quantised one
  }, 120_000);

  it('runs as a scheduled function over every library', async () => {
    const out = (await maintainHandler({} as never, lambdaContext())) as { results: Array<{ library: string; rows: number }>; failed: number };
    expect(out.failed).toBe(0);
    expect(out.results.find((x) => x.library === libraryTable(lib))).toMatchObject({ rows: N + 2 });
  });

  it('trains the index again once the table has grown to four times the rows it was trained on, and not before', async () => {
    const table = (await env.stores.vectors.open(libraryTable(lib)))!;
    const trained = N + 2;
    const grow = async (upTo: number) => {
      const have = await table.count();
      let s = upTo;
      const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 0x1_0000_0000) - 0.5;
      const rows = Array.from({ length: upTo - have }, (_, i) => {
        const v = Array.from({ length: engine.dimension }, rand);
        const n = Math.hypot(...v);
        return { id: `grown_${have + i}#full`, vector: v.map((x) => x / n), item: `grown_${have + i}`, part: 'full', tag_a: 0, tag_b: 0, class_1: 0, class_2: 0, added_at: Date.now() };
      });
      await table.upsert(rows);
    };
    const indexNames = async () => (await (await lancedb.connect(env.vectorsDir)).openTable(libraryTable(lib))).listIndices().then((l) => l.filter((i) => i.columns.includes('vector')).map((i) => i.name));
    expect(await indexNames()).toEqual([`vector_ivfpq_${Math.round(Math.sqrt(trained))}`]);
    await grow(3 * trained);
    expect((await maintainLibrary(env.stores, lib, { indexMinRows: N })).indexed).toBe(false);
    await grow(4 * trained + 10);
    const again = await maintainLibrary(env.stores, lib, { indexMinRows: N });
    expect(again.indexed).toBe(true);
    expect(await indexNames()).toEqual([`vector_ivfpq_${Math.round(Math.sqrt(again.rows))}`]);
    const image = await decoded(10);
    const r = await searchImages(env.stores, engine, lib, { image, filter: { tags: [], logic: 'and' }, window: { start: 0, end: 5 } });
    expect(r.result[0]).toMatchObject({ brief: 'indexed' });
    expect(r.result[0].score).toBeGreaterThan(0.999);
  }, 180_000);
});

describe("a part search (the same-image engine's bags of visual words)", () => {
  // Each image is stored as 'full' = its thumbnail vector T and 'key' = T reversed (another unit
  // vector); the query asks its reversed thumbnail both as an embedding vector and as the part
  // search of 'key'. Were 'key' rows to answer the embedding vectors, the query image's best
  // embedding row would be its own key row, at distance 0.
  const base = testEngine('same_hq');
  const seen: Array<{ embedded: Candidate[]; searched: Candidate[] | null }> = [];
  let askMore = true;
  const keyed: SearchEngine = {
    ...base,
    async describe(image) {
      const [full] = (await base.describe(image)).vectors;
      return { vectors: [full, { part: 'key', vector: [...full.vector].reverse() }], sidecar: Buffer.from('s') };
    },
    async describeQuery(image) {
      const r = [...(await base.describeQuery(image)).vectors[0].vector].reverse();
      return { vectors: [{ part: 'full', vector: r }], partSearch: { part: 'key', vectors: [r], images: 2 } };
    },
    async rank(_q, candidates, _load, more) {
      const searched = askMore && more ? await more() : null;
      seen.push({ embedded: candidates, searched });
      return [...candidates, ...(searched ?? [])].map((c) => ({ id: c.id, score: 1 - c.distance }));
    },
  };
  let lib: Library;
  const signs: string[] = [];

  beforeAll(async () => {
    const p = await env.project('part-search');
    lib = await createLibrary(env.stores.metadata, p.projectId, 'same_hq');
    for (let seed = 20; seed < 26; seed++) {
      signs.push((await addImage(env.stores, keyed, lib, { image: await decoded(seed), brief: `s${seed}`, labels: {} })).contSign);
      lib = await getLibrary(env.stores.metadata, lib.projectId, lib.kind);
    }
  }, 60_000);

  const searchCounting = () => {
    const calls: unknown[] = [];
    const stores: Stores = {
      ...env.stores,
      vectors: {
        ...env.stores.vectors,
        open: async (name: string) => {
          const t = await env.stores.vectors.open(name);
          return t && ({ ...t, search: (v: number[], o: Parameters<VectorTable['search']>[1]) => (calls.push(o.where), t.search(v, o)) } as VectorTable);
        },
      } as Stores['vectors'],
    };
    return { stores, calls };
  };
  const query = async (stores: Stores) => searchImages(stores, keyed, lib, { image: await decoded(22), filter: { tags: [], logic: 'and' }, window: { start: 0, end: 10 } });

  it("hands rank the part's nearest committed images as candidates of that part when it asks, and its rows answer nothing else", async () => {
    const { stores, calls } = searchCounting();
    await query(stores);
    expect(calls).toEqual([undefined, { eq: { part: 'key' } }]);
    const { embedded, searched } = seen.at(-1)!;
    const byPart = searched!;
    expect(byPart).toHaveLength(2);
    expect(byPart.every((c) => c.part === 'key')).toBe(true);
    expect(byPart[0].id).toBe(imageIdOf(signs[2]));
    expect(byPart[0].distance).toBeCloseTo(0, 5);
    expect(embedded.length).toBe(signs.length);
    for (const c of embedded) expect(c.part).toBe('full');
    // the query image's own full row is T, far from the reversed vector the query asked
    expect(embedded.find((c) => c.id === imageIdOf(signs[2]))!.distance).toBeGreaterThan(0.05);
  });

  it('does not run the part search when rank does not ask for it', async () => {
    askMore = false;
    try {
      const { stores, calls } = searchCounting();
      await query(stores);
      expect(calls).toEqual([undefined]);
      expect(seen.at(-1)!.searched).toBeNull();
    } finally {
      askMore = true;
    }
  });
});

describe("a query's next stage (the same-image engine's other views)", () => {
  // The first stage asks a vector far from the query image; the next stage asks the query image's own
  // thumbnail vector and a part search of 'mirror': computed and searched only when rank asks.
  const base = testEngine('similar');
  let nextCalls = 0;
  let askMore = true;
  const seen: Array<{ first: Candidate[]; later: Candidate[] | null }> = [];
  const staged: SearchEngine = {
    ...base,
    describe: (image) => base.describe(image),
    async describeQuery(image) {
      const [own] = (await base.describeQuery(image)).vectors;
      return {
        vectors: [{ part: 'full', vector: own.vector.map((x) => -x) }],
        next: async () => (nextCalls++, { vectors: [own], partSearch: { part: 'mirror', vectors: [own.vector], images: 1 } }),
      };
    },
    async rank(_q, candidates, _load, more) {
      const later = askMore && more ? await more() : null;
      seen.push({ first: candidates, later });
      return [...candidates, ...(later ?? [])].map((c) => ({ id: c.id, score: 1 - c.distance / 2 }));
    },
  };
  let lib: Library;
  const signs: string[] = [];

  beforeAll(async () => {
    const p = await env.project('next-stage');
    lib = await createLibrary(env.stores.metadata, p.projectId, 'similar');
    for (let seed = 30; seed < 34; seed++) {
      signs.push((await addImage(env.stores, staged, lib, { image: await decoded(seed), brief: `n${seed}`, labels: {} })).contSign);
      lib = await getLibrary(env.stores.metadata, lib.projectId, lib.kind);
    }
  }, 60_000);

  const query = async () => searchImages(env.stores, staged, lib, { image: await decoded(32), filter: { tags: [], logic: 'and' }, window: { start: 0, end: 10 } });

  it("hands rank the next stage's candidates, and its part search's, when it asks", async () => {
    const before = nextCalls;
    const r = await query();
    expect(nextCalls - before).toBe(1);
    const { first, later } = seen.at(-1)!;
    expect(first.find((c) => c.id === imageIdOf(signs[2]))!.distance).toBeGreaterThan(0.5);
    // the next stage's vectors find the query image itself; its part search answers from the 'mirror' rows alone
    const embedded = later!.filter((c) => c.part === 'full');
    expect(embedded[0].id).toBe(imageIdOf(signs[2]));
    expect(embedded[0].distance).toBeCloseTo(0, 5);
    expect(later!.filter((c) => c.part === 'mirror')).toHaveLength(1);
    expect(later!.every((c) => c.part === 'full' || c.part === 'mirror')).toBe(true);
    expect(r.result[0].cont_sign).toBe(signs[2]);
  });

  it('never computes the next stage when rank does not ask for it', async () => {
    askMore = false;
    try {
      const before = nextCalls;
      await query();
      expect(nextCalls).toBe(before);
      expect(seen.at(-1)!.later).toBeNull();
    } finally {
      askMore = true;
    }
  });
});

describe('bulk import (ingest/{project}/libraries/{kind}/…)', () => {
  let lib: Library;
  beforeAll(async () => {
    lib = await createLibrary(env.stores.metadata, project.projectId, 'same_hq');
  });
  const put = async (name: string, body: Buffer, metadata: Record<string, string>) => {
    const key = `ingest/${project.projectId}/libraries/${name}`;
    await env.stores.objects.put(key, body, { contentType: 'image/jpeg', metadata });
    return key;
  };
  const ingest = (key: string) => ingestRecord({ bucket: env.bucket, key }, importers, env.stores);

  it('adds an object with brief and tags from its metadata, and a redelivery adds nothing', async () => {
    const body = await testImage(70);
    const key = await put('same_hq/catalogue/70.jpg', body, { brief: '{"id":"70"}', tags: '3,4' });
    expect(await ingest(key)).toMatchObject({ status: 'done' });
    expect(await ingest(key)).toMatchObject({ status: 'duplicate' });
    const image = await intakeImage(body, imageLimits('same_hq', 'search'));
    const r = await searchImages(env.stores, testEngine('same_hq', { threshold: 0.9 }), lib, { image, filter: { tags: [3, 4], logic: 'and' }, window: { start: 0, end: 10 } });
    expect(r.result.map((x) => x.brief)).toEqual(['{"id":"70"}']);
    expect((await getLibrary(env.stores.metadata, project.projectId, 'same_hq')).count).toBe(1);
  });

  it('treats the same picture under another key as already imported', async () => {
    const key = await put('same_hq/copy-of-70.jpg', await testImage(70), { brief: 'copy' });
    expect(await ingest(key)).toMatchObject({ status: 'done' });
    const ledger = await env.stores.metadata.query({ pk: `INGEST#${key}` });
    expect(ledger.items[0].result).toMatchObject({ duplicate: true });
    expect((await getLibrary(env.stores.metadata, project.projectId, 'same_hq')).count).toBe(1);
  });

  it('accepts a non-ASCII brief in x-amz-meta-brief-base64', async () => {
    const key = await put('same_hq/71.jpg', await testImage(71), { 'brief-base64': Buffer.from('海报 71').toString('base64') });
    expect(await ingest(key)).toMatchObject({ status: 'done' });
    const image = await intakeImage(await testImage(71), imageLimits('same_hq', 'search'));
    const r = await searchImages(env.stores, testEngine('same_hq', { threshold: 0.9 }), lib, { image, filter: { tags: [], logic: 'and' }, window: { start: 0, end: 10 } });
    expect(r.result[0].brief).toBe('海报 71');
  });

  it('records failures where an operator can see them (no brief, bad tags, unprovisioned kind, unknown kind)', async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ['same_hq/72.jpg', {}, 'brief'],
      ['same_hq/73.jpg', { brief: 'x', tags: '0' }, 'tags'],
      ['product/74.jpg', { brief: 'x' }, 'not been created'],
      ['faces/75.jpg', { brief: 'x' }, 'kind'],
    ];
    for (const [name, meta, message] of cases) {
      const key = await put(name, await testImage(72, { width: 400, height: 400 }), meta);
      const outcome = await ingest(key);
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toContain(message);
      const [entry] = (await env.stores.metadata.query({ pk: keys.ingest(key, 'x').pk })).items;
      expect(entry.status).toBe('failed');
    }
    expect((await getLibrary(env.stores.metadata, project.projectId, 'same_hq')).count).toBe(2);
  });
});
