/**
 * A deployment's own model folder (IRIS_EMBEDDER=file:…): a small TF.js model built here and
 * saved the way tensorflowjs' converter lays one out (model.json + a weight shard), with
 * iris-embedder.json beside it, loaded through getEmbedder and used by the similar engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { tfReady } from '../../../lib/vision/tf';
import { getEmbedder } from '../../../lib/vision/embedder';
import { EmbeddingEngine } from '../../../lib/search/engines/embedding';
import { MemoryLibrary } from '../../support/search-harness';

let dir: string;
let reference: (rgb: Uint8Array, size: number) => Promise<Float32Array>;

beforeAll(async () => {
  const tf = await tfReady();
  dir = mkdtempSync(join(tmpdir(), 'iris-file-embedder-'));
  // A tiny "image tower": conv → ReLU → global average pool → dense 16.
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 8, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ seed: 7 }) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 16, kernelInitializer: tf.initializers.randomNormal({ seed: 8 }) }),
    ],
  });
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      writeFileSync(join(dir, 'group1-shard1of1.bin'), Buffer.from(a.weightData as ArrayBuffer));
      writeFileSync(
        join(dir, 'model.json'),
        JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }] }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  writeFileSync(join(dir, 'iris-embedder.json'), JSON.stringify({ name: 'tiny-test-tower', inputSize: 32, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] }));
  reference = async (rgb, size) => {
    const y = tf.tidy(() => model.predict(tf.tensor4d(rgb, [1, size, size, 3], 'int32').toFloat().div(255).sub(0.5).div(0.25)) as ReturnType<typeof tf.zeros>);
    const v = (await y.data()) as Float32Array;
    y.dispose();
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function square(colour: { r: number; g: number; b: number }, size = 32): Promise<Uint8Array> {
  const img = sharp({ create: { width: size, height: size, channels: 3, background: colour } }).composite([
    { input: Buffer.from(`<svg width="${size}" height="${size}"><circle cx="${size / 2}" cy="${size / 2}" r="${size / 4}" fill="black"/></svg>`) },
  ]);
  return new Uint8Array(await img.removeAlpha().raw().toBuffer());
}

describe('file: embedder (a deployment model folder)', () => {
  it('loads the folder once, names and sizes itself from it, and gives the model\'s own normalised output', async () => {
    const e = await getEmbedder(`file:${dir}`);
    expect(e.name).toBe('tiny-test-tower');
    expect(e.inputSize).toBe(32);
    expect(e.dimension).toBe(16);
    expect(await getEmbedder(`file:${dir}`)).toBe(e);
    const px = await square({ r: 200, g: 40, b: 40 });
    const v = await e.embed({ data: px, width: 32, height: 32 });
    const want = await reference(px, 32);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    for (let i = 0; i < 16; i++) expect(v[i]).toBeCloseTo(want[i], 5);
  });

  it('fails with the path when the folder lacks its files (and does not cache the failure)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'iris-file-embedder-empty-'));
    try {
      await expect(getEmbedder(`file:${empty}`)).rejects.toThrow(/iris-embedder\.json/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('drives the similar engine: a library of its vectors ranks the same picture first', async () => {
    const e = await getEmbedder(`file:${dir}`);
    const engine = new EmbeddingEngine('similar', e, { subjects: false });
    expect(engine.dimension).toBe(16);
    const lib = new MemoryLibrary(engine);
    const colours = [{ r: 200, g: 40, b: 40 }, { r: 40, g: 200, b: 40 }, { r: 40, g: 40, b: 200 }, { r: 230, g: 230, b: 60 }];
    const png = async (c: (typeof colours)[number]) => sharp(Buffer.from(await square(c, 96)), { raw: { width: 96, height: 96, channels: 3 } }).png().toBuffer();
    for (const [i, c] of colours.entries()) await lib.add(`c${i}`, await png(c));
    const found = await lib.search(await png(colours[2]));
    expect(found[0].id).toBe('c2');
    expect(found[0].score).toBeGreaterThan(0.99);
  });
});
