/**
 * Multinomial logistic regression (a softmax head) on fixed image embeddings, in plain
 * TypeScript over Float32Array: full-batch Adam on the cross-entropy plus an L2 penalty,
 * deterministic (seeded initialisation, fixed data order), with early stopping on a stratified
 * held-back part of the training samples when there are enough of them.
 *
 * Cost per epoch is N × D × K multiply-adds (1,000 samples × 1,280 dims × 10 labels ≈ 13 M), so
 * a few hundred epochs take seconds on one core; embedding the images dominates training time.
 */

export interface SoftmaxModel {
  labels: string[];
  dim: number;
  /** K × D, row-major. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface TrainOptions {
  l2?: number;
  learningRate?: number;
  maxEpochs?: number;
  /** Epochs without improvement of the held-back loss before stopping. */
  patience?: number;
  seed?: number;
  /** Share of the training samples held back for early stopping (when each label keeps ≥ 2). */
  holdout?: number;
  /** Samples per update (default: all of them up to FULL_BATCH_MAX, else 512). */
  batchSize?: number;
}

/** Up to this many training samples, each epoch is one full-batch update. */
export const FULL_BATCH_MAX = 4096;

/**
 * Default epochs: 300 full-batch epochs for small sets; for larger ones (mini-batches, many updates
 * per epoch) about the same number of sample passes in total, at least 10 epochs.
 */
export const epochsFor = (n: number): number => (n <= FULL_BATCH_MAX ? 300 : Math.max(10, Math.floor((FULL_BATCH_MAX * 300) / n)));

/** A conservative estimate of training time (ms) on one Lambda core: N × D × K multiply-adds × 2 (forward, gradient) per epoch. */
export const trainingMsEstimate = (n: number, dim: number, labels: number, epochs: number): number => (n * dim * labels * epochs * 2) / 2e5;

export interface TrainReport {
  epochs: number;
  trainLoss: number;
  validationLoss?: number;
  validationCount: number;
}

/** mulberry32: a small deterministic PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Probabilities of every label for one feature vector (they sum to 1). */
export function predictProba(m: SoftmaxModel, x: ArrayLike<number>): Float64Array {
  const K = m.labels.length;
  const D = m.dim;
  const z = new Float64Array(K);
  let max = -Infinity;
  for (let k = 0; k < K; k++) {
    let s = m.bias[k];
    const off = k * D;
    for (let d = 0; d < D; d++) s += m.weights[off + d] * x[d];
    z[k] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let k = 0; k < K; k++) {
    z[k] = Math.exp(z[k] - max);
    sum += z[k];
  }
  for (let k = 0; k < K; k++) z[k] /= sum;
  return z;
}

/** Mean cross-entropy of a set, without the penalty. */
function loss(m: SoftmaxModel, X: Float32Array[], y: number[]): number {
  let s = 0;
  for (let i = 0; i < X.length; i++) s -= Math.log(Math.max(predictProba(m, X[i])[y[i]], 1e-12));
  return X.length ? s / X.length : 0;
}

/** Indices split per class: every `holdEvery`-th shuffled sample of a class with enough samples is held back. */
function stratifiedHoldout(y: number[], K: number, share: number, next: () => number): { train: number[]; hold: number[] } {
  const byClass: number[][] = Array.from({ length: K }, () => []);
  y.forEach((c, i) => byClass[c].push(i));
  const train: number[] = [];
  const hold: number[] = [];
  for (const idx of byClass) {
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    // A class keeps at least 2 training samples; small classes hold back nothing.
    const n = idx.length >= 5 ? Math.max(1, Math.round(idx.length * share)) : 0;
    hold.push(...idx.slice(0, n));
    train.push(...idx.slice(n));
  }
  return { train: train.sort((a, b) => a - b), hold: hold.sort((a, b) => a - b) };
}

