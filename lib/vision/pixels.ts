/**
 * Small raw-pixel helpers shared by the embedders and the search engines. Images are RGB
 * (3 channels) or grey (1 channel) uint8 buffers, row-major; resizing goes through sharp.
 */
import sharp from 'sharp';
import type { RgbImage } from './embedding';

export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Resize raw RGB pixels (fit 'fill' distorts to exactly width x height). */
export async function resizeRgb(img: RgbImage, width: number, height: number, fit: 'fill' | 'inside' = 'fill'): Promise<RgbImage> {
  const { data, info } = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize({ width, height, fit, kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export function cropRgb(img: RgbImage, r: Rect): RgbImage {
  const left = Math.max(0, Math.round(r.left));
  const top = Math.max(0, Math.round(r.top));
  const width = Math.max(1, Math.min(img.width - left, Math.round(r.width)));
  const height = Math.max(1, Math.min(img.height - top, Math.round(r.height)));
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const src = ((top + y) * img.width + left) * 3;
    out.set(img.data.subarray(src, src + width * 3), y * width * 3);
  }
  return { data: out, width, height };
}

export function mirrorRgb(img: RgbImage): RgbImage {
  const { width, height } = img;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      const d = (y * width + (width - 1 - x)) * 3;
      out[d] = img.data[s];
      out[d + 1] = img.data[s + 1];
      out[d + 2] = img.data[s + 2];
    }
  }
  return { data: out, width, height };
}

/** ITU-R BT.601 luma. */
export function toGrey(img: RgbImage): GreyImage {
  const n = img.width * img.height;
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i] = (img.data[j] * 299 + img.data[j + 1] * 587 + img.data[j + 2] * 114 + 500) / 1000;
  }
  return { data: out, width: img.width, height: img.height };
}

export function mirrorGrey(img: GreyImage): GreyImage {
  const { width, height } = img;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + width - 1 - x] = img.data[row + x];
  }
  return { data: out, width, height };
}

/** Area-average downscale of a grey image to exactly w x h (for hashes). */
export function shrinkGrey(img: GreyImage, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  const cnt = new Float64Array(w * h);
  for (let y = 0; y < img.height; y++) {
    const ty = Math.min(h - 1, Math.floor((y * h) / img.height));
    for (let x = 0; x < img.width; x++) {
      const tx = Math.min(w - 1, Math.floor((x * w) / img.width));
      out[ty * w + tx] += img.data[y * img.width + x];
      cnt[ty * w + tx]++;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] /= cnt[i] || 1;
  return out;
}
