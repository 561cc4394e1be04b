/**
 * Ranking engines (similar, product, materiel) and the embedder on real photographs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { getEngine, SIMILAR_EMBEDDER } from '../../../lib/search/engines';
import { CLASS_PROFILE, EmbeddingEngine, SAME_ITEM, SAME_ITEM_SCORE, SIDECAR_BATCH, classProfileFor, profileCosine } from '../../../lib/search/engines/embedding';
import { LEGACY_SIMILAR_EMBEDDER } from '../../../lib/search/embedders';
import { centerNet } from '../../../lib/vision/detector';
import { decodeFeatures, featureCount } from '../../../lib/vision/local-features';
import { getEmbedder } from '../../../lib/vision/embedder';
import { WORDS_PART, type SearchEngine } from '../../../lib/search/engine';
import { photo, requirePhotos } from '../../support/photos';
import { MemoryLibrary, decode } from '../../support/search-harness';
import { libraryCopy } from '../../support/transforms';

const LIBRARY = ['garden', 'yellow-flower', 'fresh-flower', 'dune', 'aitzgorri', 'picos-de-europa', 'people-1', 'people-2', 'people-3', 'wood'];
const copies = new Map<string, Buffer>();

beforeAll(async () => {
  requirePhotos([...LIBRARY, 'seeding', 'people-4', 'life']);
  for (const name of [...LIBRARY, 'seeding', 'people-4', 'life']) copies.set(name, await libraryCopy(photo(name).path, 640));
});

describe('embedder (IRIS_EMBEDDER)', () => {
  it('defaults to MobileNetV2: 1280-d, unit length, deterministic', async () => {
    const e = await getEmbedder();
    expect(e.name).toBe('mobilenetv2');
    const img = await decode(copies.get('dune')!);
    const a = await e.embed(await img.rgb({ width: 224, height: 224, fit: 'fill' }));
    const b = (await e.embedBatch([await img.rgb({ width: 224, height: 224, fit: 'fill' })]))[0];
    expect(a).toHaveLength(1280);
    expect(Math.hypot(...a)).toBeCloseTo(1, 4);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 4);
  });

  it('gives the similar engines InceptionV3 mixed7 on 256 px views, GeM-pooled: 768-d, unit length, non-negative, one picture as in a batch', async () => {
    const e = await getEmbedder(SIMILAR_EMBEDDER);
    expect(e).toMatchObject({ name: 'inceptionv3-gem-256', dimension: 768, inputSize: 256 });
    const img = await decode(copies.get('dune')!);
    const one = await img.rgb({ width: 256, height: 256, fit: 'fill' });
    const other = await (await decode(copies.get('wood')!)).rgb({ width: 256, height: 256, fit: 'fill' });
    const a = await e.embed(one);
    const [b, c] = await e.embedBatch([one, other]);
    expect(a).toHaveLength(768);
    expect(Math.hypot(...a)).toBeCloseTo(1, 4);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 4);
    // Two different photographs are not the same vector.
    let cos = 0;
    for (let i = 0; i < a.length; i++) cos += a[i] * c[i];
    expect(cos).toBeLessThan(0.95);
  });

  it('keeps InceptionV3 on 299 px views under its first name, a model of its own', async () => {
    const e = await getEmbedder('inceptionv3-gem');
    expect(e).toMatchObject({ name: 'inceptionv3-gem', dimension: 768, inputSize: 299 });
    const img = await decode(copies.get('dune')!);
    const at299 = await e.embed(await img.rgb({ width: 299, height: 299, fit: 'fill' }));
    const at256 = await (await getEmbedder(SIMILAR_EMBEDDER)).embed(await img.rgb({ width: 256, height: 256, fit: 'fill' }));
    // The same picture at two input sides: near, not equal (a library keeps one side: lib/search/embedders.ts).
    let cos = 0;
    for (let i = 0; i < at299.length; i++) cos += at299[i] * at256[i];
    expect(cos).toBeGreaterThan(0.8);
    expect(cos).toBeLessThan(0.9999);
  });

  it('rejects an unknown embedder name', () => {
    expect(() => getEmbedder('clip-nonexistent')).toThrow(/not a known embedder/);
  });
});

async function libraryOf(engine: SearchEngine): Promise<MemoryLibrary> {
  const lib = new MemoryLibrary(engine);
  for (const name of LIBRARY) await lib.add(name, copies.get(name)!);
  return lib;
}

describe.each(['similar', 'product'] as const)('%s engine', (kind) => {
  let lib: MemoryLibrary;
  beforeAll(async () => {
    lib = await libraryOf(await getEngine(kind));
  });

  it('ranks every stored image, best first, with scores in [0, 1]', async () => {
    const found = await lib.search(copies.get('seeding')!);
    expect(found).toHaveLength(LIBRARY.length);
    for (let i = 1; i < found.length; i++) expect(found[i - 1].score).toBeGreaterThanOrEqual(found[i].score);
    for (const m of found) {
      expect(m.score).toBeGreaterThanOrEqual(0);
      expect(m.score).toBeLessThanOrEqual(1);
    }
  });

  it('puts a near-copy first with a score near 1', async () => {
    const copy = await sharp(copies.get('wood')!).resize(400).jpeg({ quality: 50 }).toBuffer();
    const found = await lib.search(copy);
    expect(found[0].id).toBe('wood');
    expect(found[0].score).toBeGreaterThan(0.9);
  });

  it('ranks photos of the same kind of scene above unrelated ones', async () => {
    const people = await lib.search(copies.get('people-4')!);
    // Group photos of people: at least two of the three in the library come in the top three.
    expect(people.slice(0, 3).filter((m) => m.id.startsWith('people-')).length).toBeGreaterThanOrEqual(2);
    const mountains = await lib.search(copies.get('life')!);
    const rank = (id: string) => mountains.findIndex((m) => m.id === id);
    expect(Math.min(rank('aitzgorri'), rank('picos-de-europa'))).toBeLessThan(rank('people-1'));
  });
});

describe('materiel engine', () => {
  it('describes colour and texture beside the embedding in one unit vector', async () => {
    const engine = await getEngine('materiel');
    const d = await engine.describe(await decode(copies.get('wood')!));
    expect(d.vectors).toHaveLength(1);
    expect(d.vectors[0].vector).toHaveLength(engine.dimension);
    expect(engine.dimension).toBeGreaterThan(1280);
    expect(Math.hypot(...d.vectors[0].vector)).toBeCloseTo(1, 4);
  });

  it('weighs colour more than the similar engine does', async () => {
    const recoloured = await sharp(copies.get('wood')!).modulate({ hue: 150, saturation: 1.3 }).jpeg().toBuffer();
    const scoreOf = async (kind: 'similar' | 'materiel') => {
      const lib = new MemoryLibrary(await getEngine(kind));
      await lib.add('wood', copies.get('wood')!);
      return (await lib.search(recoloured))[0].score;
    };
    const similar = await scoreOf('similar');
    const materiel = await scoreOf('materiel');
    expect(materiel).toBeLessThan(similar - 0.05);
  });
});

/** A "product": a photo cut to a disc, on transparency. */
async function disc(name: string, side: number): Promise<Buffer> {
  const mask = Buffer.from(`<svg width="${side}" height="${side}"><circle cx="${side / 2}" cy="${side / 2}" r="${side / 2}" fill="#fff"/></svg>`);
  return sharp(await sharp(photo(name).path).resize(side, side, { fit: 'cover' }).toBuffer())
    .ensureAlpha()
    .composite([{ input: mask, blend: 'dest-in' }])
    .png()
    .toBuffer();
}

