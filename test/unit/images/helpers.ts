import zlib from 'node:zlib';
import { expect } from 'vitest';
import { IrisError, type ErrorKind } from '../../../lib/errors';

/** Runs `fn` and returns the IrisError it throws (sync or async), failing the test otherwise. */
export async function caught(fn: () => unknown): Promise<IrisError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(IrisError);
    return e as IrisError;
  }
  throw new Error('expected an IrisError, but nothing was thrown');
}

/** Asserts that `fn` throws an IrisError of `kind` for `field` whose message matches `message`. */
export async function expectIrisError(
  fn: () => unknown,
  kind: ErrorKind,
  field: string,
  message?: RegExp,
): Promise<IrisError> {
  const err = await caught(fn);
  expect(err.kind).toBe(kind);
  expect(err.field).toBe(field);
  expect(err.message.startsWith(`${field}: `)).toBe(true);
  expect(err.message).not.toMatch(/\n\s+at /); // no stack traces in client-facing text
  if (message) expect(err.message).toMatch(message);
  return err;
}

type Rgb = [number, number, number];

export interface BmpSpec {
  width: number;
  height: number;
  bitsPerPixel: number;
  compression?: number;
  topDown?: boolean;
  headerSize?: number;
  /** Bytes between the headers/palette and the pixel array (tests bfOffBits handling). */
  gap?: number;
  /** BGRA palette entries, or bitfield masks for compression 3 with a 40-byte header. */
  extra?: Buffer;
  colorsUsed?: number;
  /** Pixel array exactly as stored (rows in file order, padding included). */
  pixels: Buffer;
  /** For V3+ headers: R, G, B, A masks written inside the header. */
  headerMasks?: [number, number, number, number];
}

/** Assembles a BMP file from raw parts; the pixel array is written verbatim. */
export function buildBmp(spec: BmpSpec): Buffer {
  const headerSize = spec.headerSize ?? 40;
  const extra = spec.extra ?? Buffer.alloc(0);
  const offset = 14 + headerSize + extra.length + (spec.gap ?? 0);
  const file = Buffer.alloc(offset + spec.pixels.length);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(offset, 10);
  file.writeUInt32LE(headerSize, 14);
  file.writeInt32LE(spec.width, 18);
  file.writeInt32LE(spec.topDown ? -spec.height : spec.height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(spec.bitsPerPixel, 28);
  file.writeUInt32LE(spec.compression ?? 0, 30);
  file.writeUInt32LE(spec.pixels.length, 34);
  file.writeUInt32LE(2835, 38); // 72 dpi
  file.writeUInt32LE(2835, 42);
  file.writeUInt32LE(spec.colorsUsed ?? 0, 46);
  if (spec.headerMasks) spec.headerMasks.forEach((m, i) => file.writeUInt32LE(m >>> 0, 54 + i * 4));
  extra.copy(file, 14 + headerSize);
  spec.pixels.copy(file, offset);
  return file;
}

/** 24-bit BMP from top-first rows of RGB pixels, stored bottom-up (or top-down) with row padding. */
export function bmp24(rows: Rgb[][], opts: { topDown?: boolean; headerSize?: number; gap?: number } = {}): Buffer {
  const height = rows.length;
  const width = rows[0].length;
  const stride = Math.ceil((width * 3) / 4) * 4;
  const pixels = Buffer.alloc(stride * height);
  const order = opts.topDown ? rows : [...rows].reverse();
  order.forEach((row, y) =>
    row.forEach(([r, g, b], x) => pixels.set([b, g, r], y * stride + x * 3)),
  );
  return buildBmp({ width, height, bitsPerPixel: 24, pixels, ...opts });
}

/** A PNG assembled chunk by chunk (lets tests declare any IHDR they like). */
export function pngFromChunks(chunks: Array<[type: string, data: Buffer]>): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const encoded = chunks.map(([type, data]) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  });
  return Buffer.concat([signature, ...encoded]);
}

/** IHDR payload for an 8-bit RGB PNG of the given size. */
export function ihdr(width: number, height: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = 8; // bit depth
  data[9] = 2; // colour type RGB
  return data;
}

/** Pixel at (x, y) of a packed raw buffer. */
export function pixelAt(data: Buffer, width: number, channels: number, x: number, y: number): number[] {
  const i = (y * width + x) * channels;
  return [...data.subarray(i, i + channels)];
}
