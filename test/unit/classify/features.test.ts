import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { featureDim, featureName, featureOf, layoutWeight } from '../../../lib/classify/features';
import { intakeImage } from '../../../lib/images';
import type { Embedder } from '../../../lib/vision/embedding';

// A stand-in embedder: its output is fixed, so the test sees only the histogram part.
const fake: Embedder = {
  name: 'fake',
  dimension: 4,
  inputSize: 16,
  embed: async () => new Float32Array([1, 0, 0, 0]),
  embedBatch: async (xs) => xs.map(() => new Float32Array([1, 0, 0, 0])),
};

const red = async () =>
  intakeImage(await sharp({ create: { width: 20, height: 20, channels: 3, background: '#ff0000' } }).png().toBuffer(), {
    formats: ['png'],
    maxBytes: 1 << 20,
    maxPixels: 1 << 20,
  });

describe('classifier feature layouts', () => {
  it('new training uses the current layout: embedding, then the histogram at weight 0.5', async () => {
    expect(featureName(fake)).toBe('fake+rgbhist64w0.5');
    const x = await featureOf(fake, await red());
    expect(x.length).toBe(featureDim(fake));
    expect([...x.slice(0, 4)]).toEqual([1, 0, 0, 0]);
    // Every pixel is pure red: one histogram bin (r=3, g=0, b=0 → 48) holds all the mass.
    expect(x[4 + 48]).toBeCloseTo(0.5, 6);
    expect(x.slice(4).reduce((s, v) => s + v, 0)).toBeCloseTo(0.5, 6);
  });

  it('computes the layout an older model was trained on, so it keeps answering', async () => {
    expect(layoutWeight(fake, 'fake+rgbhist64')).toBe(2);
    const x = await featureOf(fake, await red(), 'fake+rgbhist64');
    expect(x[4 + 48]).toBeCloseTo(2, 6);
  });

  it('refuses a layout of another embedder or an unknown one', async () => {
    expect(layoutWeight(fake, 'mobilenetv2+rgbhist64')).toBeUndefined();
    expect(layoutWeight(fake, 'fake+rgbhist32')).toBeUndefined();
    await expect(featureOf(fake, await red(), 'other+rgbhist64w0.5')).rejects.toThrow(/cannot be computed/);
  });
});
