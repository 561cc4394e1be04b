/**
 * The write protocol (lib/store/write.ts) and its sweep (lib/store/sweep.ts) on the in-memory
 * stores: undo of an attempt that does not commit, the sweep's rules (dead and old enough goes,
 * young or committed stays), and two families' adds killed after every step (the integration
 * suite runs the same against the real emulators: test/integration/foundation/crash.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createDataset } from '../../../lib/datasets/datasets';
import { addSamples, getSample, sampleIdOf } from '../../../lib/datasets/samples';
import { sweepDataset } from '../../../lib/datasets/sweep';
import { intakeImage } from '../../../lib/images';
import { imageLimits } from '../../../lib/search/contract';
import { addImage, objectsOfItem, searchImages, writeOfRow } from '../../../lib/search/images';
import { createLibrary, getLibrary, libraryObjectPrefix, libraryTable } from '../../../lib/search/library';
import { sweepLibrary } from '../../../lib/search/sweep';
import { datasetKeys, libraryKeys } from '../../../lib/store/keys';
import { memoryStores } from '../../../lib/store/memory';
import { queryAll } from '../../../lib/store/query';
import { sweep, SWEEP_GRACE_MS } from '../../../lib/store/sweep';
import { newWriteId, runWrite } from '../../../lib/store/write';
import { Crash, everyCrashPoint } from '../../support/crash';
import { testEngine, testImage } from '../../support/search-test-engine';

const LATER = () => ({ now: Date.now() + 60 * 60 * 1000 }); // past the sweep's grace period
const row = (id: string) => ({ id, vector: [1, 0], item: id.split('#')[0] });

describe('one write attempt', () => {
  it('undoes its objects and rows when it throws or does not commit', async () => {
    const s = memoryStores();
    await expect(
      runWrite(s, {}, async (w) => {
        await w.putObject(`o/${w.id}`, Buffer.from('x'));
        await w.putRows('t', [row(`a#${w.id}`)]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await s.objects.list('o/')).toEqual([]);
    expect(await (await s.vectors.open('t'))!.count()).toBe(0);

    const result = await runWrite(s, {}, async (w) => {
      await w.putObject(`o/${w.id}`, Buffer.from('x'));
      await s.metadata.put({ pk: 'P', sk: 'taken' });
      return w.commit([{ put: { pk: 'P', sk: 'taken', writeId: w.id }, condition: { ifNotExists: true } }], { pk: 'P', sk: 'taken' });
    });
    expect(result).toBe(false);
    expect(await s.objects.list('o/')).toEqual([]);
  });

  it('keeps what it committed, and refuses keys and rows without its write id', async () => {
    const s = memoryStores();
    const key = await runWrite(s, {}, async (w) => {
      await w.putObject(`o/${w.id}`, Buffer.from('x'));
      await expect(w.putObject('o/plain', Buffer.from('x'))).rejects.toThrow(/write id/);
      await expect(w.putRows('t', [row('a#other')])).rejects.toThrow(/write id/);
      expect(await w.commit([{ put: { pk: 'P', sk: 'S', writeId: w.id } }], { pk: 'P', sk: 'S' })).toBe(true);
      return `o/${w.id}`;
    });
    expect((await s.objects.list('o/')).map((o) => o.key)).toEqual([key]);
  });

  it('does not start its commit past the deadline, and stores nothing', async () => {
    const s = memoryStores();
    const err = await runWrite(s, { deadline: Date.now() + 1000 }, async (w) => {
      await w.commit([{ put: { pk: 'P', sk: 'S', writeId: w.id } }], { pk: 'P', sk: 'S' });
    }).catch((e) => e);
    expect(err).toMatchObject({ kind: 'RATE_LIMIT', step: 'commit' });
    expect(await s.metadata.get({ pk: 'P', sk: 'S' })).toBeNull();
  });
});

describe('the sweep', () => {
  it('removes rows and objects no committed item names once they are old enough, and nothing else', async () => {
    const s = memoryStores();
    const now = Date.now();
    const old = newWriteId(now - SWEEP_GRACE_MS - 60_000);
    const young = newWriteId(now);
    const live = newWriteId(now - SWEEP_GRACE_MS - 60_000);
    await s.metadata.put({ pk: 'I', sk: 'live', writeId: live });
    const t = await s.vectors.openOrCreate('t', [row('x')]);
    await t.upsert([row(`dead#${old}`), row(`young#${young}`), row(`live#${live}`), row(`live#${old}`)]);
    for (const k of [`p/dead.${old}`, `p/young.${young}`, `p/live.${live}`, `p/live.${old}`]) await s.objects.put(k, Buffer.from(k));
    const writeOf = (id: string) => id.split(/[#.]/)[1];
    const result = await sweep(
      s,
      {
        table: { name: 't', columns: ['item'], owner: (r) => ({ pk: 'I', sk: String(r.item) }), alive: (r, item) => item.writeId === writeOf(String(r.id)), writeId: (r) => writeOf(String(r.id)) },
        objects: { prefix: 'p/', owner: (k) => ({ pk: 'I', sk: k.slice(2).split('.')[0] }), alive: (k, item) => item.writeId === writeOf(k) },
      },
      { now },
    );
    expect(result).toEqual({ rows: 2, objects: 2 });
    expect((await t.scan({ select: ['id'] })).map((r) => r.id).sort()).toEqual([`live#${live}`, `young#${young}`]);
    expect((await s.objects.list('p/')).map((o) => o.key).sort()).toEqual([`p/live.${live}`, `p/young.${young}`]);
  });
});

describe('adds killed after each step, on the in-memory stores', () => {
  it('image search: nothing visible before the commit, nothing behind after the sweep', async () => {
    const s = memoryStores();
    const engine = testEngine('similar');
    const lib = await createLibrary(s.metadata, 'p1', 'similar');
    const image = async (n: number) => intakeImage(await testImage(200 + n, { width: 96, height: 96 }), imageLimits('similar', 'add'));
    const steps = await everyCrashPoint(
      s,
      async (stores, n) => addImage(stores, engine, await getLibrary(s.metadata, 'p1', 'similar'), { image: await image(n), brief: `b${n}`, labels: {} }),
      async (n, completed) => {
        const hits = await searchImages(s, engine, lib, { image: await image(n), filter: { tags: [], logic: 'and' }, window: { start: 0, end: 1 } });
        expect(hits.result_num > 0).toBe(completed);
        await sweepLibrary(s, lib, LATER());
        const items = await queryAll(s.metadata, { pk: libraryKeys.imagePartition('p1', 'similar', lib.generation) });
        const named = new Set(items.flatMap(objectsOfItem));
        expect(new Set((await s.objects.list(libraryObjectPrefix(lib))).map((o) => o.key))).toEqual(named);
        const table = await s.vectors.open(libraryTable(lib));
        const rows = table ? await table.scan({ select: ['id', 'item'] }) : [];
        const writes = new Map(items.map((i) => [String(i.imageId), String(i.writeId)]));
        for (const r of rows) expect(writeOfRow(String(r.id))).toBe(writes.get(String(r.item)));
        expect(rows.length).toBe(items.length * 2);
      },
    );
    expect(steps).toBe(6); // object, sidecar, thumbnail, table, rows, commit
  });

  it('datasets: a sample is all there or not at all, and the sweep leaves only named objects', async () => {
    const s = memoryStores();
    const source = { data_type: 0, data_path: '/b/raw/' };
    const ds = await createDataset(s.metadata, 'p2', { dataset_name: 'mem', dataset_type: 1, data_sources: [source], work_path: '/b/work/' } as never);
    const data = (await testImage(9, { width: 64, height: 64 })).toString('base64');
    const pathOf = (n: number) => `/b/work/dataset-${ds.datasetId}/samples/n${n}.jpg`;
    const steps = await everyCrashPoint(
      s,
      async (stores, n) => {
        const { success } = await addSamples(stores, ds, { samples: [{ name: `n${n}.jpg`, data, sample_type: 0 }] });
        if (stores.crashed) throw new Crash(); // a crashed sample is a failed result, not a thrown error
        expect(success).toBe(true);
      },
      async (n, completed) => {
        // (a crash in the lease's release comes after the commit: then the sample is there too)
        if (completed) expect(await getSample(s.metadata, ds.datasetId, sampleIdOf(ds.datasetId, pathOf(n)))).not.toBeNull();
        await sweepDataset(s, ds, LATER());
        const named = (await queryAll(s.metadata, { pk: datasetKeys.samplePartition(ds.datasetId), sk: { beginsWith: 'S#' } })).map((i) => String(i.objectKey));
        expect((await s.objects.list('data/p2/')).map((o) => o.key).sort()).toEqual(named.sort());
      },
    );
    expect(steps).toBeGreaterThanOrEqual(3);
  });
});
