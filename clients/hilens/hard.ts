/**
 * Device-side filters that decide whether a frame is a hard example (HiLens documentation, "Hard examples"):
 * classification by the top confidence or the cross-entropy (entropy) of the class probabilities,
 * detection by box scores that fall between a "sure" and a "noise" threshold. `thr` is the
 * configuration's `setting_config.thr`.
 */

/** Shannon entropy (nats) of a probability vector; normalizes when the sum is not 1. */
export function entropy(probs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probs.length; i++) sum += Math.max(0, probs[i]);
  if (sum <= 0) return 0;
  let h = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = Math.max(0, probs[i]) / sum;
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

/** Entropy divided by its maximum log(n): 0 = certain, 1 = uniform. */
export const normalizedEntropy = (probs: ArrayLike<number>): number => (probs.length > 1 ? entropy(probs) / Math.log(probs.length) : 0);

export interface ClassificationHardness {
  hard: boolean;
  /** 1 − top probability, in [0,1]: ModelArts' @modelarts:hard_coefficient. */
  coefficient: number;
  /** Seed hard reason ids: 1 = low confidence. */
  reasons: number[];
}

/**
 * Classification: hard when the top probability is below `thr`, or when the normalized entropy is
 * above `maxEntropy` (default 1 − thr, i.e. the mass is spread over several classes).
 */
export function isHardClassification(probs: ArrayLike<number>, thr: number, maxEntropy = 1 - thr): ClassificationHardness {
  if (probs.length === 0) return { hard: true, coefficient: 1, reasons: [0] };
  let top = 0, sum = 0;
  for (let i = 0; i < probs.length; i++) {
    sum += Math.max(0, probs[i]);
    top = Math.max(top, probs[i]);
  }
  const confidence = sum > 0 ? top / sum : 0;
  const spread = normalizedEntropy(probs);
  const hard = confidence < thr || spread > maxEntropy;
  return { hard, coefficient: Math.min(1, Math.max(0, 1 - confidence)), reasons: hard ? [1] : [] };
}

export interface Detection {
  score: number;
  label?: string;
  box?: [number, number, number, number];
}

export interface DetectionHardness {
  hard: boolean;
  /** Share of boxes in the uncertain band. */
  coefficient: number;
  reasons: number[];
  uncertain: Detection[];
}

/**
 * Detection: a box scoring in [low, thr) is uncertain (neither a sure detection nor noise); the
 * frame is hard when at least `minUncertain` boxes are, or when no box reaches `thr` although
 * some are above `low` (nothing identified with confidence: reason 0).
 */
export function isHardDetection(detections: Detection[], thr: number, opts: { low?: number; minUncertain?: number } = {}): DetectionHardness {
  const low = opts.low ?? thr / 2;
  const minUncertain = opts.minUncertain ?? 1;
  const candidates = detections.filter((d) => d.score >= low);
  const uncertain = candidates.filter((d) => d.score < thr);
  const sure = candidates.length - uncertain.length;
  const reasons: number[] = [];
  if (uncertain.length >= minUncertain) reasons.push(1);
  if (sure === 0 && candidates.length > 0) reasons.push(0);
  return { hard: reasons.length > 0, coefficient: candidates.length ? uncertain.length / candidates.length : 0, reasons, uncertain };
}
