/**
 * Local features for geometric verification: ORB keypoints and binary descriptors (OpenCV),
 * ratio-test matching, and RANSAC fits of a similarity transform (scale, rotation, shift:
 * for copies, crops and slight rotations) or a homography (for photographed pages).
 */
import { cvReady, type CV } from './opencv';
import type { GreyImage } from './pixels';

export interface LocalFeatures {
  /** Size of the image the keypoints were detected in. */
  width: number;
  height: number;
  /** x0, y0, x1, y1, … */
  points: Float32Array;
  /** 32 bytes per keypoint. */
  descriptors: Uint8Array;
}

const DESC = 32;

/**
 * ORB on a contrast-limited, locally equalised copy (CLAHE): it makes the keypoints of a
 * brightened or recompressed copy land where the original's do, gives dull images (mist, night
 * sky) enough corners for FAST's fixed threshold (opencv.js binds no setter for it), and, being
 * local, a caption or watermark changes only the tiles it covers.
 */
export async function orbFeatures(img: GreyImage, maxFeatures = 800): Promise<LocalFeatures> {
  const { cv } = await cvReady();
  const mat = new cv.Mat(img.height, img.width, cv.CV_8UC1);
  mat.data.set(img.data);
  const local = new cv.Mat();
  const mask = new cv.Mat();
  const clahe = new cv.CLAHE(CLAHE_CLIP, new cv.Size(8, 8));
  try {
    clahe.apply(mat, local);
    return { width: img.width, height: img.height, ...detect(cv, local, mask, maxFeatures) };
  } finally {
    mat.delete();
    local.delete();
    mask.delete();
    clahe.delete();
  }
}

const CLAHE_CLIP = 8;

function detect(cv: CV, mat: CV, mask: CV, maxFeatures: number): Pick<LocalFeatures, 'points' | 'descriptors'> {
  const orb = new cv.ORB(maxFeatures);
  const keypoints = new cv.KeyPointVector();
  const descriptors = new cv.Mat();
  try {
    orb.detectAndCompute(mat, mask, keypoints, descriptors);
    const n = descriptors.rows;
    const points = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const kp = keypoints.get(i);
      points[2 * i] = kp.pt.x;
      points[2 * i + 1] = kp.pt.y;
    }
    return { points, descriptors: new Uint8Array(descriptors.data.slice(0, n * DESC)) };
  } finally {
    orb.delete();
    keypoints.delete();
    descriptors.delete();
  }
}

export function featureCount(f: LocalFeatures): number {
  return f.points.length / 2;
}

function descriptorMat(cv: CV, f: LocalFeatures) {
  const n = featureCount(f);
  const m = new cv.Mat(n, DESC, cv.CV_8UC1);
  m.data.set(f.descriptors);
  return m;
}

export interface PointMatch {
  /** Index into the query's keypoints. */
  q: number;
  /** Index into the stored image's keypoints. */
  s: number;
}

/** Lowe's ratio test on the two nearest Hamming neighbours. */
export async function matchFeatures(query: LocalFeatures, stored: LocalFeatures, ratio = 0.8): Promise<PointMatch[]> {
  if (featureCount(query) < 2 || featureCount(stored) < 2) return [];
  const { cv } = await cvReady();
  const a = descriptorMat(cv, query);
  const b = descriptorMat(cv, stored);
  const matcher = new cv.BFMatcher(cv.NORM_HAMMING, false);
  const knn = new cv.DMatchVectorVector();
  try {
    matcher.knnMatch(a, b, knn, 2);
    const out: PointMatch[] = [];
    for (let i = 0; i < knn.size(); i++) {
      const pair = knn.get(i);
      if (pair.size() >= 2) {
        const m0 = pair.get(0);
        const m1 = pair.get(1);
        if (m0.distance < ratio * m1.distance && m0.distance <= 64) out.push({ q: m0.queryIdx, s: m0.trainIdx });
      }
      pair.delete();
    }
    return out;
  } finally {
    a.delete();
    b.delete();
    matcher.delete();
    knn.delete();
  }
}

export interface Fit {
  inliers: number;
  /** Fraction of the matches that agree with the fitted transform. */
  inlierRatio: number;
  /** Scale of the stored image relative to the query (similarity fits). */
  scale?: number;
  /** Bounding-box area of the inliers in the stored image, as a fraction of that image. */
  coverage: number;
  /**
   * Inliers per stored keypoint inside that bounding box. Low when a few shared elements (a
   * caption, a frame) line up but the rest of the spanned area does not.
   */
  support: number;
  /** The fitted transform from query to stored keypoint coordinates (absent when there is no fit). */
  transform?: Transform;
}

