/**
 * Same-image and picture-book engines on real photographs (test/support/photos.ts), through
 * an in-memory library that calls describe / describeQuery / rank the way the API does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { getEngine } from '../../../lib/search/engines';
import { HASH_PART, SAME_HQ, SAME_THRESHOLD, SameImageEngine as SameImageEngineClass, WORDS_PART, verificationPool, type SameImageEngine } from '../../../lib/search/engines/same-image';
import type { Candidate, Description, PartSearch } from '../../../lib/search/engine';
import { getEmbedder } from '../../../lib/vision/embedder';
import { EDITS, PHOTOMETRIC, edit } from '../../support/edits';
import { decodeFeatures } from '../../../lib/vision/local-features';
import { cvReady } from '../../../lib/vision/opencv';
import { photo, requirePhotos } from '../../support/photos';
import { MemoryLibrary, decode } from '../../support/search-harness';
import { TRANSFORMS, libraryCopy, transform } from '../../support/transforms';

const MEMBERS = ['garden', 'yellow-flower', 'dune', 'storm', 'people-1', 'dragonfly', 'wood', 'aitzgorri'];
/** Not in the library, but of the same kinds of scene (flowers, grass, people, mountains). */
const OUTSIDERS = ['fresh-flower', 'green-meadow', 'people-2', 'picos-de-europa'];

/** Counts the next stages and the part searches the engine asks for. */
class CountingLibrary extends MemoryLibrary {
  partSearches = 0;
  nextStages = 0;
  override partCandidates(search: PartSearch): Candidate[] {
    this.partSearches++;
    return super.partCandidates(search);
  }
  override later(description: Description): Promise<Candidate[]> {
    this.nextStages++;
    return super.later(description);
  }
}

const copies = new Map<string, Buffer>();
let library: MemoryLibrary;

beforeAll(async () => {
  requirePhotos([...MEMBERS, ...OUTSIDERS, 'people-3']);
  library = new MemoryLibrary(await getEngine('same_hq'));
  for (const name of [...MEMBERS, ...OUTSIDERS]) copies.set(name, await libraryCopy(photo(name).path, 960));
  for (const name of MEMBERS) await library.add(name, copies.get(name)!);
});