/** The catalogue picture: the product centred on white. */
async function onWhite(name: string): Promise<Buffer> {
  return sharp({ create: { width: 600, height: 500, channels: 3, background: '#ffffff' } })
    .composite([{ input: await disc(name, 300), left: 150, top: 100 }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A shopper's photo: the product smaller, turned by 8°, on another photo. */
async function inScene(name: string, scene: string): Promise<Buffer> {
  const turned = await sharp(await disc(name, 220)).rotate(8, { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer();
  const background = await sharp(photo(scene).path).resize(640, 480, { fit: 'cover' }).toBuffer();
  return sharp(background).composite([{ input: turned, left: 330, top: 150 }]).jpeg({ quality: 85 }).toBuffer();
}

describe('same-item check (similar, product)', () => {
  const PRODUCTS = ['yellow-flower', 'garden', 'aitzgorri', 'people-1', 'dune', 'fresh-flower'];
  let engine: EmbeddingEngine;
  let lib: MemoryLibrary;
  beforeAll(async () => {
    requirePhotos([...PRODUCTS, 'wood', 'picos-de-europa', 'seeding']);
    engine = (await getEngine('similar')) as EmbeddingEngine;
    lib = new MemoryLibrary(engine);
    for (const name of PRODUCTS.slice(0, 5)) await lib.add(name, await onWhite(name));
  });

  it('stores the keypoints of every added picture', async () => {
    const d = await engine.describe(await decode(await onWhite('garden')));
    expect(d.sidecar).toBeDefined();
    expect(featureCount(decodeFeatures(d.sidecar!).features)).toBeGreaterThan(100);
  });

  it.each([
    ['yellow-flower', 'wood'],
    ['garden', 'picos-de-europa'],
    ['people-1', 'seeding'],
  ])('puts the photographed product (%s on %s) first, scored as the same item, and nothing else', async (name, scene) => {
    const found = await lib.search(await inScene(name, scene));
    expect(found[0].id).toBe(name);
    expect(found[0].score).toBeGreaterThanOrEqual(SAME_ITEM_SCORE);
    for (const m of found.slice(1)) expect(m.score).toBeLessThan(SAME_ITEM_SCORE);
  });

  it('verifies nothing when the product is not in the library', async () => {
    const found = await lib.search(await inScene('fresh-flower', 'wood'));
    expect(found).toHaveLength(5);
    for (const m of found) expect(m.score).toBeLessThan(SAME_ITEM_SCORE);
  });

  it('reads candidate sidecars a few at a time: a fully verified candidate ends the reads', async () => {
    // 25 more candidates behind the five stored products (no sidecar): 30 to check in all.
    const padded = async (name: string, scene: string) => {
      const query = await lib.prepareQuery(await inScene(name, scene));
      const worst = Math.max(...query.candidates.map((c) => c.distance));
      const extra = Array.from({ length: 25 }, (_, i) => ({ id: `absent-${i}`, part: 'detected', distance: Math.min(2, worst + 0.01 * (i + 1)) }));
      const asked: string[] = [];
      const load = async (id: string) => (asked.push(id), query.sidecar(id));
      return { ranked: await engine.rank(query, [...query.candidates, ...extra], load), asked };
    };
    const found = await padded('garden', 'picos-de-europa');
    expect(found.ranked[0]).toMatchObject({ id: 'garden', score: 1 });
    expect(found.asked.length).toBeLessThanOrEqual(2 * SIDECAR_BATCH);
    // Nothing verifies fully: every candidate's sidecar is read, none twice.
    const absent = await padded('fresh-flower', 'wood');
    expect(absent.asked).toHaveLength(30);
    expect(new Set(absent.asked).size).toBe(30);
  });

  it('stores the bag of visual words of those keypoints as a row that answers only the word search', async () => {
    const d = await engine.describe(await decode(await onWhite('garden')));
    expect(d.vectors.map((v) => v.part)).toEqual(['detected', 'foreground', WORDS_PART]);
    expect(engine.ownParts).toEqual([WORDS_PART]);
    const q = await engine.describeQuery(await decode(await inScene('garden', 'picos-de-europa')));
    expect(q.vectors.map((v) => v.part)).toEqual(['detected', 'foreground']);
    // The whole picture's bag and the subject crop's, searched among the stored bags only.
    expect(q.partSearch).toMatchObject({ part: WORDS_PART, images: SAME_ITEM.wordCandidates });
    expect(q.partSearch!.vectors).toHaveLength(2);
    for (const bag of q.partSearch!.vectors) expect(Math.hypot(...bag)).toBeCloseTo(1, 5);
  });

  it('matches the nearest by words when none of the nearest by embedding is the item, and only then', async () => {
    const query = await lib.prepareQuery(await inScene('garden', 'picos-de-europa'));
    // The product far by embedding: 30 nearer candidates that are not it (no sidecar).
    const decoys = Array.from({ length: 30 }, (_, i) => ({ id: `absent-${i}`, part: 'detected', distance: 0.01 * (i + 1) }));
    let asked = 0;
    const more = async () => (asked++, query.more!());
    expect((await query.more!()).some((c) => c.id === 'garden' && c.part === WORDS_PART)).toBe(true);
    const found = await engine.rank(query, decoys, query.sidecar, more);
    expect(asked).toBe(1);
    expect(found[0]).toMatchObject({ id: 'garden' });
    expect(found[0].score).toBeGreaterThanOrEqual(SAME_ITEM_SCORE);
    expect(found.slice(1).map((m) => m.id)).toEqual(decoys.map((d) => d.id));
    // Without the word search the product is not in the answer at all.
    expect((await engine.rank(query, decoys, query.sidecar)).map((m) => m.id)).not.toContain('garden');
    // Among the nearest by embedding it verifies, and the word search is not run.
    asked = 0;
    expect((await engine.rank(query, query.first, query.sidecar, more))[0].id).toBe('garden');
    expect(asked).toBe(0);
  });

  it('ranks by embedding alone, scaled below the same-item scores, when no sidecar can be read', async () => {
    const query = await lib.prepareQuery(await inScene('garden', 'picos-de-europa'));
    const plain = await new EmbeddingEngine('similar', await getEmbedder(SIMILAR_EMBEDDER), { subjects: true, detector: centerNet, classProfile: classProfileFor(SIMILAR_EMBEDDER) }).rank(query, query.candidates);
    for (const load of [async () => null, async () => Buffer.from('damaged sidecar'), async () => Promise.reject(new Error('S3 down'))]) {
      const ranked = await engine.rank(query, query.candidates, load);
      expect(ranked.map((m) => m.id)).toEqual(plain.map((m) => m.id));
      ranked.forEach((m, i) => expect(m.score).toBeCloseTo(SAME_ITEM_SCORE * plain[i].score, 6));
    }
  });
});

describe('class profile (similar, product)', () => {
  let engine: EmbeddingEngine;
  beforeAll(async () => {
    // The embedder whose engine blends the profile in (CLASS_PROFILE).
    engine = (await getEngine('similar', LEGACY_SIMILAR_EMBEDDER)) as EmbeddingEngine;
  });

  it('is stored, but weighs nothing, with InceptionV3 (classProfileFor)', async () => {
    expect(classProfileFor(SIMILAR_EMBEDDER).weight).toBe(0);
    expect(classProfileFor('inceptionv3-gem').weight).toBe(0);
    expect(classProfileFor('inceptionv3-gem-224').weight).toBe(0);
    expect(classProfileFor(LEGACY_SIMILAR_EMBEDDER)).toBe(CLASS_PROFILE);
    const shipped = await getEngine('similar');
    const image = await decode(copies.get('people-4')!);
    const description = await shipped.describeQuery(image);
    expect(description.profile).toHaveLength(80);
    const other = description.profile!.map((_, k) => (k === 79 ? 1 : 0));
    const ranked = await shipped.rank({ image, description }, [
      { id: 'unlike', distance: 0.29, part: 'detected', profile: other },
      { id: 'alike', distance: 0.3, part: 'detected', profile: description.profile! },
    ], async () => null);
    expect(ranked.map((m) => m.id)).toEqual(['unlike', 'alike']);
    expect(ranked[1].score).toBeCloseTo(SAME_ITEM_SCORE * 0.7, 6);
  });

  it('describes the subject by 80 COCO class scores, from the detector pass that found it', async () => {
    const d = await engine.describe(await decode(copies.get('people-2')!));
    expect(d.profile).toHaveLength(80);
    for (const v of d.profile!) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThanOrEqual(1);
    // A photograph of a person: COCO class 0 (person) is the strongest.
    expect(d.profile!.indexOf(Math.max(...d.profile!))).toBe(0);
    // Its blend weight in the ranking is the profiles' cosine: 1 for the same profile.
    expect(profileCosine(d.profile!, d.profile!)).toBeCloseTo(1, 6);
  });

  it('describes a subject the caller names: its box, one embedding for both views, its class profile', async () => {
    const image = await decode(copies.get('people-2')!);
    const box = { left: 10, top: 20, width: Math.round(image.width / 2), height: Math.round(image.height / 2) };
    const d = await engine.describeQuery(image, { subject: box });
    expect(d.subject).toEqual(box);
    expect(d.vectors.map((v) => v.part)).toEqual(['detected', 'foreground']);
    expect(d.vectors[1].vector).toEqual(d.vectors[0].vector);
    expect(d.profile).toHaveLength(80);
    // Another box of the same picture is another query.
    const other = await engine.describeQuery(image, { subject: { ...box, left: image.width - box.width } });
    expect(other.vectors[0].vector).not.toEqual(d.vectors[0].vector);
    expect(other.profile).not.toEqual(d.profile);
  });

  it('blends the profiles into the ranking: at equal distance the item of the same kind comes first', async () => {
    const image = await decode(copies.get('people-4')!);
    const description = await engine.describeQuery(image);
    const qp = description.profile!;
    const other = qp.map((_, k) => (k === 79 ? 1 : 0));
    const candidates = [
      { id: 'unlike', distance: 0.3, part: 'detected', profile: other },
      { id: 'alike', distance: 0.3, part: 'detected', profile: qp },
      { id: 'old', distance: 0.3, part: 'detected' },
    ];
    const ranked = await engine.rank({ image, description }, candidates);
    expect(ranked.map((m) => m.id)).toEqual(['alike', 'old', 'unlike']);
    const w = CLASS_PROFILE.weight;
    expect(ranked[0].score).toBeCloseTo(SAME_ITEM_SCORE * ((1 - w) * 0.7 + w), 6);
    // An image stored before profiles keeps its embedding score.
    expect(ranked[1].score).toBeCloseTo(SAME_ITEM_SCORE * 0.7, 6);
    // A query without a profile ranks by the embedding alone.
    const plain = await engine.rank({ image, description: { ...description, profile: undefined } }, candidates);
    for (const m of plain) expect(m.score).toBeCloseTo(SAME_ITEM_SCORE * 0.7, 6);
  });
});
