/**
 * BMP decoding. libvips (and so sharp) cannot read BMP, so bitmaps are decoded here to raw
 * RGB/RGBA pixels that sharp accepts through its `raw` input.
 *
 * Palette (1/4/8-bit), 24-bit and plain 32-bit images go through bmp-js. bmp-js 0.1 has
 * several gaps, each handled here rather than trusted:
 * - it ignores the pixel-data offset and the DIB header size, assuming a 40-byte header with
 *   the palette and pixels packed right behind it. V4/V5 headers (108/124 bytes, written by
 *   GIMP, ImageMagick, Photoshop) and files with gaps would decode as garbage, so the file is
 *   re-laid out into that canonical form before bmp-js sees it;
 * - a palette shorter than the bit depth allows makes it crash (1/4-bit) or paint white
 *   (8-bit) on out-of-range indices; the palette is padded with black instead;
 * - BI_BITFIELDS ignores the masks and reads 16 mask bytes where a 40-byte header has 12, so
 *   16/32-bit bitfield images are decoded here (`decodeBitfields`);
 * - RLE4/RLE8 start writing bottom-up files at the wrong row; these (rare) files are refused;
 * - it has no bounds checks, so truncation is checked up front and any throw maps to IMAGE_FORMAT.
 * bmp-js returns pixels as A,B,G,R; they are reordered to R,G,B(,A) here.
 */
import bmpJs from 'bmp-js';
import { IrisError } from '../errors';

export interface BmpHeader {
  width: number;
  /** Absolute height; see `topDown` for the row order. */
  height: number;
  /** True when the stored height is negative: rows run top to bottom. */
  topDown: boolean;
  bitsPerPixel: number;
  /** 0 = BI_RGB, 3 = BI_BITFIELDS (the only ones accepted). */
  compression: number;
  /** DIB header size: 40, 52, 56, 108 or 124. */
  headerSize: number;
  /** Offset of the pixel array from the start of the file. */
  dataOffset: number;
  /** Palette entries declared (0 = 2^bitsPerPixel). */
  colorsUsed: number;
}

export interface RawImage {
  /** Pixels, top row first, `channels` bytes per pixel (R, G, B[, A]). */
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

const FILE_HEADER_SIZE = 14;
const INFO_HEADER_SIZE = 40;
const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
/** BITMAPINFOHEADER (40) and its V2, V3, V4, V5 extensions. */
const SUPPORTED_HEADER_SIZES = new Set([40, 52, 56, 108, 124]);

const bmpError = (field: string, detail: string, cause?: unknown): IrisError =>
  new IrisError('IMAGE_FORMAT', `${field}: unsupported or corrupt BMP image (${detail})`, { field, cause });

/** Parses and validates the BMP headers without touching the pixel data. */
export function readBmpHeader(buf: Buffer, field = 'image'): BmpHeader {
  if (buf.length < FILE_HEADER_SIZE + 4 || buf.toString('latin1', 0, 2) !== 'BM') {
    throw bmpError(field, 'missing BMP signature');
  }
  const headerSize = buf.readUInt32LE(14);
  if (headerSize === 12 || headerSize === 64) throw bmpError(field, 'OS/2 bitmaps are not supported');
  if (!SUPPORTED_HEADER_SIZES.has(headerSize)) throw bmpError(field, `unknown header size ${headerSize}`);
  if (buf.length < FILE_HEADER_SIZE + headerSize) throw bmpError(field, 'header is truncated');

  const dataOffset = buf.readUInt32LE(10);
  const width = buf.readInt32LE(18);
  const storedHeight = buf.readInt32LE(22);
  const planes = buf.readUInt16LE(26);
  const bitsPerPixel = buf.readUInt16LE(28);
  const compression = buf.readUInt32LE(30);
  const colorsUsed = buf.readUInt32LE(46);

  if (width <= 0 || storedHeight === 0) throw bmpError(field, `invalid dimensions ${width}x${storedHeight}`);
  if (planes !== 1) throw bmpError(field, `${planes} colour planes`);
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) throw bmpError(field, `${bitsPerPixel} bits per pixel`);
  if (compression === BI_RLE8 || compression === BI_RLE4) {
    throw bmpError(field, 'RLE-compressed bitmaps are not supported');
  }
  if (compression === BI_BITFIELDS ? bitsPerPixel !== 16 && bitsPerPixel !== 32 : compression !== BI_RGB) {
    throw bmpError(field, `compression type ${compression} with ${bitsPerPixel} bits per pixel is not supported`);
  }
  if (bitsPerPixel <= 8 && colorsUsed > 2 ** bitsPerPixel) throw bmpError(field, 'palette too large');
  if (dataOffset < FILE_HEADER_SIZE + headerSize || dataOffset >= buf.length) {
    throw bmpError(field, 'pixel data offset out of range');
  }
  return {
    width,
    height: Math.abs(storedHeight),
    topDown: storedHeight < 0,
    bitsPerPixel,
    compression,
    headerSize,
    dataOffset,
    colorsUsed,
  };
}