/** s = a·q + t (a = ar + i·ai, similarity) or a 3×3 homography, row-major. */
export type Transform = { kind: 'similarity'; ar: number; ai: number; tx: number; ty: number } | { kind: 'homography'; h: number[] };

/** Maps a query point through a fitted transform. */
export function applyTransform(t: Transform, x: number, y: number): [number, number] {
  if (t.kind === 'similarity') return [t.ar * x - t.ai * y + t.tx, t.ai * x + t.ar * y + t.ty];
  const h = t.h;
  const w = h[6] * x + h[7] * y + h[8] || 1e-12;
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

export const NO_FIT: Fit = { inliers: 0, inlierRatio: 0, coverage: 0, support: 0 };

/** Deterministic pseudo-random generator, so the same query always gets the same score. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function spread(stored: LocalFeatures, idx: number[]): { coverage: number; support: number } {
  if (idx.length < 2) return { coverage: 0, support: 0 };
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const i of idx) {
    const x = stored.points[2 * i];
    const y = stored.points[2 * i + 1];
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  let inside = 0;
  for (let i = 0; i < stored.points.length; i += 2) {
    const x = stored.points[i];
    const y = stored.points[i + 1];
    if (x >= x0 && x <= x1 && y >= y0 && y <= y1) inside++;
  }
  return { coverage: ((x1 - x0) * (y1 - y0)) / (stored.width * stored.height), support: idx.length / (inside || 1) };
}

/**
 * RANSAC of s = a·q + t with a = scale·e^(iθ) in complex notation (2-point minimal sample).
 * `tolerance` is the reprojection error allowed, as a fraction of the stored image's longer side.
 */
export function fitSimilarity(
  query: LocalFeatures,
  stored: LocalFeatures,
  matches: PointMatch[],
  opts: { tolerance?: number; iterations?: number; minScale?: number; maxScale?: number } = {},
): Fit {
  const n = matches.length;
  if (n < 3) return NO_FIT;
  const tol = (opts.tolerance ?? 0.015) * Math.max(stored.width, stored.height);
  const tol2 = tol * tol;
  const minScale = opts.minScale ?? 0.15;
  const maxScale = opts.maxScale ?? 8;
  const qx = new Float64Array(n);
  const qy = new Float64Array(n);
  const sx = new Float64Array(n);
  const sy = new Float64Array(n);
  matches.forEach((m, i) => {
    qx[i] = query.points[2 * m.q];
    qy[i] = query.points[2 * m.q + 1];
    sx[i] = stored.points[2 * m.s];
    sy[i] = stored.points[2 * m.s + 1];
  });
  const rand = lcg(n * 7919 + 17);
  let best = 0;
  let bestModel: [number, number, number, number] | null = null;
  const iterations = Math.min(opts.iterations ?? 400, (n * (n - 1)) / 2);
  for (let it = 0; it < iterations; it++) {
    const i = Math.floor(rand() * n);
    let j = Math.floor(rand() * (n - 1));
    if (j >= i) j++;
    const dqx = qx[j] - qx[i];
    const dqy = qy[j] - qy[i];
    const dq2 = dqx * dqx + dqy * dqy;
    if (dq2 < 1) continue;
    const dsx = sx[j] - sx[i];
    const dsy = sy[j] - sy[i];
    // a = ds / dq (complex division)
    const ar = (dsx * dqx + dsy * dqy) / dq2;
    const ai = (dsy * dqx - dsx * dqy) / dq2;
    const scale = Math.hypot(ar, ai);
    if (scale < minScale || scale > maxScale) continue;
    const tx = sx[i] - (ar * qx[i] - ai * qy[i]);
    const ty = sy[i] - (ai * qx[i] + ar * qy[i]);
    let count = 0;
    for (let k = 0; k < n; k++) {
      const ex = ar * qx[k] - ai * qy[k] + tx - sx[k];
      const ey = ai * qx[k] + ar * qy[k] + ty - sy[k];
      if (ex * ex + ey * ey <= tol2) count++;
    }
    if (count > best) {
      best = count;
      bestModel = [ar, ai, tx, ty];
    }
  }
  if (!bestModel) return NO_FIT;
  const [ar, ai, tx, ty] = bestModel;
  // One stored keypoint may be claimed by several query keypoints; count it once.
  const used = new Set<number>();
  const idx: number[] = [];
  for (let k = 0; k < n; k++) {
    const ex = ar * qx[k] - ai * qy[k] + tx - sx[k];
    const ey = ai * qx[k] + ar * qy[k] + ty - sy[k];
    if (ex * ex + ey * ey <= tol2 && !used.has(matches[k].s)) {
      used.add(matches[k].s);
      idx.push(matches[k].s);
    }
  }
  return {
    inliers: idx.length,
    inlierRatio: idx.length / n,
    scale: Math.hypot(ar, ai),
    ...spread(stored, idx),
    transform: { kind: 'similarity', ar, ai, tx, ty },
  };
}

/** RANSAC homography (OpenCV), rejecting folded or degenerate fits. */
export async function fitHomography(query: LocalFeatures, stored: LocalFeatures, matches: PointMatch[], tolerance = 0.02): Promise<Fit> {
  const n = matches.length;
  if (n < 6) return NO_FIT;
  const { cv } = await cvReady();
  const src = new cv.Mat(n, 1, cv.CV_32FC2);
  const dst = new cv.Mat(n, 1, cv.CV_32FC2);
  matches.forEach((m, i) => {
    src.data32F[2 * i] = query.points[2 * m.q];
    src.data32F[2 * i + 1] = query.points[2 * m.q + 1];
    dst.data32F[2 * i] = stored.points[2 * m.s];
    dst.data32F[2 * i + 1] = stored.points[2 * m.s + 1];
  });
  const mask = new cv.Mat();
  let h: CV;
  try {
    h = cv.findHomography(src, dst, cv.RANSAC, tolerance * Math.max(stored.width, stored.height), mask, 2000, 0.995);
    if (h.empty()) return NO_FIT;
    const H = h.data64F as Float64Array;
    const det = H[0] * H[4] - H[1] * H[3];
    // A page seen by a phone camera keeps its orientation sign and a bounded scale/skew.
    if (!(det > 0.01 && det < 100) || Math.abs(H[6]) > 0.01 || Math.abs(H[7]) > 0.01) return NO_FIT;
    const used = new Set<number>();
    const idx: number[] = [];
    for (let i = 0; i < n; i++) {
      if (mask.data[i] && !used.has(matches[i].s)) {
        used.add(matches[i].s);
        idx.push(matches[i].s);
      }
    }
    return { inliers: idx.length, inlierRatio: idx.length / n, ...spread(stored, idx), transform: { kind: 'homography', h: Array.from(H) } };
  } finally {
    src.delete();
    dst.delete();
    mask.delete();
    h?.delete();
  }
}

/** Binary sidecar: "IRF1", u16 width, u16 height, u32 n, n×2 float32 points, n×32 descriptor bytes, then `extra`. */
export function encodeFeatures(f: LocalFeatures, extra: Buffer = Buffer.alloc(0)): Buffer {
  const n = featureCount(f);
  const head = Buffer.alloc(12);
  head.write('IRF1', 0, 'ascii');
  head.writeUInt16LE(f.width, 4);
  head.writeUInt16LE(f.height, 6);
  head.writeUInt32LE(n, 8);
  const extraLen = Buffer.alloc(4);
  extraLen.writeUInt32LE(extra.length, 0);
  return Buffer.concat([head, Buffer.from(f.points.buffer, f.points.byteOffset, n * 8), Buffer.from(f.descriptors), extraLen, extra]);
}

export function decodeFeatures(buf: Buffer): { features: LocalFeatures; extra: Buffer } {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'IRF1') throw new Error('not an IRF1 feature sidecar');
  const width = buf.readUInt16LE(4);
  const height = buf.readUInt16LE(6);
  const n = buf.readUInt32LE(8);
  let o = 12;
  const points = new Float32Array(n * 2);
  for (let i = 0; i < n * 2; i++, o += 4) points[i] = buf.readFloatLE(o);
  const descriptors = new Uint8Array(buf.subarray(o, o + n * DESC));
  o += n * DESC;
  const extraLen = buf.readUInt32LE(o);
  return { features: { width, height, points, descriptors }, extra: buf.subarray(o + 4, o + 4 + extraLen) };
}
