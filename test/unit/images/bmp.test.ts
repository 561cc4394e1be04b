import { describe, it, expect } from 'vitest';
import { decodeBmp, readBmpHeader } from '../../../lib/images/bmp';
import { bmp24, buildBmp, expectIrisError } from './helpers';

const RED = [255, 0, 0];
const GREEN = [0, 255, 0];
const BLUE = [0, 0, 255];
const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];

/** Splits packed pixels into per-pixel arrays, top row first. */
const pixels = (data: Buffer, channels: number) =>
  Array.from({ length: data.length / channels }, (_, i) => [...data.subarray(i * channels, (i + 1) * channels)]);

describe('decodeBmp', () => {
  it('decodes a hand-built 24-bit BMP: bottom-up rows, BGR order, row padding skipped', () => {
    // prettier-ignore
    const file = Buffer.from([
      // BITMAPFILEHEADER: "BM", file size 78, reserved, pixel data at 54
      0x42, 0x4d, 78, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0,
      // BITMAPINFOHEADER: size 40, width 3, height +2 (bottom-up), 1 plane, 24 bpp, BI_RGB,
      // image size 24, 2835 px/m both ways, 0 palette colours, 0 important
      40, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 24, 0, 0, 0, 0, 0,
      24, 0, 0, 0, 0x13, 0x0b, 0, 0, 0x13, 0x0b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      // Stored first = bottom image row: white, black, rgb(10,20,30) as B,G,R; then 3 pad
      // bytes (0xEE rather than 0 so a decoder that reads them as pixels shows it).
      0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 30, 20, 10, 0xee, 0xee, 0xee,
      // Top image row: red, green, blue as B,G,R; padding.
      0x00, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0x00, 0xee, 0xee, 0xee,
    ]);
    const img = decodeBmp(file);
    expect(img).toMatchObject({ width: 3, height: 2, channels: 3 });
    expect(pixels(img.data, 3)).toEqual([RED, GREEN, BLUE, WHITE, BLACK, [10, 20, 30]]);
  });

  it('decodes top-down bitmaps (negative height) in stored order', () => {
    const rows = [
      [[255, 0, 0], [1, 2, 3]],
      [[0, 0, 255], [200, 100, 50]],
    ] as [number, number, number][][];
    const header = readBmpHeader(bmp24(rows, { topDown: true }));
    expect(header).toMatchObject({ width: 2, height: 2, topDown: true });
    const img = decodeBmp(bmp24(rows, { topDown: true }));
    expect(pixels(img.data, 3)).toEqual(rows.flat());
    // Same pixels stored bottom-up decode identically.
    expect(decodeBmp(bmp24(rows)).data).toEqual(img.data);
  });

  it('honours the pixel-data offset and V5 headers (which bmp-js alone ignores)', () => {
    const rows = [
      [[9, 8, 7], [255, 255, 0], [0, 128, 255]],
      [[1, 1, 1], [2, 2, 2], [3, 3, 3]],
    ] as [number, number, number][][];
    const img = decodeBmp(bmp24(rows, { headerSize: 124, gap: 10 }));
    expect(pixels(img.data, 3)).toEqual(rows.flat());
  });

  it('decodes 8-bit palette images, mapping indices beyond a short palette to black', () => {
    // 3 px wide: 3 index bytes + 1 padding byte per row. Palette has 2 entries (B,G,R,0).
    const palette = Buffer.from([0, 0, 255, 0, 255, 0, 0, 0]); // 0 = red, 1 = blue
    const file = buildBmp({
      width: 3,
      height: 1,
      bitsPerPixel: 8,
      colorsUsed: 2,
      extra: palette,
      pixels: Buffer.from([1, 0, 5, 0x77]),
    });
    expect(pixels(decodeBmp(file).data, 3)).toEqual([BLUE, RED, BLACK]);
  });

  it('decodes 1-bit images with per-row padding', () => {
    const palette = Buffer.from([0, 0, 0, 0, 255, 255, 255, 0]); // 0 = black, 1 = white
    // 10 px wide -> 2 bytes of bits + 2 padding bytes per row; bottom row first.
    const file = buildBmp({
      width: 10,
      height: 2,
      bitsPerPixel: 1,
      extra: palette,
      pixels: Buffer.from([0b00111111, 0b11000000, 0xff, 0xff, 0b10101010, 0b10000000, 0xff, 0xff]),
    });
    const img = decodeBmp(file);
    const top = pixels(img.data, 3).slice(0, 10);
    const bottom = pixels(img.data, 3).slice(10);
    expect(top).toEqual([WHITE, BLACK, WHITE, BLACK, WHITE, BLACK, WHITE, BLACK, WHITE, BLACK]);
    expect(bottom).toEqual([BLACK, BLACK, ...Array(8).fill(WHITE)]);
  });

  it('decodes 4-bit images, two pixels per byte, high nibble first', () => {
    const palette = Buffer.from([0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 0]); // red, green, blue
    // 3 px wide -> 2 bytes of nibbles + 2 padding bytes per row.
    const file = buildBmp({
      width: 3,
      height: 1,
      bitsPerPixel: 4,
      colorsUsed: 3,
      extra: palette,
      pixels: Buffer.from([0x21, 0x0f, 0xee, 0xee]),
    });
    expect(pixels(decodeBmp(file).data, 3)).toEqual([BLUE, GREEN, RED]);
  });

  it('treats an all-zero fourth byte of 32-bit BI_RGB pixels as padding, not transparency', () => {
    const file = buildBmp({ width: 2, height: 1, bitsPerPixel: 32, pixels: Buffer.from([0, 0, 255, 0, 255, 0, 0, 0]) });
    const img = decodeBmp(file);
    expect(img.channels).toBe(3);
    expect(pixels(img.data, 3)).toEqual([RED, BLUE]);
  });

  it('keeps real alpha from 32-bit pixels as RGBA', () => {
    const file = buildBmp({
      width: 2,
      height: 1,
      bitsPerPixel: 32,
      pixels: Buffer.from([0, 0, 255, 255, 255, 0, 0, 64]), // opaque red, quarter-opaque blue
    });
    const img = decodeBmp(file);
    expect(img.channels).toBe(4);
    expect(pixels(img.data, 4)).toEqual([[255, 0, 0, 255], [0, 0, 255, 64]]);
  });

  it('applies BI_BITFIELDS masks for 32-bit images (bmp-js ignores them)', () => {
    const masks = Buffer.alloc(12);
    masks.writeUInt32LE(0x00ff0000, 0); // red
    masks.writeUInt32LE(0x0000ff00, 4); // green
    masks.writeUInt32LE(0x000000ff, 8); // blue
    const file = buildBmp({
      width: 2,
      height: 1,
      bitsPerPixel: 32,
      compression: 3,
      extra: masks,
      pixels: Buffer.from([0x30, 0x20, 0x10, 0x00, 0xff, 0x00, 0x00, 0x00]),
    });
    const img = decodeBmp(file);
    expect(img.channels).toBe(3);
    expect(pixels(img.data, 3)).toEqual([[0x10, 0x20, 0x30], BLUE]);
  });

  it('reads masks, including alpha, from inside a V5 header', () => {
    const file = buildBmp({
      width: 1,
      height: 2,
      bitsPerPixel: 32,
      compression: 3,
      headerSize: 124,
      headerMasks: [0x0000ff00, 0x00ff0000, 0xff000000, 0x000000ff], // R,G,B,A: a "BGRA"-packed layout
      pixels: Buffer.from([0x80, 0x11, 0x22, 0x33, 0xff, 0xaa, 0xbb, 0xcc]), // bottom row, top row
    });
    const img = decodeBmp(file);
    expect(img.channels).toBe(4);
    expect(pixels(img.data, 4)).toEqual([
      [0xaa, 0xbb, 0xcc, 0xff],
      [0x11, 0x22, 0x33, 0x80],
    ]);
  });

  it('decodes 16-bit 5-5-5 and 5-6-5 pixels, scaling 5/6-bit channels to the full 0..255 range', () => {
    // 3 px x 2 bytes = 6 bytes + 2 padding per row.
    const rgb555 = buildBmp({
      width: 3,
      height: 1,
      bitsPerPixel: 16,
      pixels: Buffer.from([0x00, 0x7c, 0xe0, 0x03, 0x1f, 0x00, 0xee, 0xee]),
    });
    expect(pixels(decodeBmp(rgb555).data, 3)).toEqual([RED, GREEN, BLUE]);

    const masks = Buffer.alloc(12);
    masks.writeUInt32LE(0xf800, 0);
    masks.writeUInt32LE(0x07e0, 4);
    masks.writeUInt32LE(0x001f, 8);
    const rgb565 = buildBmp({
      width: 3,
      height: 1,
      bitsPerPixel: 16,
      compression: 3,
      extra: masks,
      pixels: Buffer.from([0x00, 0xf8, 0xe0, 0x07, 0x10, 0x00, 0xee, 0xee]),
    });
    expect(pixels(decodeBmp(rgb565).data, 3)).toEqual([RED, GREEN, [0, 0, 132]]); // 16/31*255
  });

  it('rejects RLE-compressed bitmaps (bmp-js decodes them into the wrong rows) with IMAGE_FORMAT', async () => {
    const palette = Buffer.from([0, 0, 255, 0, 255, 0, 0, 0]);
    const file = buildBmp({
      width: 2,
      height: 2,
      bitsPerPixel: 8,
      compression: 1,
      extra: palette,
      pixels: Buffer.from([2, 0, 0, 0, 2, 1, 0, 1]),
    });
    await expectIrisError(() => decodeBmp(file), 'IMAGE_FORMAT', 'image', /RLE/);
  });

  it('rejects truncated pixel data with IMAGE_FORMAT', async () => {
    const file = bmp24([
      [[1, 2, 3], [4, 5, 6]],
      [[7, 8, 9], [1, 2, 3]],
    ]);
    await expectIrisError(() => decodeBmp(file.subarray(0, file.length - 5)), 'IMAGE_FORMAT', 'image', /truncated/);
  });

  it('rejects unsupported and malformed headers with IMAGE_FORMAT', async () => {
    const px = Buffer.alloc(8);
    const os2 = bmp24([[[1, 2, 3]]]);
    os2.writeUInt32LE(12, 14); // BITMAPCOREHEADER size
    const cases: Array<[Buffer, RegExp]> = [
      [os2, /OS\/2/],
      [buildBmp({ width: 1, height: 1, bitsPerPixel: 2, pixels: px }), /2 bits per pixel/],
      [buildBmp({ width: 0, height: 1, bitsPerPixel: 24, pixels: px }), /invalid dimensions/],
      [buildBmp({ width: 1, height: 1, bitsPerPixel: 24, compression: 4, pixels: px }), /compression type 4/],
      [buildBmp({ width: 1, height: 1, bitsPerPixel: 8, colorsUsed: 999, pixels: px }), /palette too large/],
      [
        buildBmp({
          ...{ width: 1, height: 1, bitsPerPixel: 16, compression: 3, pixels: px },
          ...{ headerSize: 56, headerMasks: [0xf00f, 0x0f0, 0, 0] },
        }),
        /non-contiguous/,
      ],
      [Buffer.from('BM'), /signature/],
    ];
    for (const [file, message] of cases) {
      await expectIrisError(() => decodeBmp(file, 'photo'), 'IMAGE_FORMAT', 'photo', message);
    }
  });
});
