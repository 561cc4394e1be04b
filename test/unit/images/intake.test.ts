import { describe, it, expect } from 'vitest';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { intakeImage, type ImageLimits } from '../../../lib/images/intake';
import { bmp24, buildBmp, expectIrisError, ihdr, pixelAt, pngFromChunks } from './helpers';

const ALL: ImageLimits = { formats: ['jpeg', 'png', 'bmp', 'gif', 'webp'], maxBytes: 4 * 1024 * 1024 };

const solid = (width: number, height: number, background = '#3366cc') =>
  sharp({ create: { width, height, channels: 3, background } });

/** 40x20 JPEG, left half red and right half blue, tagged with EXIF orientation 6 (rotate 90° CW). */
async function orientedJpeg(): Promise<Buffer> {
  const left = await solid(20, 20, '#ff0000').png().toBuffer();
  return solid(40, 20, '#0000ff')
    .composite([{ input: left, left: 0, top: 0 }])
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** Random pixels: compressed data long enough to truncate or corrupt meaningfully. */
const noise = (size: number) =>
  sharp({
    create: { width: size, height: size, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 50 } },
  });
const noisyJpeg = () => noise(128).jpeg().toBuffer();

const near = (actual: number[], expected: number[], tolerance = 12) =>
  actual.every((v, i) => Math.abs(v - expected[i]) <= tolerance);

describe('intakeImage: size and format gates', () => {
  it('rejects empty input with IMAGE_EMPTY', async () => {
    await expectIrisError(() => intakeImage(Buffer.alloc(0), ALL), 'IMAGE_EMPTY', 'image');
  });

  it('rejects input over maxBytes with IMAGE_TOO_LARGE before looking at its content', async () => {
    // Not an image at all: IMAGE_TOO_LARGE rather than IMAGE_FORMAT shows the cap is checked first.
    const err = await expectIrisError(
      () => intakeImage(Buffer.alloc(1001, 0x41), { ...ALL, maxBytes: 1000 }),
      'IMAGE_TOO_LARGE',
      'image',
      /1001 bytes, over the 1000-byte limit/,
    );
    expect(err.message).not.toMatch(/decompression/);
  });

  it('rejects unrecognised data with IMAGE_FORMAT, listing the accepted formats', async () => {
    await expectIrisError(
      () => intakeImage(Buffer.from('hello, not an image'), { ...ALL, formats: ['jpeg', 'png'] }),
      'IMAGE_FORMAT',
      'image',
      /not a recognised image format \(accepted: jpeg, png\)/,
    );
  });

  it('rejects a real image whose format the API does not accept with IMAGE_FORMAT', async () => {
    const png = await solid(8, 8).png().toBuffer();
    const jpegOnly = { ...ALL, formats: ['jpeg' as const] };
    await expectIrisError(() => intakeImage(png, jpegOnly), 'IMAGE_FORMAT', 'image', /png images are not accepted/);
    const tiff = await solid(8, 8).tiff().toBuffer();
    await expectIrisError(() => intakeImage(tiff, ALL), 'IMAGE_FORMAT', 'image', /tiff images are not accepted/);
  });

  it('accepts every supported format and returns the original bytes untouched', async () => {
    const inputs = {
      jpeg: await solid(12, 9).jpeg().toBuffer(),
      png: await solid(12, 9).png().toBuffer(),
      gif: await solid(12, 9).gif().toBuffer(),
      webp: await solid(12, 9).webp().toBuffer(),
      bmp: bmp24(Array.from({ length: 9 }, () => Array.from({ length: 12 }, (): [number, number, number] => [1, 2, 3]))),
    };
    for (const [format, bytes] of Object.entries(inputs)) {
      const img = await intakeImage(bytes, ALL);
      expect(img).toMatchObject({ format, width: 12, height: 9 });
      expect(img.bytes).toBe(bytes);
    }
  });
});

