/** NV21 / NV12 → RGB / JPEG with BT.601 colour, against hand-built frames of known colours. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { IrisError } from '../../../lib/errors';
import { nv21Size, nv21ToJpeg, nv21ToRgb, rgbToNv21 } from '../../../lib/images/nv21';

/** Limited-range BT.601 YCbCr of the SMPTE-style primaries (ITU-R BT.601 table values). */
const PRIMARIES: Array<{ name: string; rgb: [number, number, number]; ycbcr: [number, number, number] }> = [
  { name: 'white', rgb: [255, 255, 255], ycbcr: [235, 128, 128] },
  { name: 'black', rgb: [0, 0, 0], ycbcr: [16, 128, 128] },
  { name: 'red', rgb: [255, 0, 0], ycbcr: [81, 90, 240] },
  { name: 'green', rgb: [0, 255, 0], ycbcr: [145, 54, 34] },
  { name: 'blue', rgb: [0, 0, 255], ycbcr: [41, 240, 110] },
  { name: 'yellow', rgb: [255, 255, 0], ycbcr: [210, 16, 146] },
  { name: 'cyan', rgb: [0, 255, 255], ycbcr: [170, 166, 16] },
  { name: 'magenta', rgb: [255, 0, 255], ycbcr: [106, 202, 222] },
];

/** A frame of 2×2 blocks, one colour each, written byte by byte (no use of the code under test). */
function barFrame(order: 'vu' | 'uv'): { frame: Buffer; width: number; height: number } {
  const width = PRIMARIES.length * 2, height = 2;
  const frame = Buffer.alloc(nv21Size(width, height));
  PRIMARIES.forEach(({ ycbcr: [y, cb, cr] }, i) => {
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) frame[dy * width + i * 2 + dx] = y;
    const c = width * height + i * 2;
    frame[c] = order === 'vu' ? cr : cb;
    frame[c + 1] = order === 'vu' ? cb : cr;
  });
  return { frame, width, height };
}

const pixel = (rgb: Buffer, width: number, x: number, y: number) => [...rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];

describe('nv21ToRgb', () => {
  for (const order of ['vu', 'uv'] as const) {
    it(`decodes the BT.601 primaries within 2 levels with chroma order ${order === 'vu' ? 'V,U (NV21)' : 'U,V (NV12)'}`, () => {
      const { frame, width, height } = barFrame(order);
      const rgb = nv21ToRgb(frame, width, height, { order });
      PRIMARIES.forEach(({ name, rgb: want }, i) => {
        for (const [dx, dy] of [[0, 0], [1, 1]]) {
          const got = pixel(rgb, width, i * 2 + dx, dy);
          got.forEach((v, c) => expect(Math.abs(v - want[c]), `${name} channel ${c}: ${got}`).toBeLessThanOrEqual(2));
        }
      });
    });
  }

  it('gets red and blue swapped-looking colours when the chroma order is wrong (the orders really differ)', () => {
    const { frame, width, height } = barFrame('vu');
    const wrong = nv21ToRgb(frame, width, height, { order: 'uv' });
    const red = pixel(wrong, width, 4, 0); // the red block read as NV12
    expect(red[2]).toBeGreaterThan(red[0]);
  });

  it('round-trips an RGB pattern through rgbToNv21 in both orders and full range', () => {
    const width = 32, height = 16;
    const rgb = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set([x * 8, 255 - x * 8, (y * 16) & 255].map((v) => Math.max(0, Math.min(255, v))), (y * width + x) * 3);
    // Chroma is shared by 2×2 blocks, so compare a smooth image: make every 2×2 block uniform first.
    for (let y = 0; y < height; y += 2) for (let x = 0; x < width; x += 2) {
      const c = pixel(rgb, width, x, y);
      for (const [dx, dy] of [[1, 0], [0, 1], [1, 1]]) rgb.set(c, ((y + dy) * width + x + dx) * 3);
    }
    for (const order of ['vu', 'uv'] as const) {
      for (const range of ['limited', 'full'] as const) {
        const back = nv21ToRgb(rgbToNv21(rgb, width, height, { order, range }), width, height, { order, range });
        let worst = 0;
        for (let i = 0; i < rgb.length; i++) worst = Math.max(worst, Math.abs(back[i] - rgb[i]));
        expect(worst, `${order} ${range}`).toBeLessThanOrEqual(3);
      }
    }
  });

  it('handles odd widths and heights (chroma rounded up)', () => {
    const width = 5, height = 3;
    const rgb = Buffer.alloc(width * height * 3, 200);
    const back = nv21ToRgb(rgbToNv21(rgb, width, height), width, height);
    expect(back.length).toBe(width * height * 3);
    for (const v of back) expect(Math.abs(v - 200)).toBeLessThanOrEqual(2);
  });

  it('refuses a buffer of the wrong size or impossible dimensions with an IrisError', () => {
    expect(() => nv21ToRgb(Buffer.alloc(10), 4, 4)).toThrow(IrisError);
    expect(() => nv21ToRgb(Buffer.alloc(0), 0, 0)).toThrow(/width and height/);
  });
});

describe('nv21ToJpeg', () => {
  it('produces a JPEG of the frame size whose colours match', async () => {
    const width = 64, height = 32;
    const rgb = Buffer.alloc(width * height * 3);
    for (let i = 0; i < width * height; i++) rgb.set(i % width < 32 ? [255, 0, 0] : [0, 0, 255], i * 3);
    const jpeg = await nv21ToJpeg(rgbToNv21(rgb, width, height), width, height);
    const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.format]).toEqual([64, 32, 'raw']);
    expect((await sharp(jpeg).metadata()).format).toBe('jpeg');
    const left = pixel(data, width, 8, 16), right = pixel(data, width, 56, 16);
    expect(left[0]).toBeGreaterThan(230);
    expect(left[2]).toBeLessThan(25);
    expect(right[2]).toBeGreaterThan(230);
    expect(right[0]).toBeLessThan(25);
  });
});