/**
 * Decodes a BMP to raw pixels. Opaque images come back as RGB, images with a meaningful alpha
 * channel as RGBA. Callers must bound width x height (see `readBmpHeader`) before calling:
 * the output is allocated from the header's dimensions.
 */
export function decodeBmp(buf: Buffer, field = 'image'): RawImage {
  const header = readBmpHeader(buf, field);
  const { width, height, bitsPerPixel } = header;
  // Rows are padded to 4 bytes. A missing pad after the last row is tolerated.
  const stride = Math.floor((bitsPerPixel * width + 31) / 32) * 4;
  const needed = stride * (height - 1) + Math.ceil((bitsPerPixel * width) / 8);
  if (buf.length - header.dataOffset < needed) throw bmpError(field, 'pixel data is truncated');

  const rgba =
    bitsPerPixel === 16 || header.compression === BI_BITFIELDS
      ? decodeBitfields(buf, header, stride, field)
      : decodeWithBmpJs(buf, header, field);
  // Only 32-bit and bitfield-with-alpha images can carry alpha; everything else is opaque.
  const alphaSource = bitsPerPixel === 32 || rgba.hasAlphaMask;
  return finish(rgba.data, width, height, alphaSource && hasMeaningfulAlpha(rgba.data));
}

/** Decodes palette, 24-bit and BI_RGB 32-bit images with bmp-js; returns RGBA. */
function decodeWithBmpJs(buf: Buffer, h: BmpHeader, field: string): { data: Buffer; hasAlphaMask: boolean } {
  const paletteSlots = h.bitsPerPixel <= 8 ? 2 ** h.bitsPerPixel : 0;
  const declaredEntries = h.bitsPerPixel <= 8 ? h.colorsUsed || paletteSlots : 0;
  const paletteStart = FILE_HEADER_SIZE + h.headerSize;
  if (paletteStart + declaredEntries * 4 > h.dataOffset) throw bmpError(field, 'palette overlaps pixel data');

  // Canonical layout bmp-js expects: 14-byte file header, 40-byte info header, a full
  // 2^bpp palette (unused slots black), then the pixel array.
  const pixelStart = FILE_HEADER_SIZE + INFO_HEADER_SIZE + paletteSlots * 4;
  const canonical = Buffer.alloc(pixelStart + (buf.length - h.dataOffset));
  canonical.write('BM', 0, 'latin1');
  canonical.writeUInt32LE(canonical.length, 2);
  canonical.writeUInt32LE(pixelStart, 10);
  buf.copy(canonical, FILE_HEADER_SIZE, FILE_HEADER_SIZE, FILE_HEADER_SIZE + INFO_HEADER_SIZE);
  canonical.writeUInt32LE(INFO_HEADER_SIZE, 14);
  canonical.writeUInt32LE(0, 46); // colorsUsed 0 = full palette
  buf.copy(canonical, FILE_HEADER_SIZE + INFO_HEADER_SIZE, paletteStart, paletteStart + declaredEntries * 4);
  buf.copy(canonical, pixelStart, h.dataOffset);

  let abgr: Buffer;
  try {
    abgr = bmpJs.decode(canonical).data;
  } catch (cause) {
    throw bmpError(field, 'pixel data could not be decoded', cause);
  }
  const data = Buffer.allocUnsafe(h.width * h.height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = abgr[i + 3];
    data[i + 1] = abgr[i + 2];
    data[i + 2] = abgr[i + 1];
    data[i + 3] = abgr[i];
  }
  return { data, hasAlphaMask: false };
}

