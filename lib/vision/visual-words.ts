/**
 * Visual words for ORB descriptors: a two-level vocabulary tree of binary centres (k-majority
 * clustering, as in Nistér & Stewénius's vocabulary tree and DBoW2, on 256-bit descriptors) and
 * the tf-idf bag of words of an image, L2-normalised, so that the cosine of two bags counts the
 * local features two pictures share, weighted by how rare each word is.
 *
 * A bag is a dense vector of `vocabulary.size` components, which is what lets it live in the
 * library's vector table beside the embeddings: the nearest bags of a query's bag are the stored
 * images that share most of its keypoints, whatever the embedding thinks of the whole picture —
 * the candidates a collage or a small crop needs.
 */
import type { LocalFeatures } from './local-features';
import { ORB_VOCABULARY_BASE64 } from './orb-vocabulary';

const DESC = 32;
const WORDS32 = DESC / 4;

export interface Vocabulary {
  /** Branches at the first level and leaves under each: size = branches × leaves. */
  branches: number;
  leaves: number;
  /** branches × 32 bytes, then (branches × leaves) × 32 bytes. */
  centres: Uint8Array;
  /** Inverse document frequency per word (size entries). */
  idf: Float32Array;
}

export const vocabularySize = (v: Vocabulary): number => v.branches * v.leaves;

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Hamming distance between descriptor i of `a` and centre j of `b` (both as 32-bit words). */
function hamming(a: Uint32Array, i: number, b: Uint32Array, j: number): number {
  let d = 0;
  const ai = i * WORDS32;
  const bj = j * WORDS32;
  for (let k = 0; k < WORDS32; k++) d += popcount(a[ai + k] ^ b[bj + k]);
  return d;
}

const words32 = (bytes: Uint8Array): Uint32Array => {
  const copy = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Uint32Array(copy.buffer, copy.byteOffset, copy.length / 4);
};

function nearest(desc: Uint32Array, i: number, centres: Uint32Array, from: number, count: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let j = 0; j < count; j++) {
    const d = hamming(desc, i, centres, from + j);
    if (d < bestD) [best, bestD] = [j, d];
  }
  return best;
}

/** The word of every descriptor of a feature list. */
export function assignWords(v: Vocabulary, descriptors: Uint8Array): Uint16Array {
  const desc = words32(descriptors);
  const centres = words32(v.centres);
  const n = descriptors.length / DESC;
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const b = nearest(desc, i, centres, 0, v.branches);
    out[i] = b * v.leaves + nearest(desc, i, centres, v.branches + b * v.leaves, v.leaves);
  }
  return out;
}

/**
 * The tf-idf bag of words, L2-normalised, in `dimension` components (word w goes to component
 * w mod dimension when the table is narrower than the vocabulary). All zeros when no keypoint.
 */
export function bagOfWords(v: Vocabulary, words: ArrayLike<number>, dimension = vocabularySize(v)): number[] {
  const bag = new Array<number>(dimension).fill(0);
  for (let i = 0; i < words.length; i++) bag[words[i] % dimension] += v.idf[words[i]];
  let norm = 0;
  for (const x of bag) norm += x * x;
  if (norm > 0) {
    const s = 1 / Math.sqrt(norm);
    for (let i = 0; i < dimension; i++) bag[i] *= s;
  }
  return bag;
}

/** The bag of a feature list's keypoints [start, end). */
export function featureBag(v: Vocabulary, f: LocalFeatures, dimension?: number, start = 0, end = f.descriptors.length / DESC): number[] {
  return bagOfWords(v, assignWords(v, f.descriptors.subarray(start * DESC, end * DESC)), dimension);
}

/** Members from which k-means++ draws the seeds. */
const SEED_SAMPLE = 5000;

/** Deterministic pseudo-random integers (training only). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

/**
 * k-majority clustering of binary descriptors: centres seeded by k-means++ (each next centre
 * drawn with probability proportional to the squared distance to the nearest one so far, from a
 * sample of the members); each round assigns every descriptor to its nearest centre and sets each
 * centre's bit to the majority of its members' bits.
 */
