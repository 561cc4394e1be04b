/**
 * Visual words (lib/vision/visual-words.ts): the k-majority vocabulary tree, word assignment, the
 * tf-idf bag, its file form and the shipped vocabulary (its use on photographs: the same-image
 * engine's tests).
 */
import { describe, expect, it } from 'vitest';
import { orbVocabulary } from '../../../lib/search/engines/same-image';
import { assignWords, bagOfWords, decodeVocabulary, encodeVocabulary, trainVocabulary, vocabularySize } from '../../../lib/vision/visual-words';

/**
 * Descriptors in a two-level structure, as a vocabulary tree expects: `groups` random parents,
 * `children` per parent (each parent bit flipped with probability 0.2), `count` noisy copies per
 * child (each bit flipped with probability `flip`); labels name the child.
 */
function clusters(groups: number, children: number, count: number, flip: number, seed = 3): { descriptors: Uint8Array; labels: number[] } {
  let s = seed;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const noisy = (d: Uint8Array, p: number) =>
    d.map((x) => {
      for (let bit = 0; bit < 8; bit++) if (rand() < p) x ^= 1 << bit;
      return x;
    });
  const parents = Array.from({ length: groups }, () => Uint8Array.from({ length: 32 }, () => Math.floor(rand() * 256)));
  const kids = parents.flatMap((p) => Array.from({ length: children }, () => noisy(p, 0.2)));
  const descriptors = new Uint8Array(kids.length * count * 32);
  const labels: number[] = [];
  kids.forEach((k, i) => {
    for (let c = 0; c < count; c++) {
      descriptors.set(noisy(k, flip), (i * count + c) * 32);
      labels.push(i);
    }
  });
  return { descriptors, labels };
}

describe('visual words', () => {
  it('puts noisy copies of one descriptor in one word and different descriptors in different words', () => {
    const { descriptors, labels } = clusters(2, 2, 60, 0.03);
    // Each "image" holds the copies of one base, so the idf sees four documents.
    const images = [0, 1, 2, 3].map((b) => descriptors.subarray(b * 60 * 32, (b + 1) * 60 * 32));
    const vocab = trainVocabulary(images, 2, 2);
    expect(vocabularySize(vocab)).toBe(4);
    const words = assignWords(vocab, descriptors);
    const wordOf = new Map<number, Set<number>>();
    labels.forEach((l, i) => wordOf.set(l, (wordOf.get(l) ?? new Set()).add(words[i])));
    for (const set of wordOf.values()) expect(set.size).toBe(1);
    expect(new Set([...wordOf.values()].map((s) => [...s][0])).size).toBe(4);
    // Every word occurs in one image of four: idf = ln(5 / 2).
    for (const w of vocab.idf) expect(w).toBeCloseTo(Math.log(5 / 2), 5);
  });

  it('makes a unit-length tf-idf bag, folded into a narrower table, and all zeros without keypoints', () => {
    const vocab = { branches: 2, leaves: 3, centres: new Uint8Array(8 * 32), idf: Float32Array.from([1, 2, 1, 1, 1, 3]) };
    const bag = bagOfWords(vocab, [1, 1, 5]);
    expect(bag).toHaveLength(6);
    const n = Math.hypot(4, 3);
    expect(bag.map((x) => Number(x.toFixed(6)))).toEqual([0, 4 / n, 0, 0, 0, 3 / n].map((x) => Number(x.toFixed(6))));
    // Word 5 goes to component 5 mod 4 = 1, where the two 1s are.
    expect(bagOfWords(vocab, [1, 1, 5], 4).map((x) => Number(x.toFixed(6)))).toEqual([0, 1, 0, 0]);
    expect(bagOfWords(vocab, [], 6)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('round-trips a vocabulary through its file form and refuses a damaged one', () => {
    const vocab = trainVocabulary([clusters(3, 2, 20, 0.05).descriptors], 3, 2);
    const again = decodeVocabulary(encodeVocabulary(vocab));
    expect(again.branches).toBe(3);
    expect(again.leaves).toBe(2);
    expect(Buffer.from(again.centres).equals(Buffer.from(vocab.centres))).toBe(true);
    expect(Array.from(again.idf)).toEqual(Array.from(vocab.idf));
    const file = encodeVocabulary(vocab);
    expect(() => decodeVocabulary(file.subarray(0, file.length - 4))).toThrow(/wrong length/);
    expect(() => decodeVocabulary(Buffer.concat([Buffer.from('NOPE'), file.subarray(4)]))).toThrow(/not a visual-word vocabulary/);
  });

  it('ships 1,280 words, one per component of the default table', () => {
    const vocab = orbVocabulary();
    expect([vocab.branches, vocab.leaves, vocabularySize(vocab)]).toEqual([32, 40, 1280]);
    expect(vocab.idf.every((w) => Number.isFinite(w) && w >= 0)).toBe(true);
    expect(new Set(vocab.idf).size).toBeGreaterThan(10);
  });
});
