/** The softmax head and the metrics, on small data whose answers are known. */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../lib/classify/metrics';
import { epochsFor, fromJson, predictProba, rng, toJson, trainSoftmax } from '../../../lib/classify/softmax';
import { stratifiedSplit } from '../../../lib/classify/jobs';

/** Three Gaussian clusters in 16 dimensions, normalised like embeddings. */
function clusters(n: number, seed = 1): { X: Float32Array[]; y: number[] } {
  const next = rng(seed);
  const X: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    const v = new Float32Array(16);
    for (let d = 0; d < 16; d++) v[d] = (d % 3 === c ? 1 : 0) + (next() - 0.5) * 0.6;
    const norm = Math.hypot(...v);
    X.push(v.map((x) => x / norm));
    y.push(c);
  }
  return { X, y };
}

describe('trainSoftmax', () => {
  it('separates separable clusters, with probabilities that sum to 1', () => {
    const { X, y } = clusters(90);
    const { model, report } = trainSoftmax(['a', 'b', 'c'], X, y);
    expect(report.validationCount).toBeGreaterThan(0);
    const test = clusters(30, 9);
    let right = 0;
    test.X.forEach((x, i) => {
      const p = predictProba(model, x);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      if (p.indexOf(Math.max(...p)) === test.y[i]) right++;
    });
    expect(right / 30).toBeGreaterThan(0.9);
  });

  it('is deterministic for a seed and survives its serialised form', () => {
    const { X, y } = clusters(45);
    const a = trainSoftmax(['a', 'b', 'c'], X, y, { seed: 5 }).model;
    const b = trainSoftmax(['a', 'b', 'c'], X, y, { seed: 5 }).model;
    expect([...a.weights]).toEqual([...b.weights]);
    const back = fromJson(JSON.parse(JSON.stringify(toJson(a))));
    expect([...predictProba(back, X[0])]).toEqual([...predictProba(a, X[0])]);
  });
});

describe('mini-batches for large sets', () => {
  it('learns the same clusters with mini-batch updates, and large sets get fewer epochs', () => {
    const { X, y } = clusters(90);
    const { model } = trainSoftmax(['a', 'b', 'c'], X, y, { batchSize: 16, maxEpochs: 40 });
    const test = clusters(30, 9);
    const right = test.X.filter((x, i) => {
      const p = predictProba(model, x);
      return p.indexOf(Math.max(...p)) === test.y[i];
    }).length;
    expect(right / 30).toBeGreaterThan(0.9);
    expect(epochsFor(1000)).toBe(300);
    expect(epochsFor(50_000)).toBeLessThan(30);
    expect(epochsFor(10_000_000)).toBe(10);
  });
});

describe('evaluate', () => {
  it('computes accuracy, macro precision / recall / F1, per label and the confusion matrix', () => {
    // truth:     a a a b b c
    // predicted: a a b b c c
    const m = evaluate(['a', 'b', 'c'], [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 10);
    expect(m.accuracy).toBeCloseTo(4 / 6, 4);
    expect(m.confusion_matrix).toEqual([[2, 1, 0], [0, 1, 1], [0, 0, 1]]);
    expect(m.labels.map((l) => [l.name, l.precision, l.recall, l.support])).toEqual([['a', 1, 0.6667, 3], ['b', 0.5, 0.5, 2], ['c', 0.5, 1, 1]]);
    expect(m.precision).toBeCloseTo((1 + 0.5 + 0.5) / 3, 3);
    expect(m.recall).toBeCloseTo((2 / 3 + 0.5 + 1) / 3, 3);
    expect(m.f1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 3);
    expect([m.train_count, m.eval_count]).toEqual([10, 6]);
  });
});

describe('stratifiedSplit', () => {
  it('holds back the ratio of every label, at least one and never all, the same way every time', () => {
    const items = [...Array.from({ length: 10 }, (_, i) => ({ sampleId: `a${i}`, label: 'a' })), { sampleId: 'b0', label: 'b' }, { sampleId: 'b1', label: 'b' }];
    const s = stratifiedSplit(items, 0.2);
    expect(s.eval.filter((t) => t.label === 'a')).toHaveLength(2);
    expect(s.eval.filter((t) => t.label === 'b')).toHaveLength(1);
    expect(s.train.filter((t) => t.label === 'b')).toHaveLength(1);
    expect(stratifiedSplit([...items].reverse(), 0.2).eval.map((t) => t.sampleId).sort()).toEqual(s.eval.map((t) => t.sampleId).sort());
  });
});
