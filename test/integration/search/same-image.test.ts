/**
 * The same-image kind through its handlers with the real engine (pHash, MobileNetV2, ORB) and
 * the real local stores (dynalite, s3rver, LanceDB): the exact path answers from the pHash row,
 * only for committed writes, and every hit carries the region of the query in the stored image.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as addHandler } from '../../../functions/search/add/handler';
import { main as searchHandler } from '../../../functions/search/search/handler';
import { KIND_PATHS } from '../../../lib/search/contract';
import { getEngine } from '../../../lib/search/engines';
import { HASH_PART, SAME_HQ, SameImageEngine as SameImageEngineClass, WORDS_PART, hashVector, type SameImageEngine } from '../../../lib/search/engines/same-image';
import { getEmbedder } from '../../../lib/vision/embedder';
import { decode } from '../../support/search-harness';
import { createLibrary, getLibrary, libraryTable } from '../../../lib/search/library';
import { setEngineProvider } from '../../../lib/search/provider';
import { call } from '../../support/http';
import { photo, requirePhotos } from '../../support/photos';
import { edit } from '../../support/edits';
import { libraryCopy } from '../../support/transforms';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
let project: Awaited<ReturnType<TestServices['project']>>;
const copies = new Map<string, Buffer>();
const signs = new Map<string, string>();
const NAMES = ['garden', 'storm', 'dune'];
/** Never added: the other tiles of a collage. */
const FILLERS = ['aqua', 'blinds', 'fig'];

type Hit = { cont_sign: string; score: number; brief: string; region?: { points: Array<[number, number]>; width: number; height: number } };

async function baidu(op: 'add' | 'search', form: Record<string, string>) {
  const r = await call(op === 'add' ? addHandler : searchHandler, {
    path: `${KIND_PATHS.same_hq}/${op}`,
    query: { access_token: project.token },
    form,
    timeoutMs: 120_000,
  });
  expect(r.status).toBe(200);
  return r.body;
}

const search = async (bytes: Buffer): Promise<Hit[]> => {
  const body = await baidu('search', { image: bytes.toString('base64') });
  expect(body.error_code, JSON.stringify(body)).toBeUndefined();
  return body.result;
};

beforeAll(async () => {
  requirePhotos([...NAMES, ...FILLERS]);
  setEngineProvider();
  env = await startServices();
  project = await env.project('same-image');
  await createLibrary(env.stores.metadata, project.projectId, 'same_hq');
  for (const name of NAMES) {
    copies.set(name, await libraryCopy(photo(name).path, 960));
    const added = await baidu('add', { image: copies.get(name)!.toString('base64'), brief: name });
    expect(added.cont_sign).toBeTruthy();
    signs.set(name, added.cont_sign);
  }
}, 240_000);

afterAll(async () => {
  await env?.stop();
});

