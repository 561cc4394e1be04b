/**
 * Crash injection, per family: a write is killed after each of its store mutations in turn (no
 * undo can run: the stores refuse every call after the crash), then the real stores are checked
 * for "nothing visible" (or, once the commit went through, "all of it visible"), swept, and
 * checked for "nothing left behind and nothing lost": every object and vector row that remains
 * is named by a committed item, and every committed item still has all of its files.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketDataset } from '../../support/datasets';
import { addSamples, getSample, listSamples, sampleIdOf } from '../../../lib/datasets/samples';
import { sweepDataset } from '../../../lib/datasets/sweep';
import { createFaceSet, faceObjectPrefix, faceTableName, getFaceSet } from '../../../lib/faces/face-sets';
import { addFaces, faceOfRow } from '../../../lib/faces/faces';
import { sweepFaceSet } from '../../../lib/faces/sweep';
import { IMAGE_LIMITS as FACE_LIMITS } from '../../../lib/faces/contract';
import { intakeImage } from '../../../lib/images';
import { imageLimits } from '../../../lib/search/contract';
import { addImage, objectsOfItem, searchImages, writeOfRow } from '../../../lib/search/images';
import { createLibrary, getLibrary, libraryObjectPrefix, libraryTable, type Library } from '../../../lib/search/library';
import { contSignOf, imageIdOf } from '../../../lib/search/params';
import { sweepLibrary } from '../../../lib/search/sweep';
import { datasetKeys, faceSetKeys, libraryKeys } from '../../../lib/store/keys';
import { queryAll } from '../../../lib/store/query';
import { faceModel } from '../../../lib/vision/face-model';
import { sweepAll } from '../../../lib/upkeep/sweep';
import { Crash, crashingStores, everyCrashPoint as crashPoints, type CrashingStores } from '../../support/crash';
import { testEngine, testImage } from '../../support/search-test-engine';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
let projectId: string;
const LATER = () => ({ now: Date.now() + 60 * 60 * 1000 }); // past the sweep's grace period

beforeAll(async () => {
  env = await startServices();
  ({ projectId } = await env.project('crash'));
});
afterAll(async () => {
  await env?.stop();
});

/** Runs `write` against the real stores dying after 0, 1, 2, … mutations, until one run completes. */
const everyCrashPoint = (write: (stores: CrashingStores, attempt: number) => Promise<unknown>, check: (attempt: number, completed: boolean) => Promise<void>) =>
  crashPoints(env.stores, write, check);

describe('image search: an add killed after each step', () => {
  let lib: Library;
  const engine = testEngine('similar');
  beforeAll(async () => {
    lib = await createLibrary(env.stores.metadata, projectId, 'similar');
  });

  it('leaves nothing visible before its commit, nothing behind after the sweep, and loses nothing after it', async () => {
    const image = async (n: number) => intakeImage(await testImage(100 + n, { width: 96, height: 96 }), imageLimits('similar', 'add'));
    const committed = new Set<string>();
    const steps = await everyCrashPoint(
      async (stores, n) => addImage(stores, engine, await getLibrary(env.stores.metadata, projectId, 'similar'), { image: await image(n), brief: `b${n}`, labels: {} }),
      async (n, completed) => {
        const img = await image(n);
        const imageId = imageIdOf(contSignOf(await img.rgb()));
        const item = await env.stores.metadata.get(libraryKeys.image(projectId, 'similar', lib.generation, imageId));
        const hits = await searchImages(env.stores, engine, lib, { image: img, filter: { tags: [], logic: 'and' }, window: { start: 0, end: 1 } });
        const servedHere = hits.result.some((h) => imageIdOf(h.cont_sign) === imageId);
        // All or nothing: committed exactly when visible (search, item and count agree).
        expect(servedHere).toBe(!!item);
        if (completed) expect(item).not.toBeNull();
        if (item) committed.add(imageId);
        expect((await getLibrary(env.stores.metadata, projectId, 'similar')).count).toBe(committed.size);

        await sweepLibrary(env.stores, lib, LATER());
        const items = await queryAll(env.stores.metadata, { pk: libraryKeys.imagePartition(projectId, 'similar', lib.generation) });
        const named = new Set(items.flatMap(objectsOfItem));
        const objects = (await env.stores.objects.list(libraryObjectPrefix(lib))).map((o) => o.key);
        expect(new Set(objects)).toEqual(named);
        const table = await env.stores.vectors.open(libraryTable(lib));
        const rows = table ? await table.scan({ select: ['id', 'item'] }) : [];
        const liveWrites = new Map(items.map((i) => [String(i.imageId), String(i.writeId)]));
        for (const r of rows) expect(writeOfRow(String(r.id))).toBe(liveWrites.get(String(r.item)));
        expect(rows.length).toBe(items.length * 2); // two parts per committed image
      },
    );
    expect(steps).toBe(6); // object, sidecar, thumbnail, table, rows, commit
  });
});

