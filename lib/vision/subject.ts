/**
 * Finding the main subject of a photograph (the product a shopper photographed, the object of
 * a catalogue picture), so the similar and product engines can embed that region rather than
 * the wall behind it.
 *
 * `foregroundBox` is a background model from the picture's border: the colours of a thin ring
 * around the edge are clustered (k-means in RGB); a pixel is foreground when it is far from
 * every border colour. The box is the robust extent (trimmed percentiles) of the foreground
 * pixels, weighted towards the centre, so a few stray wallpaper pixels do not stretch it. A
 * picture on a plain (e.g. white) background gives the object's bounding box; one whose
 * object fills the frame gives (nearly) the whole picture.
 *
 * Boxes are in the pixels of the image passed in; `scaleRect` maps them to another size.
 */
import type { RgbImage } from './embedding';
import type { Rect } from './pixels';

export type { Rect } from './pixels';

export interface SubjectOptions {
  /** Border ring thickness as a fraction of the shorter side. */
  ring: number;
  /** Border colour clusters. */
  clusters: number;
  /** Minimum RGB distance (0..441) from every border colour for a pixel to count as foreground. */
  minDistance: number;
  /** Trimmed fraction of the foreground mass on each side of the box. */
  trim: number;
}

export const SUBJECT_DEFAULTS: SubjectOptions = { ring: 0.04, clusters: 8, minDistance: 60, trim: 0.02 };

export interface SubjectResult {
  box: Rect;
  /** Foreground fraction of the picture (0..1). */
  coverage: number;
  /** Per-pixel foreground strength in [0, 1] (same size as the input), for masking. */
  mask: Float32Array;
}

function kmeans(points: Float32Array, k: number, iterations = 8): Float32Array {
  const n = points.length / 3;
  const centres = new Float32Array(k * 3);
  // Deterministic seeding: evenly spaced border samples.
  for (let c = 0; c < k; c++) {
    const i = Math.floor(((c + 0.5) * n) / k);
    centres.set(points.subarray(i * 3, i * 3 + 3), c * 3);
  }
  const sums = new Float64Array(k * 3);
  const counts = new Float64Array(k);
  for (let it = 0; it < iterations; it++) {
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const dr = points[i * 3] - centres[c * 3];
        const dg = points[i * 3 + 1] - centres[c * 3 + 1];
        const db = points[i * 3 + 2] - centres[c * 3 + 2];
        const d = dr * dr + dg * dg + db * db;
        if (d < bestD) [best, bestD] = [c, d];
      }
      sums[best * 3] += points[i * 3];
      sums[best * 3 + 1] += points[i * 3 + 1];
      sums[best * 3 + 2] += points[i * 3 + 2];
      counts[best]++;
    }
    for (let c = 0; c < k; c++) {
      if (!counts[c]) continue;
      for (let j = 0; j < 3; j++) centres[c * 3 + j] = sums[c * 3 + j] / counts[c];
    }
  }
  return centres;
}

function weightedQuantile(values: Float64Array, q: number): number {
  let total = 0;
  for (const v of values) total += v;
  let acc = 0;
  for (let i = 0; i < values.length; i++) {
    acc += values[i];
    if (acc >= q * total) return i;
  }
  return values.length - 1;
}

/** The main subject's box by a border-colour background model (see the module comment). */
export function foregroundBox(img: RgbImage, options: Partial<SubjectOptions> = {}): SubjectResult {
  const o = { ...SUBJECT_DEFAULTS, ...options };
  const { width: w, height: h, data } = img;
  const ring = Math.max(1, Math.round(Math.min(w, h) * o.ring));
  const border: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x >= ring && x < w - ring && y >= ring && y < h - ring) continue;
      const p = (y * w + x) * 3;
      border.push(data[p], data[p + 1], data[p + 2]);
    }
  }
  const centres = kmeans(Float32Array.from(border), o.clusters);
  const mask = new Float32Array(w * h);
  const colMass = new Float64Array(w);
  const rowMass = new Float64Array(h);
  let fg = 0;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 3;
      let bestD = Infinity;
      for (let c = 0; c < o.clusters; c++) {
        const dr = data[p] - centres[c * 3];
        const dg = data[p + 1] - centres[c * 3 + 1];
        const db = data[p + 2] - centres[c * 3 + 2];
        bestD = Math.min(bestD, dr * dr + dg * dg + db * db);
      }
      const d = Math.sqrt(bestD);
      const m = Math.min(1, Math.max(0, (d - o.minDistance * 0.5) / o.minDistance));
      mask[y * w + x] = m;
      if (d < o.minDistance) continue;
      fg++;
      // Centre prior: a stray pixel near the edge weighs less than one near the middle.
      const r2 = ((x - cx) / w) ** 2 + ((y - cy) / h) ** 2;
      const wgt = Math.exp(-r2 / 0.18);
      colMass[x] += wgt;
      rowMass[y] += wgt;
    }
  }
  const coverage = fg / (w * h);
  if (coverage < 0.005) return { box: { left: 0, top: 0, width: w, height: h }, coverage, mask: mask.fill(1) };
  const left = weightedQuantile(colMass, o.trim);
  const right = weightedQuantile(colMass, 1 - o.trim);
  const top = weightedQuantile(rowMass, o.trim);
  const bottom = weightedQuantile(rowMass, 1 - o.trim);
  return { box: { left, top, width: right - left + 1, height: bottom - top + 1 }, coverage, mask };
}