describe('same-image engine (same_hq)', () => {
  it('describes an image as whole, mirrored, grey, centre and corner views, a pHash row, a bag of visual words and a feature sidecar', async () => {
    const engine = await getEngine('same_hq');
    const d = await engine.describe(await decode(copies.get('dune')!));
    expect(d.vectors.map((v) => v.part)).toEqual(['full', 'mirror', 'grey', 'c70', 'tl', 'tr', 'bl', 'br', HASH_PART, WORDS_PART]);
    for (const v of d.vectors) {
      expect(v.vector).toHaveLength(engine.dimension);
      expect(Math.hypot(...v.vector)).toBeCloseTo(1, 4);
    }
    expect(decodeFeatures(d.sidecar!).features.points.length / 2).toBeGreaterThan(200);
    const again = await engine.describe(await decode(copies.get('dune')!));
    expect(again.vectors[0].vector).toEqual(d.vectors[0].vector);
  });

  it.each(TRANSFORMS)('finds the source photo first for a %s copy', { timeout: 180_000 }, async (t) => {
    for (const [i, name] of ['garden', 'storm', 'people-1'].entries()) {
      const found = await library.search(await transform(copies.get(name)!, t, i));
      expect(found[0]?.id, `${t} of ${name}`).toBe(name);
      expect(found[0].score).toBeGreaterThanOrEqual(SAME_THRESHOLD);
    }
  });

  it("embeds only the whole query first; its other views and its bags of words (whole and quadrants, searched among the stored bags only) are the next stage", async () => {
    const engine = await getEngine('same_hq');
    const q = await engine.describeQuery(await decode(await edit(copies.get('storm')!, 'collage', 0, OUTSIDERS.map((n) => copies.get(n)!))));
    expect(q.vectors.map((v) => v.part)).toEqual(['full']);
    expect(q.partSearch).toBeUndefined();
    const next = await q.next!();
    expect(next.vectors.map((v) => v.part)).toEqual(['c70', 'q-tl', 'q-tr', 'q-bl', 'q-br']);
    expect(next.partSearch?.part).toBe(WORDS_PART);
    expect(next.partSearch?.images).toBe(SAME_HQ.wordCandidates);
    expect(next.partSearch?.vectors).toHaveLength(5);
    for (const v of next.partSearch!.vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    expect(engine.ownParts).toEqual([HASH_PART, WORDS_PART]);
  });

  // The embedding candidates are switched off (verify 0): what is found comes from the bags alone.
  it("finds a picture pasted small into a collage from its bags of words alone", { timeout: 180_000 }, async () => {
    const wordsOnly = new CountingLibrary(new SameImageEngineClass('same_hq', await getEmbedder(), { ...SAME_HQ, verify: 0 }));
    const neither = new MemoryLibrary(new SameImageEngineClass('same_hq', await getEmbedder(), { ...SAME_HQ, verify: 0, wordCandidates: 0 }));
    for (const name of MEMBERS) {
      await wordsOnly.add(name, copies.get(name)!);
      await neither.add(name, copies.get(name)!);
    }
    const fillers = OUTSIDERS.map((n) => copies.get(n)!);
    for (const [i, name] of ['garden', 'storm', 'people-1', 'dune'].entries()) {
      const collage = await edit(copies.get(name)!, 'collage', i, fillers);
      const found = await wordsOnly.search(collage);
      expect(found.map((m) => m.id), `collage of ${name}`).toEqual([name]);
      expect(await neither.search(collage)).toEqual([]);
    }
    expect(wordsOnly.partSearches).toBe(4);
  });

  it('answers a plain crop from the whole view alone, and runs the next stage (other views, bags of words) only when no first-stage candidate is the same picture', { timeout: 120_000 }, async () => {
    const counting = new CountingLibrary(await getEngine('same_hq'));
    for (const name of MEMBERS) await counting.add(name, copies.get(name)!);
    for (const name of ['garden', 'storm']) {
      const found = await counting.search(await edit(copies.get(name)!, 'crop-65'));
      expect(found[0]?.id).toBe(name);
    }
    expect(counting.nextStages).toBe(0);
    expect(counting.partSearches).toBe(0);
    // a photo that is not in the library: every candidate fails, so the next stage and the bags are searched too
    expect(await counting.search(await edit(copies.get('fresh-flower')!, 'crop-65'))).toEqual([]);
    expect(counting.nextStages).toBe(1);
    expect(counting.partSearches).toBe(1);
  });

  it('finds a collage whose picture only the next stage brings among the candidates', { timeout: 120_000 }, async () => {
    const counting = new CountingLibrary(await getEngine('same_hq'));
    for (const name of MEMBERS) await counting.add(name, copies.get(name)!);
    const fillers = OUTSIDERS.map((n) => copies.get(n)!);
    let staged = 0;
    for (const [i, name] of ['garden', 'storm', 'people-1', 'dune'].entries()) {
      const before = counting.nextStages;
      const found = await counting.search(await edit(copies.get(name)!, 'collage', i, fillers));
      expect(found[0]?.id, `collage of ${name}`).toBe(name);
      staged += counting.nextStages - before;
    }
    // the whole collage's embedding is not the picture's: most of them need the quadrant views or the bags
    expect(staged).toBeGreaterThan(0);
  });

  it('verifies the nearest images by embedding first, then those only the bags of words found', () => {
    const c = (id: string, part: string, distance: number): Candidate => ({ id, part, distance });
    const candidates = [
      c('a', 'full', 0.3),
      c('a', 'c70', 0.1),
      c('b', 'mirror', 0.2),
      c('h', HASH_PART, 0.0),
      c('c', 'tl', 0.25),
      c('b', WORDS_PART, 0.5),
      c('w1', WORDS_PART, 0.7),
      c('w2', WORDS_PART, 0.6),
      c('w3', WORDS_PART, 0.8),
    ];
    const pool = verificationPool(candidates, { verify: 2, wordCandidates: 2 });
    expect(pool.map((p) => [p.id, p.part])).toEqual([
      ['a', 'c70'],
      ['b', 'mirror'],
      ['w2', WORDS_PART],
      ['w1', WORDS_PART],
    ]);
    expect(verificationPool(candidates, { verify: 3, wordCandidates: 0 }).map((p) => p.id)).toEqual(['a', 'b', 'c']);
  });

  it('answers light photometric copies from the pHash alone, and nothing for other photos', async () => {
    for (const name of ['garden', 'storm', 'people-1']) {
      for (const e of ['png', 'jpeg-q15', 'resize-0.4'] as const) {
        const exact = await library.exact(await decode(await edit(copies.get(name)!, e)));
        expect(exact?.[0]?.id, `${e} of ${name}`).toBe(name);
      }
    }
    for (const name of OUTSIDERS) expect(await library.exact(await decode(await edit(copies.get(name)!, 'png'))), name).toBeNull();
  });

  // Pins each edit class on three photos of the CI packages; the rates over many photos (and on
  // photos never tuned on) are measured by bench/same-image.ts, not asserted here.
  it.each(EDITS)('finds the source first, and only it, for the %s edit', { timeout: 180_000 }, async (e) => {
    for (const [i, name] of ['garden', 'storm', 'people-1'].entries()) {
      const fillers = OUTSIDERS.map((n) => copies.get(n)!);
      const found = await library.search(await edit(copies.get(name)!, e, i, fillers));
      expect(found[0]?.id, `${e} of ${name}`).toBe(name);
      expect(found.map((m) => m.id).filter((id) => id !== name), `${e} of ${name}`).toEqual([]);
      if (!PHOTOMETRIC.includes(e)) expect(found[0].region?.points, `${e} of ${name}`).toHaveLength(4);
    }
  });

  it('finds a PNG re-encoding and a small region of the original', async () => {
    const png = await sharp(copies.get('dragonfly')!).png().toBuffer();
    expect((await library.search(png))[0]?.id).toBe('dragonfly');
    const meta = await sharp(copies.get('wood')!).metadata();
    const region = await sharp(copies.get('wood')!)
      .extract({ left: Math.round(meta.width * 0.4), top: Math.round(meta.height * 0.3), width: Math.round(meta.width * 0.4), height: Math.round(meta.height * 0.45) })
      .toBuffer();
    expect((await library.search(region))[0]?.id).toBe('wood');
  });

  // rank stops verifying at the first candidate that fails after one that passed; copies of one
  // picture lie next to each other in the embedding space, so every copy is still returned.
  it('returns every stored copy of a picture for a crop, and what exhaustive verification returns', { timeout: 180_000 }, async () => {
    const engine = await getEngine('same_hq');
    const twice = new MemoryLibrary(engine);
    for (const name of MEMBERS) await twice.add(name, copies.get(name)!);
    await twice.add('dune-again', await sharp(copies.get('dune')!).jpeg({ quality: 80 }).toBuffer());
    for (const e of ['crop-65', 'mirror'] as const) {
      const query = await edit(copies.get('dune')!, e);
      const found = (await twice.search(query)).map((m) => m.id).sort();
      expect(found, e).toEqual(['dune', 'dune-again']);
      const q = await twice.prepareQuery(query);
      const all = await (engine as SameImageEngine).verifyAll(q, q.candidates, q.sidecar);
      expect(all.filter((m) => m.score >= SAME_THRESHOLD).map((m) => m.id).sort(), e).toEqual(found);
      expect(all.length, e).toBeGreaterThan(found.length);
    }
  });

  it('gives an exact copy a score near 1 and returns only that image', async () => {
    const found = await library.search(copies.get('aitzgorri')!);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ id: 'aitzgorri' });
    expect(found[0].score).toBeGreaterThan(0.9);
  });

  it('returns nothing for photos that are not in the library, even of the same kind of scene', { timeout: 240_000 }, async () => {
    for (const name of OUTSIDERS) {
      for (const t of ['resize-half', 'mirror', 'corner-50'] as const) {
        expect(await library.search(await transform(copies.get(name)!, t)), `${t} of ${name}`).toEqual([]);
      }
    }
  });
});