describe('same-image search (real engine, real stores)', () => {
  it.each([HASH_PART, WORDS_PART])('stores a %s row beside the part vectors, under the write id of the add', async (part) => {
    const lib = await getLibrary(env.stores.metadata, project.projectId, 'same_hq');
    const rows = await (await env.stores.vectors.open(libraryTable(lib)))!.scan({ where: { eq: { part } }, select: ['id', 'item', 'part'] });
    expect(rows).toHaveLength(NAMES.length);
    for (const r of rows) expect(String(r.id)).toMatch(new RegExp(`^${String(r.item)}#w[0-9a-z]{15}#${part}$`));
  });

  // With the embedding candidates switched off (verify 0), what the search finds comes from the
  // bags of visual words alone: the part search through the real vector table and the item join.
  it('finds a picture pasted into a collage through the bags of words, maps it to its quadrant, and never serves an uncommitted bag', { timeout: 180_000 }, async () => {
    const wordsOnly = new SameImageEngineClass('same_hq', await getEmbedder(), { ...SAME_HQ, verify: 0 });
    const lib = await getLibrary(env.stores.metadata, project.projectId, 'same_hq');
    const table = (await env.stores.vectors.open(libraryTable(lib)))!;
    // Adds of garden that died before their commit: its bag under other image and write ids, as
    // many as the bags' candidates, so that serving them would leave no place for garden.
    const bag = (await wordsOnly.describe(await decode(copies.get('garden')!))).vectors.find((v) => v.part === WORDS_PART)!.vector;
    const orphans = Array.from({ length: SAME_HQ.wordCandidates }, (_, i) => `fffffffffffff00${i}`);
    await table.upsert(
      orphans.map((item, i) => ({ id: `${item}#w000000000zzzzz${i}#${WORDS_PART}`, item, part: WORDS_PART, vector: bag, tag_a: 0, tag_b: 0, class_1: 0, class_2: 0, added_at: Date.now() })),
    );
    setEngineProvider(async (kind) => (kind === 'same_hq' ? wordsOnly : getEngine(kind)));
    try {
      const fillers = await Promise.all(FILLERS.map((n) => libraryCopy(photo(n).path, 480)));
      // variant 0 puts the picture at half size in the top-left quadrant
      const collage = await edit(copies.get('garden')!, 'collage', 0, fillers);
      const found = await search(collage);
      expect(found.map((h) => h.cont_sign)).toEqual([signs.get('garden')]);
      const { width, height, points } = found[0].region!;
      const expected = [
        [0, 0],
        [2 * width, 0],
        [2 * width, 2 * height],
        [0, 2 * height],
      ];
      // The collage's far corners lie two picture sizes out, where the fit's small errors double.
      points.forEach(([x, y], i) => {
        expect(Math.abs(x - expected[i][0]), `corner ${i} x`).toBeLessThan(width * 0.1);
        expect(Math.abs(y - expected[i][1]), `corner ${i} y`).toBeLessThan(height * 0.1);
      });
    } finally {
      setEngineProvider();
    }
  });

  it('answers a re-encoded copy from the exact path with the whole stored image as its region', async () => {
    const png = await edit(copies.get('storm')!, 'png');
    const found = await search(png);
    expect(found).toHaveLength(1);
    const { width, height } = await sharp(copies.get('storm')!).metadata();
    expect(found[0]).toMatchObject({ cont_sign: signs.get('storm'), brief: 'storm' });
    expect(found[0].score).toBeGreaterThan(0.9);
    expect(found[0].region).toEqual({ points: [[0, 0], [width, 0], [width, height], [0, height]], width, height });
  });

  it('maps the outline of a crop onto the part of the stored image it shows', async () => {
    const source = copies.get('garden')!;
    const { width, height } = await sharp(source).metadata();
    const rect = { left: Math.round(width * 0.3), top: Math.round(height * 0.2), width: Math.round(width * 0.5), height: Math.round(height * 0.55) };
    const crop = await sharp(source).extract(rect).jpeg({ quality: 85 }).toBuffer();
    const found = await search(crop);
    expect(found[0]?.cont_sign).toBe(signs.get('garden'));
    const expected = [
      [rect.left, rect.top],
      [rect.left + rect.width, rect.top],
      [rect.left + rect.width, rect.top + rect.height],
      [rect.left, rect.top + rect.height],
    ];
    expect(found[0].region).toMatchObject({ width, height });
    found[0].region!.points.forEach(([x, y], i) => {
      expect(Math.abs(x - expected[i][0]), `corner ${i} x`).toBeLessThan(width * 0.03);
      expect(Math.abs(y - expected[i][1]), `corner ${i} y`).toBeLessThan(height * 0.03);
    });
  });

  it("maps a mirrored copy's top-left corner to the stored image's top-right", async () => {
    const found = await search(await edit(copies.get('dune')!, 'mirror'));
    expect(found[0]?.cont_sign).toBe(signs.get('dune'));
    const { width, height } = found[0].region!;
    const [tl, tr] = found[0].region!.points;
    expect(Math.abs(tl[0] - width)).toBeLessThan(width * 0.03);
    expect(Math.abs(tl[1])).toBeLessThan(height * 0.03);
    expect(Math.abs(tr[0])).toBeLessThan(width * 0.03);
  });

  it('does not serve a pHash row whose image was never committed', async () => {
    // A row as an add that died before its commit leaves it: same image id shape, another write id.
    const lib = await getLibrary(env.stores.metadata, project.projectId, 'same_hq');
    const table = (await env.stores.vectors.open(libraryTable(lib)))!;
    const name = 'dune';
    const engine = (await getEngine('same_hq')) as SameImageEngine;
    const hash = await engine.queryHash(await decode(copies.get(name)!));
    const orphanItem = 'ffffffffffffffff';
    await table.upsert([
      { id: `${orphanItem}#w000000000zzzzzz#${HASH_PART}`, item: orphanItem, part: HASH_PART, vector: hashVector(hash, engine.dimension), tag_a: 0, tag_b: 0, class_1: 0, class_2: 0, added_at: Date.now() },
    ]);
    expect(await table.count({ eq: { item: orphanItem } })).toBe(1);
    const found = await search(await edit(copies.get(name)!, 'png'));
    expect(found.map((h) => h.cont_sign)).toEqual([signs.get(name)]);
  });
});
