/**
 * Catalogue pictures and "shopper's photographs" of cut-out objects (test/support/stamps.ts),
 * made with sharp, for the similar / product benchmark and tests.
 *
 *   catalogue(path)        the cut-out flattened on white (what a shop adds), JPEG q90
 *   shopperPhoto(path, …)  the object pasted smaller (40–60 % of the frame's shorter side),
 *                          rotated by ±4–12°, onto a photograph (wallpapers of
 *                          test/support/photos.ts, a random window of it) or a flat colour,
 *                          and in one query of three shifted so 15–30 % of it falls outside the
 *                          frame; JPEG q85. Returns the pasted object's box in the query's pixels.
 *
 * Everything is deterministic in `seed`.
 */
import sharp from 'sharp';
import { createHash } from 'node:crypto';
import type { Rect } from '../../lib/vision/pixels';

export function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export async function catalogue(path: string): Promise<Buffer> {
  return sharp(path).flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
}

export interface ShopperPhoto {
  bytes: Buffer;
  /** Where the object's (rotated) cut-out lies in the query, clipped to the frame. */
  box: Rect;
  background: string;
  cut: boolean;
}

export interface ShopperOptions {
  width?: number;
  height?: number;
  /** Photographs to use as backgrounds (paths); a flat colour is used one time in four. */
  backgrounds: string[];
}

export async function shopperPhoto(path: string, seed: number, o: ShopperOptions): Promise<ShopperPhoto> {
  const r = rng(seed);
  const W = o.width ?? 640;
  const H = o.height ?? 480;
  const flat = o.backgrounds.length === 0 || r() < 0.25;
  let bg: Buffer;
  let bgName: string;
  if (flat) {
    const [cr, cg, cb] = [r(), r(), r()].map((x) => Math.round(40 + 200 * x));
    bg = await sharp({ create: { width: W, height: H, channels: 3, background: { r: cr, g: cg, b: cb } } }).png().toBuffer();
    bgName = `flat rgb(${cr},${cg},${cb})`;
  } else {
    const file = o.backgrounds[Math.floor(r() * o.backgrounds.length)];
    const zoom = 1.2 + r() * 0.8;
    const big = await sharp(file).resize(Math.round(W * zoom), Math.round(H * zoom), { fit: 'cover' }).toBuffer();
    const left = Math.floor(r() * (Math.round(W * zoom) - W));
    const top = Math.floor(r() * (Math.round(H * zoom) - H));
    bg = await sharp(big).extract({ left, top, width: W, height: H }).png().toBuffer();
    bgName = file.split('/').slice(-1)[0];
  }
  const frac = 0.4 + r() * 0.2;
  const angle = (r() < 0.5 ? -1 : 1) * (4 + r() * 8);
  const side = Math.round(Math.min(W, H) * frac);
  const scaled = await sharp(path).ensureAlpha().resize(side, side, { fit: 'inside' }).png().toBuffer();
  const rotated = await sharp(scaled).rotate(angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer();
  // Trim transparent margins so the box is the object's own extent.
  const { data: trimmed, info } = await sharp(rotated).trim({ threshold: 1 }).png().toBuffer({ resolveWithObject: true });
  const ow = info.width;
  const oh = info.height;
  const cut = r() < 1 / 3;
  let left = Math.round(r() * (W - ow));
  let top = Math.round(r() * (H - oh));
  if (cut) {
    const f = 0.15 + r() * 0.15;
    switch (Math.floor(r() * 4)) {
      case 0: left = -Math.round(ow * f); break;
      case 1: left = W - ow + Math.round(ow * f); break;
      case 2: top = -Math.round(oh * f); break;
      default: top = H - oh + Math.round(oh * f);
    }
  }
  // sharp's composite needs the overlay inside the frame: cut it first.
  const ex = { left: Math.max(0, -left), top: Math.max(0, -top) };
  const ew = Math.min(ow - ex.left, W - Math.max(0, left));
  const eh = Math.min(oh - ex.top, H - Math.max(0, top));
  const piece = await sharp(trimmed).extract({ left: ex.left, top: ex.top, width: ew, height: eh }).png().toBuffer();
  const box = { left: Math.max(0, left), top: Math.max(0, top), width: ew, height: eh };
  const bytes = await sharp(bg).composite([{ input: piece, left: box.left, top: box.top }]).jpeg({ quality: 85 }).toBuffer();
  return { bytes, box, background: bgName, cut };
}

/** The clean query: the catalogue picture at 80 % size, re-encoded (JPEG q80). */
export async function cleanQuery(path: string): Promise<Buffer> {
  const c = await catalogue(path);
  const m = await sharp(c).metadata();
  return sharp(c).resize(Math.round(m.width * 0.8)).jpeg({ quality: 80 }).toBuffer();
}
