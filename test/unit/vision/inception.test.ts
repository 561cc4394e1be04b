/**
 * InceptionV3 (nsfwjs's weights) at another input side than its 299 px: the network cut at the
 * block asked for, with free input height and width (lib/vision/nsfwjs-models.ts anySizeUpTo).
 */
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { INCEPTION_INPUT, inceptionV3FeatureMaps, mapSide } from '../../../lib/vision/inception';
import { loadNsfwjsModel, predictBatch } from '../../../lib/vision/nsfwjs-models';
import { photo, requirePhotos } from '../../support/photos';
import type { RgbImage } from '../../../lib/vision/embedding';

async function rgb(name: string, side: number): Promise<RgbImage> {
  const { data, info } = await sharp(photo(name).path).resize(side, side, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe('InceptionV3 input side', () => {
  it('gives each block the side its strides make: 35 → 17 → 8 at 299 px, 12 at mixed7 for 224 px', () => {
    expect(mapSide(17, 299)).toBe(17);
    expect(mapSide(8, 299)).toBe(8);
    expect(mapSide(17, 224)).toBe(12);
    expect(mapSide(17, 256)).toBe(14);
  });

  it('the network cut for any size gives the full network mixed7 at 299 px', async () => {
    requirePhotos(['dune']);
    const picture = await rgb('dune', INCEPTION_INPUT);
    // The whole network as the package ships it (fixed 299 px input, nsfwjs's head), read at mixed7.
    const { tf, model: full } = await loadNsfwjsModel('inception_v3');
    expect(full.inputs[0].shape).toEqual([null, 299, 299, 3]);
    const [[want]] = await predictBatch(tf, tf.model({ inputs: full.inputs, outputs: full.getLayer('mixed7').output as never }), [picture], INCEPTION_INPUT);
    const { model: cut } = await loadNsfwjsModel('inception_v3', { anySizeUpTo: 'mixed7' });
    expect(cut.layers.some((l) => l.name === 'mixed8')).toBe(false);
    expect(cut.inputs[0].shape).toEqual([null, null, null, 3]);
    const [[same]] = await predictBatch(tf, cut, [picture], INCEPTION_INPUT);
    expect(same).toHaveLength(17 * 17 * 768);
    expect(maxDiff(want, same)).toBeLessThan(1e-4);
    // What the embedders read (the cut network) is that map.
    const [read] = await (await inceptionV3FeatureMaps(['mixed7'])).maps([picture]);
    expect(maxDiff(want, read.mixed7)).toBeLessThan(1e-4);
  });

  it('reads a 224 px picture into a 12 × 12 map', async () => {
    requirePhotos(['dune']);
    const small = await inceptionV3FeatureMaps(['mixed7'], 224);
    expect(small).toMatchObject({ input: 224, layers: [{ name: 'mixed7', size: 12, channels: 768 }] });
    const [m] = await small.maps([await rgb('dune', 224)]);
    expect(m.mixed7).toHaveLength(12 * 12 * 768);
    expect(Math.max(...m.mixed7)).toBeGreaterThan(0);
    // A picture of another size is resized to the input side first.
    const [r] = await small.maps([await rgb('dune', INCEPTION_INPUT)]);
    expect(r.mixed7).toHaveLength(12 * 12 * 768);
  });
});
