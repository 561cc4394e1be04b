/**
 * Image intake shared by every API: format allow-list, byte and pixel caps, decode
 * validation, EXIF orientation, dimension and aspect limits. The checks run cheapest first,
 * and nothing is decoded until the size caps and the header-declared pixel count have passed.
 */
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { IrisError } from '../errors';
import { decodeBmp, readBmpHeader } from './bmp';
import type { StoredImageFormat } from './formats';
import { sniffFormat } from './sniff';

/** The formats an image field may accept: those of the format table (lib/images/formats.ts). */
export type ImageFormat = StoredImageFormat;

export interface ImageLimits {
  /** Accepted formats. */
  formats: ImageFormat[];
  /** Cap on the encoded (decoded-from-base64) byte size. */
  maxBytes: number;
  /** Pixel bounds applied to both width and height (after EXIF orientation). */
  minSide?: number;
  maxSide?: number;
  minWidth?: number;
  minHeight?: number;
  maxWidth?: number;
  maxHeight?: number;
  /** Max long/short side ratio, e.g. 10 for 1:10..10:1. */
  maxAspect?: number;
  /** Decompression-bomb guard on the header-declared width x height. Default 40,000,000. */
  maxPixels?: number;
}

export interface DecodedImage {
  format: ImageFormat;
  /** Dimensions after EXIF orientation. */
  width: number;
  height: number;
  /** The original bytes (for storage). */
  bytes: Buffer;
  /** A fresh sharp pipeline over the oriented image (BMP already converted to raw pixels). */
  sharp(): Sharp;
  /**
   * Raw RGB pixels (3 channels, uint8, alpha dropped) of the oriented image, optionally resized.
   * With both width and height, `fit` defaults to 'inside' (keep aspect, fit within the box).
   */
  rgb(opts?: RgbOptions): Promise<{ data: Buffer; width: number; height: number }>;
}

export interface RgbOptions {
  width?: number;
  height?: number;
  fit?: 'fill' | 'inside' | 'cover';
}

export const DEFAULT_MAX_PIXELS = 40_000_000;

/**
 * sharp's strictest level, which its docs recommend for untrusted input. 'error' and
 * 'truncated' still let JPEGs with corrupt entropy-coded data through (libjpeg reports those
 * as warnings and fills in grey), which then reach the models as silently damaged pixels.
 */
const FAIL_ON = 'warning' as const;

export async function intakeImage(bytes: Buffer, limits: ImageLimits, field = 'image'): Promise<DecodedImage> {
  if (!bytes || bytes.length === 0) throw new IrisError('IMAGE_EMPTY', `${field}: image data is empty`, { field });
  if (bytes.length > limits.maxBytes) {
    throw new IrisError(
      'IMAGE_TOO_LARGE',
      `${field}: image is ${bytes.length} bytes, over the ${limits.maxBytes}-byte limit`,
      { field },
    );
  }

  const sniffed = sniffFormat(bytes);
  const accepted = limits.formats.join(', ');
  if (sniffed === null) {
    throw new IrisError('IMAGE_FORMAT', `${field}: not a recognised image format (accepted: ${accepted})`, { field });
  }
  if (!(limits.formats as string[]).includes(sniffed)) {
    throw new IrisError('IMAGE_FORMAT', `${field}: ${sniffed} images are not accepted (accepted: ${accepted})`, {
      field,
    });
  }
  const format = sniffed as ImageFormat;
  const maxPixels = limits.maxPixels ?? DEFAULT_MAX_PIXELS;

  const { width, height, open } =
    format === 'bmp' ? intakeBmp(bytes, maxPixels, field) : await intakeWithSharp(bytes, format, maxPixels, field);
  checkDimensions(width, height, limits, field);

  return {
    format,
    width,
    height,
    bytes,
    sharp: open,
    async rgb(opts: RgbOptions = {}) {
      let pipeline = open();
      if (opts.width !== undefined || opts.height !== undefined) {
        pipeline = pipeline.resize({ width: opts.width, height: opts.height, fit: opts.fit ?? 'inside' });
      }
      // Transparent pixels are composited onto white first: their stored colour is whatever the
      // editor left there (a cut-out product PNG often hides the old background or noise under
      // alpha 0), and dropping alpha alone would show it to every model. flatten + removeAlpha +
      // sRGB gives exactly 3 channels for grey, grey+alpha, RGBA and CMYK inputs; depth 'uchar'
      // brings 16-bit PNGs down to 8 bits.
      const { data, info } = await pipeline
        .flatten({ background: '#ffffff' })
        .removeAlpha()
        .toColourspace('srgb')
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height };
    },
  };
}