function kMajority(desc: Uint32Array, members: number[], k: number, rounds: number, rand: () => number): Uint32Array {
  const centres = new Uint32Array(k * WORDS32);
  const sample = members.length <= SEED_SAMPLE ? members : Array.from({ length: SEED_SAMPLE }, () => members[rand() % members.length]);
  const d2 = new Float64Array(sample.length).fill(Infinity);
  let next = sample[rand() % sample.length];
  for (let c = 0; c < k; c++) {
    centres.set(desc.subarray(next * WORDS32, (next + 1) * WORDS32), c * WORDS32);
    let total = 0;
    for (let i = 0; i < sample.length; i++) {
      const d = hamming(desc, sample[i], centres, c);
      d2[i] = Math.min(d2[i], d * d);
      total += d2[i];
    }
    let r = (rand() / 4294967296) * total;
    next = sample[sample.length - 1];
    for (let i = 0; i < sample.length; i++) if ((r -= d2[i]) < 0) {
      next = sample[i];
      break;
    }
  }
  const counts = new Int32Array(k * 256);
  const sizes = new Int32Array(k);
  for (let r = 0; r < rounds; r++) {
    counts.fill(0);
    sizes.fill(0);
    for (const m of members) {
      const c = nearest(desc, m, centres, 0, k);
      sizes[c]++;
      for (let w = 0; w < WORDS32; w++) {
        const x = desc[m * WORDS32 + w];
        for (let bit = 0; bit < 32; bit++) if ((x >>> bit) & 1) counts[c * 256 + w * 32 + bit]++;
      }
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) {
        const m = members[rand() % members.length];
        centres.set(desc.subarray(m * WORDS32, (m + 1) * WORDS32), c * WORDS32);
        continue;
      }
      for (let w = 0; w < WORDS32; w++) {
        let x = 0;
        for (let bit = 0; bit < 32; bit++) if (2 * counts[c * 256 + w * 32 + bit] > sizes[c]) x |= 1 << bit;
        centres[c * WORDS32 + w] = x >>> 0;
      }
    }
  }
  return centres;
}

/**
 * Trains a vocabulary on the descriptors of a set of images (one Uint8Array of 32-byte
 * descriptors per image; the idf counts images).
 */
export function trainVocabulary(images: Uint8Array[], branches: number, leaves: number, { rounds = 8, seed = 1 } = {}): Vocabulary {
  const rand = lcg(seed);
  const all = new Uint8Array(images.reduce((n, d) => n + d.length, 0));
  let at = 0;
  for (const d of images) {
    all.set(d, at);
    at += d.length;
  }
  const desc = words32(all);
  const n = all.length / DESC;
  const top = kMajority(desc, Array.from({ length: n }, (_, i) => i), branches, rounds, rand);
  const groups: number[][] = Array.from({ length: branches }, () => []);
  for (let i = 0; i < n; i++) groups[nearest(desc, i, top, 0, branches)].push(i);
  const centres = new Uint8Array((branches + branches * leaves) * DESC);
  centres.set(new Uint8Array(top.buffer, top.byteOffset, top.byteLength), 0);
  groups.forEach((g, b) => {
    const members = g.length ? g : [0];
    const sub = kMajority(desc, members, leaves, rounds, rand);
    centres.set(new Uint8Array(sub.buffer, sub.byteOffset, sub.byteLength), (branches + b * leaves) * DESC);
  });
  const vocab: Vocabulary = { branches, leaves, centres, idf: new Float32Array(branches * leaves).fill(1) };
  const df = new Float64Array(branches * leaves);
  for (const d of images) for (const w of new Set(assignWords(vocab, d))) df[w]++;
  for (let w = 0; w < df.length; w++) vocab.idf[w] = Math.log((images.length + 1) / (df[w] + 1));
  return vocab;
}

/** File form: "IRVW", branches, leaves (uint16 LE), centres, idf (float32 LE). */
export function encodeVocabulary(v: Vocabulary): Buffer {
  const head = Buffer.alloc(8);
  head.write('IRVW', 0, 'latin1');
  head.writeUInt16LE(v.branches, 4);
  head.writeUInt16LE(v.leaves, 6);
  return Buffer.concat([head, Buffer.from(v.centres), Buffer.from(new Uint8Array(v.idf.buffer, v.idf.byteOffset, v.idf.byteLength))]);
}

export function decodeVocabulary(buf: Buffer): Vocabulary {
  if (buf.toString('latin1', 0, 4) !== 'IRVW') throw new Error('not a visual-word vocabulary');
  const branches = buf.readUInt16LE(4);
  const leaves = buf.readUInt16LE(6);
  const size = branches * leaves;
  const centresLength = (branches + size) * DESC;
  if (buf.length !== 8 + centresLength + 4 * size) throw new Error('visual-word vocabulary of the wrong length');
  const centres = new Uint8Array(buf.subarray(8, 8 + centresLength));
  const idf = new Float32Array(size);
  for (let w = 0; w < size; w++) idf[w] = buf.readFloatLE(8 + centresLength + 4 * w);
  return { branches, leaves, centres, idf };
}

let shipped: Vocabulary | undefined;
/** The shipped vocabulary (lib/vision/orb-vocabulary.ts), decoded once per container. */
export const orbVocabulary = (): Vocabulary => (shipped ??= decodeVocabulary(Buffer.from(ORB_VOCABULARY_BASE64, 'base64')));