/** A box grown by `margin` (fraction of its size) on each side and made square, within w x h. */
export function squareAround(box: Rect, w: number, h: number, margin = 0.08): Rect {
  const side = Math.min(Math.max(w, h), Math.max(box.width, box.height) * (1 + 2 * margin));
  const cx = box.left + box.width / 2;
  const cy = box.top + box.height / 2;
  const sw = Math.min(w, side);
  const sh = Math.min(h, side);
  const left = Math.min(Math.max(0, cx - sw / 2), w - sw);
  const top = Math.min(Math.max(0, cy - sh / 2), h - sh);
  return { left, top, width: sw, height: sh };
}

export function scaleRect(r: Rect, sx: number, sy: number): Rect {
  return {
    left: Math.round(r.left * sx),
    top: Math.round(r.top * sy),
    width: Math.max(1, Math.round(r.width * sx)),
    height: Math.max(1, Math.round(r.height * sy)),
  };
}

export function iou(a: Rect, b: Rect): number {
  const x1 = Math.max(a.left, b.left);
  const y1 = Math.max(a.top, b.top);
  const x2 = Math.min(a.left + a.width, b.left + b.width);
  const y2 = Math.min(a.top + a.height, b.top + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  return inter / (a.width * a.height + b.width * b.height - inter || 1);
}

/** How uniform the picture's border is: the RGB standard deviation of its outer ring (0 = one flat colour). */
export function borderSpread(img: RgbImage, ring = 0.03): number {
  const { width: w, height: h, data } = img;
  const r = Math.max(1, Math.round(Math.min(w, h) * ring));
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  let n = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x >= r && x < w - r && y >= r && y < h - r) continue;
      const p = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) {
        sum[c] += data[p + c];
        sq[c] += data[p + c] * data[p + c];
      }
      n++;
    }
  }
  let v = 0;
  for (let c = 0; c < 3; c++) v += sq[c] / n - (sum[c] / n) ** 2;
  return Math.sqrt(Math.max(0, v / 3));
}

/**
 * Foreground segmentation inside a box by GrabCut (OpenCV): pixels outside the box are
 * background, inside are modelled as foreground / background colour mixtures and cut by a
 * graph. Returns a 0/1 mask of the image (1 = subject) and the mask's bounding box; `null`
 * when GrabCut finds no foreground (the caller keeps the box).
 */
export async function grabCutMask(img: RgbImage, box: Rect, iterations = 3): Promise<{ mask: Uint8Array; box: Rect } | null> {
  const { cvReady } = await import('./opencv');
  const { cv } = await cvReady();
  const { width: w, height: h } = img;
  const left = Math.max(0, Math.floor(box.left));
  const top = Math.max(0, Math.floor(box.top));
  const right = Math.min(w, Math.ceil(box.left + box.width));
  const bottom = Math.min(h, Math.ceil(box.top + box.height));
  if (right - left < 4 || bottom - top < 4) return null;
  // GrabCut needs some background outside the rectangle.
  if (left === 0 && top === 0 && right === w && bottom === h) return null;
  const src = cv.matFromArray(h, w, cv.CV_8UC3, Array.from(img.data));
  const mask = new cv.Mat();
  const bgd = new cv.Mat();
  const fgd = new cv.Mat();
  try {
    cv.grabCut(src, mask, new cv.Rect(left, top, right - left, bottom - top), bgd, fgd, iterations, cv.GC_INIT_WITH_RECT);
    const m = mask.data as Uint8Array;
    const out = new Uint8Array(w * h);
    let minX = w;
    let minY = h;
    let maxX = -1;
    let maxY = -1;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = m[y * w + x];
        if (v !== 1 && v !== 3) continue;
        out[y * w + x] = 1;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
    if (maxX < 0) return null;
    return { mask: out, box: { left: minX, top: minY, width: maxX - minX + 1, height: maxY - minY + 1 } };
  } finally {
    src.delete();
    mask.delete();
    bgd.delete();
    fgd.delete();
  }
}