describe('intakeImage: decompression-bomb guard', () => {
  it('refuses a tiny PNG declaring 30000x30000 quickly, from the header alone', async () => {
    // 30000x30000 RGB would need 2.7 GB decoded; the file is ~70 bytes and its IDAT is far too
    // short to hold the image, so a decode attempt would fail with IMAGE_FORMAT instead.
    const bomb = pngFromChunks([
      ['IHDR', ihdr(30000, 30000)],
      ['IDAT', zlib.deflateSync(Buffer.alloc(16))],
      ['IEND', Buffer.alloc(0)],
    ]);
    expect(bomb.length).toBeLessThan(100);
    const started = performance.now();
    await expectIrisError(
      () => intakeImage(bomb, ALL),
      'IMAGE_TOO_LARGE',
      'image',
      /30000x30000 = 900000000 pixels, over the 40000000-pixel limit \(refused as a possible decompression bomb\)/,
    );
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('applies a custom maxPixels to ordinary images', async () => {
    const png = await solid(100, 100).png().toBuffer();
    const tight = { ...ALL, maxPixels: 9999 };
    await expectIrisError(() => intakeImage(png, tight), 'IMAGE_TOO_LARGE', 'image', /decompression bomb/);
    await expect(intakeImage(png, { ...ALL, maxPixels: 10000 })).resolves.toMatchObject({ width: 100 });
  });

  it('refuses a BMP whose header declares too many pixels before allocating them', async () => {
    const bomb = buildBmp({ width: 20000, height: 20000, bitsPerPixel: 24, pixels: Buffer.alloc(4) });
    await expectIrisError(() => intakeImage(bomb, ALL), 'IMAGE_TOO_LARGE', 'image', /20000x20000.*decompression bomb/);
  });
});

describe('intakeImage: decoding', () => {
  it('applies EXIF orientation 6: reports the rotated size and rotates the pixels', async () => {
    const jpeg = await orientedJpeg();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);

    const img = await intakeImage(jpeg, ALL);
    expect([img.width, img.height]).toEqual([20, 40]);

    const { data, width, height } = await img.rgb();
    expect([width, height]).toEqual([20, 40]);
    // Rotating 90° clockwise moves the left (red) half to the top.
    expect(near(pixelAt(data, width, 3, 10, 5), [255, 0, 0])).toBe(true);
    expect(near(pixelAt(data, width, 3, 10, 34), [0, 0, 255])).toBe(true);

    const viaSharp = await img.sharp().png().toBuffer();
    expect(await sharp(viaSharp).metadata()).toMatchObject({ width: 20, height: 40 });
  });

  it('checks dimension limits against the oriented size', async () => {
    const jpeg = await orientedJpeg(); // stored 40x20, displayed 20x40
    await expect(intakeImage(jpeg, { ...ALL, maxWidth: 30 })).resolves.toMatchObject({ width: 20 });
    await expectIrisError(
      () => intakeImage(jpeg, { ...ALL, maxHeight: 30 }),
      'IMAGE_DIMENSIONS',
      'image',
      /height 40 px is above the maximum of 30 px \(image is 20x40\)/,
    );
  });

  it('rejects a truncated JPEG with IMAGE_FORMAT', async () => {
    const jpeg = await noisyJpeg();
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length * 0.7));
    const message = /jpeg image is corrupt or truncated/;
    await expectIrisError(() => intakeImage(truncated, ALL), 'IMAGE_FORMAT', 'image', message);
  });

  it('rejects a JPEG with corrupt entropy-coded data with IMAGE_FORMAT', async () => {
    const jpeg = Buffer.from(await noisyJpeg());
    for (let i = 1000; i < 1400; i++) jpeg[i] = (i * 37) & 0xff;
    await expectIrisError(() => intakeImage(jpeg, ALL), 'IMAGE_FORMAT', 'image', /corrupt or truncated/);
  });

  it('rejects truncated PNG, GIF and WebP data with IMAGE_FORMAT', async () => {
    const images = [await noise(96).png().toBuffer(), await noise(96).gif().toBuffer(), await noise(96).webp().toBuffer()];
    for (const bytes of images) {
      await expectIrisError(() => intakeImage(bytes.subarray(0, bytes.length - 300), ALL), 'IMAGE_FORMAT', 'image');
    }
  });

  it('rejects a corrupt BMP with IMAGE_FORMAT', async () => {
    const bmp = bmp24([[[1, 2, 3], [4, 5, 6]]]);
    await expectIrisError(() => intakeImage(bmp.subarray(0, bmp.length - 4), ALL), 'IMAGE_FORMAT', 'image', /BMP/);
  });

  it('decodes BMPs through the same interface, pixel-exact', async () => {
    const rows = [
      [[255, 0, 0], [0, 255, 0], [0, 0, 255]],
      [[10, 20, 30], [40, 50, 60], [70, 80, 90]],
    ] as [number, number, number][][];
    const img = await intakeImage(bmp24(rows), ALL);
    expect(img).toMatchObject({ format: 'bmp', width: 3, height: 2 });
    const { data } = await img.rgb();
    expect([...data]).toEqual(rows.flat(2));
    const png = await img.sharp().png().toBuffer();
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 3, height: 2 });
  });
});