/** A picture-book page: a photo above a caption, as printed. */
async function page(name: string, caption: string): Promise<Buffer> {
  const pic = await sharp(photo(name).path).resize(760, 470, { fit: 'cover' }).toBuffer();
  const text = Buffer.from(
    `<svg width="800" height="600"><rect width="800" height="600" fill="#fbf6e9"/>` +
      `<text x="40" y="545" font-family="serif" font-size="34" fill="#222">${caption}</text></svg>`,
  );
  return sharp(text).composite([{ input: pic, left: 20, top: 20 }]).jpeg({ quality: 92 }).toBuffer();
}

/** A phone photo of a page: perspective, a glare spot, part of the page cut off, table around it. */
async function phonePhoto(pageBytes: Buffer): Promise<Buffer> {
  const { cv } = await cvReady();
  const { data, info } = await sharp(pageBytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const src = new cv.Mat(info.height, info.width, cv.CV_8UC3);
  src.data.set(data);
  const W = 900;
  const H = 700;
  const from = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, 800, 0, 800, 600, 0, 600]);
  const to = cv.matFromArray(4, 1, cv.CV_32FC2, [120, 60, 860, 110, 820, 690, 40, 640]);
  const m = cv.getPerspectiveTransform(from, to);
  const out = new cv.Mat();
  cv.warpPerspective(src, out, m, new cv.Size(W, H), cv.INTER_LINEAR, cv.BORDER_CONSTANT, new cv.Scalar(90, 70, 50, 255));
  const warped = Buffer.from(out.data);
  [src, from, to, m, out].forEach((x) => x.delete());
  // sharp composites after extract, so the overlay has the cropped size.
  const glare = Buffer.from(
    `<svg width="780" height="${H}"><defs><radialGradient id="g"><stop offset="0" stop-color="white" stop-opacity="0.9"/>` +
      `<stop offset="1" stop-color="white" stop-opacity="0"/></radialGradient></defs>` +
      `<ellipse cx="560" cy="260" rx="170" ry="120" fill="url(#g)"/></svg>`,
  );
  return sharp(warped, { raw: { width: W, height: H, channels: 3 } })
    .composite([{ input: glare, left: 0, top: 0 }])
    .extract({ left: 0, top: 0, width: 780, height: 700 })
    .jpeg({ quality: 80 })
    .toBuffer();
}

describe('picture-book engine', () => {
  let book: MemoryLibrary;
  const pages = ['dragonfly', 'garden', 'aitzgorri', 'people-3'];

  beforeAll(async () => {
    book = new MemoryLibrary(await getEngine('picturebook'));
    for (const [i, name] of pages.entries()) await book.add(name, await page(name, `Page ${i + 1}. Once upon a time …`));
  });

  it('recognises a page from a phone photo with perspective, glare and a cut-off edge', async () => {
    for (const [i, name] of pages.entries()) {
      const found = await book.search(await phonePhoto(await page(name, `Page ${i + 1}. Once upon a time …`)));
      expect(found[0]?.id, name).toBe(name);
    }
  });

  it('does not match a page of another book laid out the same way', async () => {
    const found = await book.search(await phonePhoto(await page('dune', 'Page 1. Once upon a time …')));
    expect(found).toEqual([]);
  });
});
