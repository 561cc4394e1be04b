/**
 * Descriptor distance → FRS `similarity`.
 *
 * face-api's descriptor is dlib's ResNet face embedding: two faces are the same person when the
 * Euclidean distance is below ~0.6 (dlib's LFW operating point). FRS tells users to accept a
 * match at similarity ≥ 0.93, a strict operating point, so the mapping puts the stricter distance
 * 0.5 at exactly 0.93 (on the sample-photo pairs of bench/faces.ts: 0 % false reject, 0.1 % false
 * accept at 0.5, against 5.9 % false accept at 0.6):
 *   d ≤ D_MATCH:          s = 1 − 0.07 · d / D_MATCH             (1 … 0.93)
 *   D_MATCH < d < D_ZERO: s = 0.93 · (D_ZERO − d) / (D_ZERO − D_MATCH)   (0.93 … 0)
 *   d ≥ D_ZERO:           s = 0
 * It is monotonic, so ranking by similarity is ranking by distance. Measured false-accept /
 * false-reject at 0.93: BENCHMARKS.md "## Face sets".
 */
export const D_MATCH = 0.5;
export const D_ZERO = 1.2;
export const SUGGESTED_THRESHOLD = 0.93;

export function similarityOf(distance: number): number {
  const d = Math.max(0, distance);
  const s = d <= D_MATCH ? 1 - (0.07 * d) / D_MATCH : d >= D_ZERO ? 0 : (0.93 * (D_ZERO - d)) / (D_ZERO - D_MATCH);
  return Math.round(Math.min(1, Math.max(0, s)) * 1e6) / 1e6;
}

/** The largest distance whose similarity is still ≥ threshold (for a distance-side cut-off). */
export function distanceFor(threshold: number): number {
  if (threshold <= 0) return Infinity;
  if (threshold >= 0.93) return ((1 - threshold) * D_MATCH) / 0.07;
  return D_ZERO - (threshold * (D_ZERO - D_MATCH)) / 0.93;
}

export function euclidean(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}