describe('intakeImage: dimension and aspect limits', () => {
  const png = (w: number, h: number) => solid(w, h).png().toBuffer();

  it('enforces minSide and maxSide on both width and height with IMAGE_DIMENSIONS', async () => {
    await expectIrisError(
      async () => intakeImage(await png(15, 40), { ...ALL, minSide: 16 }),
      'IMAGE_DIMENSIONS',
      'image',
      /width 15 px is below the minimum of 16 px \(image is 15x40\)/,
    );
    await expectIrisError(
      async () => intakeImage(await png(40, 15), { ...ALL, minSide: 16 }),
      'IMAGE_DIMENSIONS',
      'image',
      /height 15 px is below the minimum of 16 px/,
    );
    await expectIrisError(
      async () => intakeImage(await png(65, 20), { ...ALL, maxSide: 64 }),
      'IMAGE_DIMENSIONS',
      'image',
      /width 65 px is above the maximum of 64 px/,
    );
    const within = intakeImage(await png(16, 64), { ...ALL, minSide: 16, maxSide: 64 });
    await expect(within).resolves.toMatchObject({ width: 16, height: 64 });
  });

  it('uses the stricter of a side limit and a per-axis limit', async () => {
    await expectIrisError(
      async () => intakeImage(await png(30, 30), { ...ALL, minSide: 10, minHeight: 32 }),
      'IMAGE_DIMENSIONS',
      'image',
      /height 30 px is below the minimum of 32 px/,
    );
    await expectIrisError(
      async () => intakeImage(await png(50, 30), { ...ALL, maxSide: 100, maxWidth: 48 }),
      'IMAGE_DIMENSIONS',
      'image',
      /width 50 px is above the maximum of 48 px/,
    );
  });

  it('rejects an aspect ratio beyond maxAspect with IMAGE_ASPECT, accepting the boundary', async () => {
    await expect(intakeImage(await png(30, 10), { ...ALL, maxAspect: 3 })).resolves.toMatchObject({ width: 30 });
    await expect(intakeImage(await png(10, 30), { ...ALL, maxAspect: 3 })).resolves.toMatchObject({ height: 30 });
    await expectIrisError(
      async () => intakeImage(await png(10, 31), { ...ALL, maxAspect: 3 }),
      'IMAGE_ASPECT',
      'image',
      /aspect ratio 3\.1:1 \(image is 10x31\) exceeds the maximum of 3:1/,
    );
  });

  it('names the caller-supplied field', async () => {
    const small = await png(4, 4);
    await expectIrisError(() => intakeImage(small, { ...ALL, minSide: 8 }, 'face_image'), 'IMAGE_DIMENSIONS', 'face_image');
  });
});

describe('DecodedImage.rgb', () => {
  it('always returns 3-channel 8-bit pixels (RGBA composited onto white, grey and 16-bit inputs)', async () => {
    const halfTransparent = { r: 200, g: 100, b: 50, alpha: 0.5 };
    const rgba = await sharp({ create: { width: 5, height: 4, channels: 4, background: halfTransparent } })
      .png()
      .toBuffer();
    const grey = await sharp(Buffer.alloc(20, 77), { raw: { width: 5, height: 4, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const deep = await solid(5, 4, '#884422').toColourspace('rgb16').png().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    expect((await sharp(deep).metadata()).depth).toBe('ushort');

    for (const [bytes, first] of [[rgba, [227, 177, 152]], [grey, [77, 77, 77]], [deep, [0x88, 0x44, 0x22]]] as const) {
      const { data, width, height } = await (await intakeImage(bytes, ALL)).rgb();
      expect([width, height]).toEqual([5, 4]);
      expect(data.length).toBe(5 * 4 * 3);
      expect(pixelAt(data, width, 3, 0, 0)).toEqual(first);
    }
  });

  it('shows white, not the colour stored under fully transparent pixels', async () => {
    // A cut-out PNG keeps the old background's colour under alpha 0; no model may see it.
    const hidden = Buffer.alloc(6 * 4 * 4);
    for (let i = 0; i < 6 * 4; i++) hidden.set(i < 12 ? [0, 0, 255, 0] : [10, 200, 10, 255], i * 4);
    const bytes = await sharp(hidden, { raw: { width: 6, height: 4, channels: 4 } }).png().toBuffer();
    const { data, width } = await (await intakeImage(bytes, ALL)).rgb();
    expect(pixelAt(data, width, 3, 0, 0)).toEqual([255, 255, 255]);
    expect(pixelAt(data, width, 3, 0, 3)).toEqual([10, 200, 10]);
  });

  it("resizes to fit inside the box by default, and to exact size with fit 'fill'", async () => {
    const img = await intakeImage(await solid(100, 50).png().toBuffer(), ALL);
    const inside = await img.rgb({ width: 20, height: 20 });
    expect([inside.width, inside.height, inside.data.length]).toEqual([20, 10, 20 * 10 * 3]);
    const filled = await img.rgb({ width: 20, height: 20, fit: 'fill' });
    expect([filled.width, filled.height, filled.data.length]).toEqual([20, 20, 20 * 20 * 3]);
    const cover = await img.rgb({ width: 20, height: 20, fit: 'cover' });
    expect([cover.width, cover.height]).toEqual([20, 20]);
  });

  it('returns a fresh sharp pipeline on every call', async () => {
    const img = await intakeImage(await solid(8, 6).png().toBuffer(), ALL);
    expect(img.sharp()).not.toBe(img.sharp());
    const a = await img.sharp().resize(4).png().toBuffer();
    const b = await img.sharp().png().toBuffer();
    expect((await sharp(a).metadata()).width).toBe(4);
    expect((await sharp(b).metadata()).width).toBe(8);
  });
});