interface Source {
  /** Oriented dimensions. */
  width: number;
  height: number;
  open(): Sharp;
}

function intakeBmp(bytes: Buffer, maxPixels: number, field: string): Source {
  const header = readBmpHeader(bytes, field);
  checkPixelCount(header.width, header.height, maxPixels, field);
  // Full decode doubles as validation; BMP carries no EXIF, so no orientation step.
  const raw = decodeBmp(bytes, field);
  return {
    width: raw.width,
    height: raw.height,
    open: () =>
      sharp(raw.data, {
        raw: { width: raw.width, height: raw.height, channels: raw.channels },
        limitInputPixels: maxPixels,
      }),
  };
}

async function intakeWithSharp(bytes: Buffer, format: ImageFormat, maxPixels: number, field: string): Promise<Source> {
  // Header only. The pixel limit is left off here so an oversized image is reported with its
  // declared size by checkPixelCount rather than as sharp's generic limit error.
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false, failOn: FAIL_ON }).metadata();
  } catch (cause) {
    throw undecodable(format, field, cause);
  }
  if (meta.format !== format || !meta.width || !meta.height) throw undecodable(format, field);
  // For animated GIF/WebP this is one frame's size; only the first frame is ever decoded.
  checkPixelCount(meta.width, meta.height, maxPixels, field);

  const options: SharpOptions = { limitInputPixels: maxPixels, failOn: FAIL_ON };
  try {
    // Full decode, output discarded: truncation and corrupt data only surface while decoding.
    await sharp(bytes, options).raw().toBuffer();
  } catch (cause) {
    throw undecodable(format, field, cause);
  }
  return {
    // Orientations 5-8 swap width and height; sharp reports the oriented size.
    width: meta.autoOrient.width,
    height: meta.autoOrient.height,
    open: () => sharp(bytes, { ...options, autoOrient: true }),
  };
}

function undecodable(format: ImageFormat, field: string, cause?: unknown): IrisError {
  // libvips' message goes into `cause` for logs only; it is not client-facing text.
  return new IrisError('IMAGE_FORMAT', `${field}: ${format} image is corrupt or truncated and cannot be decoded`, {
    field,
    cause,
  });
}

function checkPixelCount(width: number, height: number, maxPixels: number, field: string): void {
  if (width * height > maxPixels) {
    throw new IrisError(
      'IMAGE_TOO_LARGE',
      `${field}: image declares ${width}x${height} = ${width * height} pixels, over the ${maxPixels}-pixel limit ` +
        '(refused as a possible decompression bomb)',
      { field },
    );
  }
}

function checkDimensions(width: number, height: number, limits: ImageLimits, field: string): void {
  // When both a side limit and a per-axis limit are given, the stricter one applies.
  const highest = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
  const lowest = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
  const bounds: Array<[side: 'width' | 'height', actual: number, min?: number, max?: number]> = [
    ['width', width, highest(limits.minSide, limits.minWidth), lowest(limits.maxSide, limits.maxWidth)],
    ['height', height, highest(limits.minSide, limits.minHeight), lowest(limits.maxSide, limits.maxHeight)],
  ];
  for (const [side, actual, min, max] of bounds) {
    if (min !== undefined && actual < min) {
      throw new IrisError(
        'IMAGE_DIMENSIONS',
        `${field}: ${side} ${actual} px is below the minimum of ${min} px (image is ${width}x${height})`,
        { field },
      );
    }
    if (max !== undefined && actual > max) {
      throw new IrisError(
        'IMAGE_DIMENSIONS',
        `${field}: ${side} ${actual} px is above the maximum of ${max} px (image is ${width}x${height})`,
        { field },
      );
    }
  }

  if (limits.maxAspect !== undefined) {
    const ratio = Math.max(width, height) / Math.min(width, height);
    if (ratio > limits.maxAspect) {
      throw new IrisError(
        'IMAGE_ASPECT',
        `${field}: aspect ratio ${+ratio.toFixed(2)}:1 (image is ${width}x${height}) ` +
          `exceeds the maximum of ${limits.maxAspect}:1`,
        { field },
      );
    }
  }
}
