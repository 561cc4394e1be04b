/**
 * Concurrent writers against the real local stores: a losing or failing write never removes a
 * file that a committed write owns, and concurrent merges into one vector table — from several
 * processes — never store an id twice.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketDataset } from '../../support/datasets';
import { addSamples, deleteSamples, getSample, sampleIdOf } from '../../../lib/datasets/samples';
import { IMAGE_LIMITS as FACE_LIMITS } from '../../../lib/faces/contract';
import { createFaceSet, getFaceSet } from '../../../lib/faces/face-sets';
import { addFaces, searchFaces } from '../../../lib/faces/faces';
import { intakeImage } from '../../../lib/images';
import { imageLimits } from '../../../lib/search/contract';
import { addImage, searchImages } from '../../../lib/search/images';
import { createLibrary, getLibrary, libraryTable } from '../../../lib/search/library';
import { contSignOf, imageIdOf } from '../../../lib/search/params';
import { LanceVectorStore } from '../../../lib/store/lancedb';
import { libraryKeys } from '../../../lib/store/keys';
import type { Stores, VectorStore, VectorTable } from '../../../lib/store/ports';
import { faceModel } from '../../../lib/vision/face-model';
import { testEngine, testImage } from '../../support/search-test-engine';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
let projectId: string;

beforeAll(async () => {
  env = await startServices();
  ({ projectId } = await env.project('concurrency'));
});
afterAll(async () => {
  await env?.stop();
});

/** A promise with its resolver, to order two writers deterministically. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** The real stores, with every vector table's `upsert` replaced. */
function withUpsert(upsert: (t: VectorTable, rows: Parameters<VectorTable['upsert']>[0]) => Promise<void>): Stores {
  const wrap = (t: VectorTable | null) => t && (Object.assign(Object.create(Object.getPrototypeOf(t)), t, { upsert: (rows: never) => upsert(t, rows) }) as VectorTable);
  const vectors: VectorStore = {
    open: async (n) => wrap(await env.stores.vectors.open(n)),
    openOrCreate: async (n, r) => wrap(await env.stores.vectors.openOrCreate(n, r))!,
    drop: (n) => env.stores.vectors.drop(n),
    list: () => env.stores.vectors.list(),
    ping: () => env.stores.vectors.ping(),
  };
  return { ...env.stores, vectors };
}

describe('image search: a failing add of the same image never takes the committed one with it', () => {
  const engine = testEngine('same_hq', { threshold: 0.9 });

  it('keeps the winner whole when the loser fails after the winner committed', async () => {
    await createLibrary(env.stores.metadata, projectId, 'same_hq');
    const lib = await getLibrary(env.stores.metadata, projectId, 'same_hq');
    const image = await intakeImage(await testImage(1, { width: 96, height: 96 }), imageLimits('same_hq', 'add'));
    const committed = gate();
    // The loser passed the duplicate check before the winner committed; its vector write fails
    // once the winner is in (a LanceDB commit conflict, a timeout …).
    const loserStores = withUpsert(async () => {
      await committed.opened;
      throw new Error('vector store failure');
    });
    const loser = addImage(loserStores, engine, lib, { image, brief: 'loser', labels: {} });
    const winner = await addImage(env.stores, engine, lib, { image, brief: 'winner', labels: {} });
    committed.open();
    await expect(loser).rejects.toThrow('vector store failure');

    const item = (await env.stores.metadata.get(libraryKeys.image(projectId, 'same_hq', lib.generation, imageIdOf(winner.contSign))))!;
    expect(item.brief).toBe('winner');
    expect(await env.stores.objects.head(String(item.objectKey))).not.toBeNull();
    expect(await env.stores.objects.head(String(item.sidecarKey))).not.toBeNull();
    const hits = await searchImages(env.stores, engine, await getLibrary(env.stores.metadata, projectId, 'same_hq'), { image, filter: { tags: [], logic: 'and' }, window: { start: 0, end: 5 } });
    expect(hits.result.map((h) => h.brief)).toEqual(['winner']);
  });

  it('answers one add and 216681 for the rest of a burst of the same image, and keeps every file of the one', async () => {
    const lib = await getLibrary(env.stores.metadata, projectId, 'same_hq');
    const image = await intakeImage(await testImage(2, { width: 96, height: 96 }), imageLimits('same_hq', 'add'));
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => addImage(env.stores, engine, lib, { image, brief: `add-${i}`, labels: { tags: [i + 1] } }).then(() => 'ok', (e) => String(e.codes?.baidu))),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'ok').every((o) => o === '216681')).toBe(true);
    const imageId = imageIdOf(contSignOf(await image.rgb()));
    const item = (await env.stores.metadata.get(libraryKeys.image(projectId, 'same_hq', lib.generation, imageId)))!;
    expect(await env.stores.objects.head(String(item.objectKey))).not.toBeNull();
    expect(await env.stores.objects.head(String(item.sidecarKey))).not.toBeNull();
    const table = (await env.stores.vectors.open(libraryTable(lib)))!;
    // Only the winner's two rows remain (the losers removed their own), with the winner's tag.
    const rows = await table.scan({ where: { eq: { item: imageId } }, select: ['id', 'tag_a'] });
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => Number(r.tag_a) === (item.tags as number[])[0])).toBe(true);
    expect((await getLibrary(env.stores.metadata, projectId, 'same_hq')).count).toBe(2);
  });
});