export function trainSoftmax(labels: string[], X: Float32Array[], y: number[], o: TrainOptions = {}): { model: SoftmaxModel; report: TrainReport } {
  const K = labels.length;
  const D = X[0]?.length ?? 0;
  const l2 = o.l2 ?? 1e-4;
  const lr = o.learningRate ?? 0.05;
  const maxEpochs = o.maxEpochs ?? epochsFor(X.length);
  const patience = o.patience ?? 25;
  const next = rng(o.seed ?? 42);
  const { train, hold } = X.length >= 30 ? stratifiedHoldout(y, K, o.holdout ?? 0.1, next) : { train: X.map((_, i) => i), hold: [] };

  const W = new Float32Array(K * D);
  for (let i = 0; i < W.length; i++) W[i] = (next() - 0.5) * 0.02;
  const b = new Float32Array(K);
  const model: SoftmaxModel = { labels, dim: D, weights: W, bias: b };
  // Adam state
  const mW = new Float32Array(K * D), vW = new Float32Array(K * D), mB = new Float32Array(K), vB = new Float32Array(K);
  const gW = new Float32Array(K * D), gB = new Float32Array(K);
  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  // Class weights: each label contributes equally, whatever its sample count.
  const counts = new Array<number>(K).fill(0);
  for (const i of train) counts[y[i]]++;
  const cw = counts.map((c) => (c ? train.length / (K * c) : 0));

  const hX = hold.map((i) => X[i]);
  const hy = hold.map((i) => y[i]);
  let best = { loss: Infinity, W: W.slice(), b: b.slice(), epoch: 0 };
  let epoch = 0;
  let trainLoss = 0;
  // Full batch for small sets; mini-batches (a deterministic shuffle per epoch) for large ones,
  // so that a large set needs few passes (see epochsFor).
  const batch = o.batchSize ?? (train.length <= FULL_BATCH_MAX ? train.length : 512);
  const order = [...train];
  let step = 0;
  for (epoch = 1; epoch <= maxEpochs; epoch++) {
    if (batch < order.length) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    trainLoss = 0;
    let epochWeight = 0;
    for (let start = 0; start < order.length; start += batch) {
      gW.fill(0);
      gB.fill(0);
      let wsum = 0;
      for (const i of order.slice(start, start + batch)) {
        const p = predictProba(model, X[i]);
        const w = cw[y[i]];
        wsum += w;
        trainLoss -= w * Math.log(Math.max(p[y[i]], 1e-12));
        const x = X[i];
        for (let k = 0; k < K; k++) {
          const g = w * (p[k] - (k === y[i] ? 1 : 0));
          if (g === 0) continue;
          gB[k] += g;
          const off = k * D;
          for (let d = 0; d < D; d++) gW[off + d] += g * x[d];
        }
      }
      epochWeight += wsum;
      const inv = 1 / (wsum || 1);
      step++;
      const c1 = 1 - b1 ** step, c2 = 1 - b2 ** step;
      for (let j = 0; j < W.length; j++) {
        const g = gW[j] * inv + l2 * W[j];
        mW[j] = b1 * mW[j] + (1 - b1) * g;
        vW[j] = b2 * vW[j] + (1 - b2) * g * g;
        W[j] -= (lr * (mW[j] / c1)) / (Math.sqrt(vW[j] / c2) + eps);
      }
      for (let k = 0; k < K; k++) {
        const g = gB[k] * inv;
        mB[k] = b1 * mB[k] + (1 - b1) * g;
        vB[k] = b2 * vB[k] + (1 - b2) * g * g;
        b[k] -= (lr * (mB[k] / c1)) / (Math.sqrt(vB[k] / c2) + eps);
      }
    }
    trainLoss /= epochWeight || 1;
    if (hX.length) {
      const v = loss(model, hX, hy);
      if (v < best.loss - 1e-5) best = { loss: v, W: W.slice(), b: b.slice(), epoch };
      else if (epoch - best.epoch >= patience) break;
    }
  }
  if (hX.length) {
    W.set(best.W);
    b.set(best.b);
  }
  return {
    model,
    report: { epochs: Math.min(epoch, maxEpochs), trainLoss, ...(hX.length ? { validationLoss: best.loss } : {}), validationCount: hX.length },
  };
}

/** Serialised form kept in the model artefact. */
export interface SoftmaxJson {
  labels: string[];
  dim: number;
  weights: string;
  bias: number[];
}

export const toJson = (m: SoftmaxModel): SoftmaxJson => ({
  labels: m.labels,
  dim: m.dim,
  weights: Buffer.from(m.weights.buffer, m.weights.byteOffset, m.weights.byteLength).toString('base64'),
  bias: [...m.bias],
});

export function fromJson(j: SoftmaxJson): SoftmaxModel {
  const buf = Buffer.from(j.weights, 'base64');
  const weights = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  if (weights.length !== j.labels.length * j.dim) throw new Error('model artefact is inconsistent (weights do not match labels × dim)');
  return { labels: j.labels, dim: j.dim, weights, bias: Float32Array.from(j.bias) };
}