describe('face sets: an add killed after each step', () => {
  let portrait: Buffer;
  beforeAll(async () => {
    const demo = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');
    portrait = await sharp(join(demo, 'sample1.jpg')).extract({ left: 180, top: 60, width: 420, height: 520 }).jpeg().toBuffer();
    await createFaceSet(env.stores, { projectId, name: 'crash' });
    await faceModel();
  });

  it('leaves nothing visible before its commit, nothing behind after the sweep, and loses nothing after it', async () => {
    const model = await faceModel();
    const image = await intakeImage(portrait, FACE_LIMITS);
    const steps = await everyCrashPoint(
      async (stores, n) => addFaces(stores, model, { projectId, name: 'crash', image, externalImageId: `try-${n}` }),
      async (n, completed) => {
        const set = await getFaceSet(env.stores, projectId, 'crash');
        const faces = await queryAll(env.stores.metadata, { pk: faceSetKeys.facePartition(projectId, set.faceSetId) });
        expect(set.faceNumber).toBe(faces.length);
        expect(faces.some((f) => f.externalImageId === `try-${n}`)).toBe(completed);

        await sweepFaceSet(env.stores, set, LATER());
        const objects = (await env.stores.objects.list(faceObjectPrefix(set))).map((o) => o.key);
        expect(new Set(objects)).toEqual(new Set(faces.map((f) => String(f.imageKey))));
        const rows = await (await env.stores.vectors.open(faceTableName(set)))!.scan({ select: ['id'] });
        const writes = new Map(faces.map((f) => [String(f.faceId), String(f.writeId)]));
        expect(rows.map((r) => faceOfRow(String(r.id))).every((r) => writes.get(r.faceId) === r.writeId)).toBe(true);
        expect(rows).toHaveLength(faces.length);
      },
    );
    expect(steps).toBe(4); // image, table, rows, commit
  });
});

describe('datasets: a sample add killed after each step', () => {
  it('leaves nothing visible before its commit, nothing behind after the sweep, and loses nothing after it', async () => {
    const ds = await bucketDataset(env.stores.metadata, projectId, 'crash', [{ name: 'cat' }]);
    const jpeg = await testImage(7, { width: 64, height: 64 });
    const steps = await everyCrashPoint(
      async (stores, n) => {
        const r = await addSamples(stores, ds, { samples: [{ name: `s${n}.jpg`, data: jpeg.toString('base64'), labels: [{ name: 'cat', type: 0 }] }] });
        // A batch answers per sample; a crashed sample is a failed result, not a thrown error.
        if (stores.crashed) throw new Crash();
        expect(r.success).toBe(true);
      },
      async (n, completed) => {
        const path = `/bucket/out/crash/dataset-${ds.datasetId}/samples/s${n}.jpg`;
        const sample = await getSample(env.stores.metadata, ds.datasetId, sampleIdOf(ds.datasetId, path));
        if (completed) expect(sample).not.toBeNull();
        const listed = await listSamples(env.stores.metadata, ds, { offset: 0, limit: 100, order: 'asc', lowScore: 0, highScore: 1, hardOnly: false });
        expect(listed.sample_count).toBe(listed.samples.length);

        await sweepDataset(env.stores, ds, LATER());
        const all = await queryAll(env.stores.metadata, { pk: datasetKeys.samplePartition(ds.datasetId), sk: { beginsWith: 'S#' } });
        const objects = (await env.stores.objects.list(`data/${projectId}/bucket/out/crash/`)).map((o) => o.key);
        expect(new Set(objects)).toEqual(new Set(all.map((i) => String(i.objectKey))));
        for (const i of all) expect((await env.stores.objects.get(String(i.objectKey)))?.body.equals(jpeg)).toBe(true);
      },
    );
    expect(steps).toBeGreaterThanOrEqual(3); // lease, object, commit (+ the lease's release)
  });
});

describe('the scheduled sweep', () => {
  it("finds every family's leftovers in every project, and resumes where a run stopped", async () => {
    const other = await env.project('crash-2');
    const lib = await createLibrary(env.stores.metadata, other.projectId, 'product');
    const ds = await bucketDataset(env.stores.metadata, other.projectId, 'left');
    const engine = testEngine('product');
    const image = await intakeImage(await testImage(500, { width: 320, height: 320 }), imageLimits('product', 'add'));
    // Writes killed after their first two steps, in both projects and all three families.
    const kill = async (fn: (s: ReturnType<typeof crashingStores>) => Promise<unknown>) => expect(fn(crashingStores(env.stores, 2))).rejects.toBeInstanceOf(Crash);
    await kill((s) => addImage(s, engine, lib, { image, brief: '', labels: {} }));
    const jpeg = (await testImage(501, { width: 64, height: 64 })).toString('base64');
    await kill((s) => addSamples(s, ds, { samples: [{ name: 'l.jpg', data: jpeg }] }));
    const model = await faceModel();
    const demo = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');
    const face = await intakeImage(await sharp(join(demo, 'sample1.jpg')).extract({ left: 180, top: 60, width: 420, height: 520 }).jpeg().toBuffer(), FACE_LIMITS);
    await kill((s) => addFaces(s, model, { projectId, name: 'crash', image: face, externalImageId: 'left' }));

    const stopped = await sweepAll(env.stores, { ...LATER(), deadline: Date.now() - 1 });
    expect(stopped).toMatchObject({ projects: 0, complete: false });
    const report = await sweepAll(env.stores, LATER());
    expect(report.complete).toBe(true);
    const what = report.removed.map((r) => `${r.projectId === projectId ? 'p1' : 'p2'} ${r.what.split(' ').slice(0, -1).join(' ') || r.what}`);
    expect(new Set(what)).toEqual(new Set(['p2 library', 'p2 dataset', 'p1 face set']));
    // And a second run finds nothing left.
    expect((await sweepAll(env.stores, LATER())).removed).toEqual([]);
  });
});
