/**
 * Perceptual hash (DCT pHash, 64 bits): the 8x8 lowest frequencies of a 32x32 grey thumbnail,
 * each bit = above the median. Robust to resizing, recompression, brightness and greyscale;
 * not to crops, flips or rotations (which the same-image engine handles with local features).
 */
import { shrinkGrey, type GreyImage } from './pixels';

const N = 32;
const K = 8;
const COS = (() => {
  const t = new Float64Array(K * N);
  for (let u = 0; u < K; u++) for (let x = 0; x < N; x++) t[u * N + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N));
  return t;
})();

export function pHash(img: GreyImage): bigint {
  const px = shrinkGrey(img, N, N);
  // Separable DCT: rows first (N x K), then columns (K x K).
  const rows = new Float64Array(N * K);
  for (let y = 0; y < N; y++) {
    for (let u = 0; u < K; u++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += px[y * N + x] * COS[u * N + x];
      rows[y * K + u] = s;
    }
  }
  const coeffs = new Float64Array(K * K);
  for (let v = 0; v < K; v++) {
    for (let u = 0; u < K; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += rows[y * K + u] * COS[v * N + y];
      coeffs[v * K + u] = s;
    }
  }
  // The DC term says only "how bright"; leave it out of the median.
  const sorted = Array.from(coeffs.subarray(1)).sort((a, b) => a - b);
  const median = (sorted[31] + sorted[32]) / 2;
  let h = 0n;
  for (let i = 0; i < K * K; i++) if (coeffs[i] > median) h |= 1n << BigInt(i);
  return h;
}

export function hamming64(a: bigint, b: bigint): number {
  let x = a ^ b;
  let n = 0;
  while (x) {
    x &= x - 1n;
    n++;
  }
  return n;
}
