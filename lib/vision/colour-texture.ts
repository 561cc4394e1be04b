/**
 * Hand-made colour and texture descriptors for fabric ("materiel") search, where the CNN
 * embedding (tuned to objects) under-weights what a fabric buyer cares about.
 *
 * Both are histograms turned into unit vectors by square root then L2 (Hellinger mapping), so
 * the dot product of two descriptors is the Bhattacharyya coefficient of the histograms.
 */
import type { RgbImage } from './embedding';
import { toGrey, type GreyImage } from './pixels';

const H_BINS = 12;
const S_BINS = 3;
const V_BINS = 3;
/** Hue x saturation x value bins, plus 4 bins of grey level for near-achromatic pixels. */
export const COLOUR_DIM = H_BINS * S_BINS * V_BINS + 4;

function hellinger(hist: Float64Array): number[] {
  let sum = 0;
  for (const v of hist) sum += v;
  const out = new Array<number>(hist.length);
  let sq = 0;
  for (let i = 0; i < hist.length; i++) {
    out[i] = Math.sqrt(hist[i] / (sum || 1));
    sq += out[i] * out[i];
  }
  const n = Math.sqrt(sq) || 1;
  return out.map((v) => v / n);
}

export function colourHistogram(img: RgbImage): number[] {
  const hist = new Float64Array(COLOUR_DIM);
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) {
    const r = d[i] / 255;
    const g = d[i + 1] / 255;
    const b = d[i + 2] / 255;
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    const c = max - min;
    const s = max === 0 ? 0 : c / max;
    if (s < 0.15 || max < 0.12) {
      hist[H_BINS * S_BINS * V_BINS + Math.min(3, Math.floor(max * 4))]++;
      continue;
    }
    let h = max === r ? ((g - b) / c) % 6 : max === g ? (b - r) / c + 2 : (r - g) / c + 4;
    if (h < 0) h += 6;
    const hb = Math.min(H_BINS - 1, Math.floor((h / 6) * H_BINS));
    const sb = Math.min(S_BINS - 1, Math.floor(((s - 0.15) / 0.85) * S_BINS));
    const vb = Math.min(V_BINS - 1, Math.floor(((max - 0.12) / 0.88) * V_BINS));
    hist[(hb * S_BINS + sb) * V_BINS + vb]++;
  }
  return hellinger(hist);
}

/** Rotation-invariant uniform LBP (8 neighbours, radius 1): 9 uniform codes + 1 "other". */
function lbpHistogram(g: GreyImage): Float64Array {
  const hist = new Float64Array(10);
  const { data, width: w, height: h } = g;
  const off = [-w - 1, -w, -w + 1, 1, w + 1, w, w - 1, -1];
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const p = y * w + x;
      const c = data[p];
      let bits = 0;
      let ones = 0;
      for (let k = 0; k < 8; k++) {
        const bit = data[p + off[k]] >= c ? 1 : 0;
        bits |= bit << k;
        ones += bit;
      }
      let transitions = 0;
      for (let k = 0; k < 8; k++) transitions += ((bits >> k) & 1) !== ((bits >> ((k + 1) & 7)) & 1) ? 1 : 0;
      hist[transitions <= 2 ? ones : 9]++;
    }
  }
  return hist;
}

/** Gradient orientation (8 bins, weighted by magnitude) and a magnitude "busyness" histogram (4 bins). */
function gradientHistogram(g: GreyImage): Float64Array {
  const hist = new Float64Array(12);
  const { data, width: w, height: h } = g;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const p = y * w + x;
      const gx = data[p + 1] - data[p - 1];
      const gy = data[p + w] - data[p - w];
      const mag = Math.hypot(gx, gy);
      // Orientation modulo 180 degrees: edges, not their polarity.
      let a = Math.atan2(gy, gx);
      if (a < 0) a += Math.PI;
      hist[Math.min(7, Math.floor((a / Math.PI) * 8))] += mag;
      hist[8 + Math.min(3, Math.floor(Math.log2(1 + mag) / 2))]++;
    }
  }
  // Keep the two parts on comparable scales.
  const normalise = (from: number, to: number) => {
    let s = 0;
    for (let i = from; i < to; i++) s += hist[i];
    for (let i = from; i < to; i++) hist[i] /= s || 1;
  };
  normalise(0, 8);
  normalise(8, 12);
  return hist;
}

function halve(g: GreyImage): GreyImage {
  const w = g.width >> 1;
  const h = g.height >> 1;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = 2 * y * g.width + 2 * x;
      out[y * w + x] = (g.data[p] + g.data[p + 1] + g.data[p + g.width] + g.data[p + g.width + 1] + 2) >> 2;
    }
  }
  return { data: out, width: w, height: h };
}

/** LBP and gradient histograms at two scales. */
export const TEXTURE_DIM = 2 * (10 + 12);

export function textureDescriptor(img: RgbImage): number[] {
  const fine = toGrey(img);
  const coarse = halve(fine);
  const parts: Float64Array[] = [];
  for (const g of [fine, coarse]) {
    const lbp = lbpHistogram(g);
    let s = 0;
    for (const v of lbp) s += v;
    parts.push(lbp.map((v) => v / (s || 1)), gradientHistogram(g));
  }
  const all = new Float64Array(TEXTURE_DIM);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return hellinger(all);
}