interface Channel {
  mask: number;
  shift: number;
  bits: number;
}

/** Decodes 16-bit (BI_RGB 5-5-5 or BI_BITFIELDS) and 32-bit BI_BITFIELDS images; returns RGBA. */
function decodeBitfields(
  buf: Buffer,
  h: BmpHeader,
  stride: number,
  field: string,
): { data: Buffer; hasAlphaMask: boolean } {
  let masks: [number, number, number, number];
  if (h.compression !== BI_BITFIELDS) {
    masks = [0x7c00, 0x03e0, 0x001f, 0]; // 16-bit BI_RGB is X1R5G5B5
  } else {
    // A 40-byte header is followed by three mask DWORDs; V2+ headers hold them (and, from V3,
    // the alpha mask) inside the header at the same offset.
    const at = FILE_HEADER_SIZE + INFO_HEADER_SIZE;
    if (h.headerSize === INFO_HEADER_SIZE && at + 12 > h.dataOffset) throw bmpError(field, 'colour masks missing');
    masks = [
      buf.readUInt32LE(at),
      buf.readUInt32LE(at + 4),
      buf.readUInt32LE(at + 8),
      h.headerSize >= 56 ? buf.readUInt32LE(at + 12) : 0,
    ];
  }
  const [r, g, b, a] = masks.map((m) => channelOf(m, h.bitsPerPixel, field));
  if (r.bits === 0 || g.bits === 0 || b.bits === 0) throw bmpError(field, 'empty colour mask');

  const { width, height } = h;
  const bytesPerPixel = h.bitsPerPixel / 8;
  const out = Buffer.allocUnsafe(width * height * 4);
  for (let y = 0; y < height; y++) {
    // Bottom-up files store the last image row first.
    let src = h.dataOffset + (h.topDown ? y : height - 1 - y) * stride;
    let dst = y * width * 4;
    for (let x = 0; x < width; x++, src += bytesPerPixel, dst += 4) {
      const px = bytesPerPixel === 2 ? buf.readUInt16LE(src) : buf.readUInt32LE(src);
      out[dst] = sample(px, r);
      out[dst + 1] = sample(px, g);
      out[dst + 2] = sample(px, b);
      out[dst + 3] = a.bits === 0 ? 255 : sample(px, a);
    }
  }
  return { data: out, hasAlphaMask: a.bits > 0 };
}

function channelOf(mask: number, bitsPerPixel: number, field: string): Channel {
  if (mask === 0) return { mask, shift: 0, bits: 0 };
  if (bitsPerPixel === 16 && mask > 0xffff) throw bmpError(field, 'colour mask wider than the pixel');
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const run = mask >>> shift;
  const bits = Math.log2(run + 1);
  if (!Number.isInteger(bits)) throw bmpError(field, 'non-contiguous colour mask');
  return { mask, shift, bits };
}

/** Extracts one channel and scales it to 0..255 (so a 5-bit 31 becomes 255, not 248). */
function sample(px: number, c: Channel): number {
  const v = (px & c.mask) >>> c.shift;
  if (c.bits >= 8) return v >>> (c.bits - 8);
  return Math.round((v * 255) / (2 ** c.bits - 1));
}

/**
 * The fourth byte of a BI_RGB 32-bit pixel is formally "reserved" and many writers leave it 0.
 * Treating that as alpha would make the image fully transparent, so (as browsers do) alpha is
 * honoured only when it is neither all-0 nor all-255.
 */
function hasMeaningfulAlpha(rgba: Buffer): boolean {
  let nonZero = false;
  let nonOpaque = false;
  for (let i = 3; i < rgba.length; i += 4) {
    if (rgba[i] !== 0) nonZero = true;
    if (rgba[i] !== 255) nonOpaque = true;
    if (nonZero && nonOpaque) return true;
  }
  return false;
}

function finish(rgba: Buffer, width: number, height: number, keepAlpha: boolean): RawImage {
  if (keepAlpha) return { data: rgba, width, height, channels: 4 };
  const rgb = Buffer.allocUnsafe(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i];
    rgb[j + 1] = rgba[i + 1];
    rgb[j + 2] = rgba[i + 2];
  }
  return { data: rgb, width, height, channels: 3 };
}