describe('face sets: a failing add never removes the image of a committed one', () => {
  it('keeps the committed faces image when an add of the same photo fails while it commits', async () => {
    const demo = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');
    const portrait = await sharp(join(demo, 'sample1.jpg')).extract({ left: 180, top: 60, width: 420, height: 520 }).jpeg().toBuffer();
    const image = await intakeImage(portrait, FACE_LIMITS);
    const model = await faceModel();
    await createFaceSet(env.stores, { projectId, name: 'race' });
    // The winner's rows wait until the loser has failed and cleaned up after itself.
    const loserDone = gate();
    const winnerStores = withUpsert(async (t, rows) => {
      await loserDone.opened;
      await t.upsert(rows);
    });
    const loserStores = withUpsert(async () => {
      throw new Error('vector store failure');
    });
    const winner = addFaces(winnerStores, model, { projectId, name: 'race', image, externalImageId: 'a' });
    await expect(addFaces(loserStores, model, { projectId, name: 'race', image, externalImageId: 'b' })).rejects.toThrow('vector store failure');
    loserDone.open();
    const added = (await winner) as { faces: Array<{ face_id: string }> };
    const set = await getFaceSet(env.stores, projectId, 'race');
    const face = (await env.stores.metadata.get({ pk: `FACE#${projectId}#${set.faceSetId}`, sk: `FACE#${added.faces[0].face_id}` }))!;
    expect(await env.stores.objects.head(String(face.imageKey))).not.toBeNull();
    const found = (await searchFaces(env.stores, model, { projectId, name: 'race', image, topN: 5, threshold: 0 })) as { faces: Array<{ face_id: string }> };
    expect(found.faces.map((f) => f.face_id)).toEqual([added.faces[0].face_id]);
  });
});

describe('datasets: delete_source racing a re-upload of the same sample', () => {
  it('never leaves a committed sample without its object', async () => {
    const ds = await bucketDataset(env.stores.metadata, projectId, 'race');
    const v1 = await testImage(11, { width: 64, height: 64 });
    const v2 = await testImage(12, { width: 64, height: 64 });
    const sample = { name: 'x.jpg', data: v1.toString('base64') };
    expect((await addSamples(env.stores, ds, { samples: [sample] })).success).toBe(true);
    const path = `/bucket/out/race/dataset-${ds.datasetId}/samples/x.jpg`;
    const id = sampleIdOf(ds.datasetId, path);
    // The re-upload's commit is held back while the delete runs.
    const slowCommit: Stores = {
      ...env.stores,
      metadata: Object.assign(Object.create(Object.getPrototypeOf(env.stores.metadata)), env.stores.metadata, {
        transact: async (ops: never) => {
          await new Promise((r) => setTimeout(r, 400));
          return env.stores.metadata.transact(ops);
        },
      }),
    };
    const [up, del] = await Promise.all([
      addSamples(slowCommit, ds, { samples: [{ ...sample, data: v2.toString('base64') }] }),
      new Promise((r) => setTimeout(r, 100)).then(() => deleteSamples(env.stores, ds, [id], true)),
    ]);
    expect(up.success).toBe(true);
    expect(del.success).toBe(true);
    const after = await getSample(env.stores.metadata, ds.datasetId, id);
    const object = await env.stores.objects.get(`data/${projectId}${path}`);
    // Serialised either way round: both gone, or the re-upload stored whole.
    if (after) expect(object?.body.equals(v2)).toBe(true);
    else expect(object).toBeNull();
  });
});

describe('vector tables: concurrent merges of the same ids', () => {
  it('store every id once, from several processes at once', async () => {
    const uri = join(env.vectorsDir, 'multi');
    const store = new LanceVectorStore(uri);
    await store.openOrCreate('shared', [{ id: 'seed', vector: [0, 0, 0], writer: 0 }]);
    const tsx = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'cli.mjs');
    const writer = join(import.meta.dirname, '..', '..', 'support', 'lance-writer.ts');
    await Promise.all([1, 2, 3].map((w) => promisify(execFile)(process.execPath, [tsx, writer, uri, 'shared', String(w), '12'])));
    const table = (await new LanceVectorStore(uri).open('shared'))!;
    const ids = (await table.scan({ select: ['id'] })).map((r) => String(r.id));
    expect(ids.length).toBe(new Set(ids).size);
    expect(new Set(ids).size).toBe(30);
  });

  it('give a table made before the primary key existed one on open', async () => {
    const uri = join(env.vectorsDir, 'legacy');
    const lancedb = await import('@lancedb/lancedb');
    const db = await lancedb.connect(uri);
    await db.createTable('old', [{ id: 'a', vector: [1, 2], n: 1 }]);
    const table = (await new LanceVectorStore(uri).open('old'))!;
    await Promise.all(Array.from({ length: 8 }, (_, i) => table.upsert([{ id: 'b', vector: [i, i], n: i }])));
    expect(await table.count()).toBe(2);
  });
});
