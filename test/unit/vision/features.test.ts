import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { decodeFeatures, encodeFeatures, fitSimilarity, matchFeatures, orbFeatures, type LocalFeatures } from '../../../lib/vision/local-features';
import { hamming64, pHash } from '../../../lib/vision/phash';
import { colourHistogram, COLOUR_DIM, textureDescriptor, TEXTURE_DIM } from '../../../lib/vision/colour-texture';
import type { GreyImage } from '../../../lib/vision/pixels';
import { photo, requirePhotos } from '../../support/photos';

beforeAll(() => requirePhotos(['garden', 'dune', 'storm', 'dragonfly', 'aitzgorri', 'wood', 'yellow-flower']));

async function grey(path: string | Buffer, side = 512): Promise<GreyImage> {
  const { data, info } = await sharp(path).resize(side, side, { fit: 'inside' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
async function rgb(path: string | Buffer, side = 256) {
  const { data, info } = await sharp(path).resize(side, side, { fit: 'inside' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('pHash', () => {
  it('stays within a few bits for a recompressed, half-size copy and differs by many bits between photos', async () => {
    const a = photo('garden').path;
    const copy = await sharp(a).resize(400).jpeg({ quality: 30 }).toBuffer();
    const same = hamming64(pHash(await grey(a)), pHash(await grey(copy)));
    const other = hamming64(pHash(await grey(a)), pHash(await grey(photo('dune').path)));
    expect(same).toBeLessThanOrEqual(6);
    expect(other).toBeGreaterThan(16);
  });
});

describe('ORB features', () => {
  it('round-trip through the sidecar encoding unchanged', async () => {
    const f = await orbFeatures(await grey(photo('storm').path), 300);
    expect(f.points.length / 2).toBeGreaterThan(100);
    const { features, extra } = decodeFeatures(encodeFeatures(f, Buffer.from('hash1234')));
    expect(features.width).toBe(f.width);
    expect(Array.from(features.points)).toEqual(Array.from(f.points));
    expect(Buffer.from(features.descriptors).equals(Buffer.from(f.descriptors))).toBe(true);
    expect(extra.toString()).toBe('hash1234');
  });

  it('rejects a buffer that is not a feature sidecar', () => {
    expect(() => decodeFeatures(Buffer.from('not a sidecar at all'))).toThrow(/IRF1/);
  });

  it('match a rotated, shrunk copy with many geometrically consistent matches, and another photo with few', async () => {
    const src = photo('dragonfly').path;
    const base = await orbFeatures(await grey(src));
    const rotated = await sharp(src).resize(700).rotate(10, { background: '#000' }).jpeg().toBuffer();
    const q = await orbFeatures(await grey(rotated, 400));
    const same = fitSimilarity(q, base, await matchFeatures(q, base));
    const o = await orbFeatures(await grey(photo('aitzgorri').path));
    const other = fitSimilarity(o, base, await matchFeatures(o, base));
    expect(same.inliers).toBeGreaterThan(40);
    // The shrink (512 → 400 px working size, 700 px copy) shows in the fitted scale.
    expect(same.scale).toBeGreaterThan(1.1);
    expect(other.inliers).toBeLessThan(12);
  });

  it('fitSimilarity recovers a known transform among outliers', () => {
    const n = 60;
    const stored: LocalFeatures = { width: 500, height: 500, points: new Float32Array(n * 2), descriptors: new Uint8Array(n * 32) };
    const query: LocalFeatures = { width: 500, height: 500, points: new Float32Array(n * 2), descriptors: new Uint8Array(n * 32) };
    const [s, th, tx, ty] = [0.8, 0.3, 40, -20];
    for (let i = 0; i < n; i++) {
      const x = (i * 37) % 400;
      const y = (i * 91) % 400;
      query.points.set([x, y], 2 * i);
      const inlier = i < 40;
      stored.points.set(
        inlier ? [s * (Math.cos(th) * x - Math.sin(th) * y) + tx, s * (Math.sin(th) * x + Math.cos(th) * y) + ty] : [(i * 53) % 500, (i * 29) % 500],
        2 * i,
      );
    }
    const fit = fitSimilarity(query, stored, Array.from({ length: n }, (_, i) => ({ q: i, s: i })));
    expect(fit.inliers).toBeGreaterThanOrEqual(40);
    expect(fit.inliers).toBeLessThan(45);
    expect(fit.scale).toBeCloseTo(0.8, 2);
  });
});

describe('colour and texture descriptors', () => {
  it('are unit vectors of the documented sizes', async () => {
    const img = await rgb(photo('wood').path);
    const c = colourHistogram(img);
    const t = textureDescriptor(img);
    expect(c).toHaveLength(COLOUR_DIM);
    expect(t).toHaveLength(TEXTURE_DIM);
    expect(Math.hypot(...c)).toBeCloseTo(1, 6);
    expect(Math.hypot(...t)).toBeCloseTo(1, 6);
  });

  it('colour histogram separates a hue-rotated copy more than a resized copy', async () => {
    const src = photo('yellow-flower').path;
    const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
    const base = colourHistogram(await rgb(src));
    const resized = colourHistogram(await rgb(await sharp(src).resize(300).toBuffer()));
    const hue = colourHistogram(await rgb(await sharp(src).modulate({ hue: 180 }).toBuffer()));
    expect(dot(base, resized)).toBeGreaterThan(0.95);
    expect(dot(base, hue)).toBeLessThan(0.6);
  });
});