/** The picture with every pixel outside `mask` painted `fill` (white by default). */
export function applyMask(img: RgbImage, mask: Uint8Array, fill = 255): RgbImage {
  const out = new Uint8Array(img.data);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i]) continue;
    out[i * 3] = fill;
    out[i * 3 + 1] = fill;
    out[i * 3 + 2] = fill;
  }
  return { data: out, width: img.width, height: img.height };
}

/** A detector's view of the picture, for findSubject (lib/vision/detector.ts implements it). */
export interface BoxDetector {
  detect(image: RgbImage): Promise<Array<{ box: Rect; score: number }>>;
}

export const FIND_DEFAULTS = {
  /** Border spread (RGB std) under which the background counts as plain (catalogue picture). */
  plainBorder: 12,
  /** Detections scoring under this are ignored. */
  minScore: 0.15,
  /** Side (px) of the picture GrabCut and the border model work on. */
  segmentSide: 160,
};

export interface Subject {
  /** The subject's box in `img`'s pixels (after GrabCut when it found the object). */
  box: Rect;
  /** Which cue chose the box. */
  source: 'plain-background' | 'detector' | 'foreground' | 'whole';
  /** The detector's best box (the whole picture when it found nothing or was not given). */
  detected: Rect;
  /** The border model's foreground box (the whole picture when there is no foreground). */
  foreground: Rect;
}

const clipTo = (r: Rect, w: number, h: number): Rect => {
  const left = Math.min(w - 1, Math.max(0, r.left));
  const top = Math.min(h - 1, Math.max(0, r.top));
  const right = Math.min(w, Math.max(left + 1, r.left + r.width));
  const bottom = Math.min(h, Math.max(top + 1, r.top + r.height));
  return { left, top, width: right - left, height: bottom - top };
};

/**
 * The main subject of a picture and the two cues behind it: the detector's best box and the
 * border model's foreground box. The reported box is the foreground's on a plain background,
 * else the detector's (the foreground's when the detector finds nothing), refined by GrabCut
 * inside it. (Painting the background out of the cut was measured and not kept: on the tuning
 * stamps it lowered "same item first" from 29 % to 17 %, BENCHMARKS.md.)
 */
export async function findSubject(img: RgbImage, detector?: BoxDetector, o = FIND_DEFAULTS): Promise<Subject> {
  const { resizeRgb } = await import('./pixels');
  const small = await resizeRgb(img, o.segmentSide, o.segmentSide, 'inside');
  const sx = img.width / small.width;
  const sy = img.height / small.height;
  const up = (r: Rect): Rect => clipTo({ left: r.left * sx, top: r.top * sy, width: r.width * sx, height: r.height * sy }, img.width, img.height);
  const whole = { left: 0, top: 0, width: img.width, height: img.height };
  const fg = foregroundBox(small);
  const foreground = fg.coverage < 0.005 ? whole : up(fg.box);
  const plain = borderSpread(small) < o.plainBorder;
  const best = detector ? (await detector.detect(img)).filter((d) => d.score >= o.minScore).sort((a, b) => b.score - a.score)[0] : undefined;
  const detected = best ? clipTo(best.box, img.width, img.height) : whole;
  let box: Rect;
  let source: Subject['source'];
  if (plain) [box, source] = fg.coverage < 0.005 ? [whole, 'whole'] : [foreground, 'plain-background'];
  else [box, source] = best ? [detected, 'detector'] : fg.coverage < 0.005 ? [whole, 'whole'] : [foreground, 'foreground'];
  if (source === 'whole') return { box, source, detected, foreground };
  const g = 0.05;
  const grown = clipTo({ left: box.left - box.width * g, top: box.top - box.height * g, width: box.width * (1 + 2 * g), height: box.height * (1 + 2 * g) }, img.width, img.height);
  const gc = await grabCutMask(small, { left: grown.left / sx, top: grown.top / sy, width: grown.width / sx, height: grown.height / sy });
  return { box: gc ? up(gc.box) : box, source, detected, foreground };
}
