/** Device-side hard-example filters. */
import { describe, expect, it } from 'vitest';
import { entropy, isHardClassification, isHardDetection, normalizedEntropy } from '../../../clients/hilens/hard';

describe('classification', () => {
  it('computes entropy in nats and normalizes by log(n)', () => {
    expect(entropy([0.5, 0.5])).toBeCloseTo(Math.log(2), 10);
    expect(entropy([1, 0, 0])).toBe(0);
    expect(normalizedEntropy([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(1, 10);
    expect(entropy([2, 2])).toBeCloseTo(Math.log(2), 10); // unnormalized scores
  });

  it('flags a frame whose top confidence is under thr, with coefficient 1 − confidence and reason 1', () => {
    expect(isHardClassification([0.9, 0.05, 0.05], 0.6)).toEqual({ hard: false, coefficient: expect.closeTo(0.1, 10), reasons: [] });
    const r = isHardClassification([0.5, 0.3, 0.2], 0.6);
    expect(r.hard).toBe(true);
    expect(r.coefficient).toBeCloseTo(0.5, 10);
    expect(r.reasons).toEqual([1]);
  });

  it('flags a confident-looking frame whose probability mass is spread (cross-entropy threshold)', () => {
    const probs = [0.62, 0.2, 0.18];
    expect(isHardClassification(probs, 0.6, 0.9).hard).toBe(false);
    expect(isHardClassification(probs, 0.6, 0.5).hard).toBe(true);
  });
});

describe('detection', () => {
  it('is hard when a box scores between the noise floor and thr', () => {
    const r = isHardDetection([{ score: 0.95 }, { score: 0.45 }, { score: 0.1 }], 0.6, { low: 0.3 });
    expect(r.hard).toBe(true);
    expect(r.reasons).toEqual([1]);
    expect(r.uncertain).toEqual([{ score: 0.45 }]);
    expect(r.coefficient).toBeCloseTo(0.5, 10);
  });

  it('is not hard when every box is either sure or noise', () => {
    expect(isHardDetection([{ score: 0.95 }, { score: 0.8 }, { score: 0.05 }], 0.6, { low: 0.3 }).hard).toBe(false);
    expect(isHardDetection([], 0.6).hard).toBe(false);
  });

  it('adds reason 0 when nothing reaches thr, and honours minUncertain', () => {
    expect(isHardDetection([{ score: 0.4 }], 0.6, { low: 0.3 }).reasons).toEqual([1, 0]);
    expect(isHardDetection([{ score: 0.9 }, { score: 0.4 }], 0.6, { low: 0.3, minUncertain: 2 }).hard).toBe(false);
  });
});
