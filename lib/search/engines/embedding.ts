/**
 * Ranking engine on one CNN embedding of the whole image (similar, product): every stored
 * image is a candidate; nothing is dropped. Score = 1 - cosine distance, clamped to [0, 1]
 * (the backbone's pooled ReLU features are non-negative, so cosine distance stays in [0, 1]).
 */
import type { DecodedImage } from '../../images';
import type { Embedder } from '../../vision/embedder';
import type { Candidate, Description, LibraryKind, Match, SearchEngine } from '../engine';

export const similarityScore = (distance: number): number => Math.min(1, Math.max(0, 1 - distance));

export async function embedWhole(embedder: Embedder, image: DecodedImage): Promise<Float32Array> {
  const s = embedder.inputSize;
  return embedder.embed(await image.rgb({ width: s, height: s, fit: 'fill' }));
}

/** Best candidate per item id (the API already groups, but rank must not depend on it). */
export function bestPerItem(candidates: Candidate[]): Candidate[] {
  const best = new Map<string, Candidate>();
  for (const c of candidates) {
    const b = best.get(c.id);
    if (!b || c.distance < b.distance) best.set(c.id, c);
  }
  return [...best.values()];
}

export class EmbeddingEngine implements SearchEngine {
  readonly metric = 'cosine' as const;
  readonly candidatePool = 1000;
  readonly dimension: number;

  constructor(
    readonly kind: LibraryKind,
    private readonly embedder: Embedder,
  ) {
    this.dimension = embedder.dimension;
  }

  async describe(image: DecodedImage): Promise<Description> {
    return { vectors: [{ part: 'full', vector: Array.from(await embedWhole(this.embedder, image)) }] };
  }

  describeQuery(image: DecodedImage): Promise<Description> {
    return this.describe(image);
  }

  async rank(_query: unknown, candidates: Candidate[]): Promise<Match[]> {
    return bestPerItem(candidates)
      .map((c) => ({ id: c.id, score: similarityScore(c.distance) }))
      .sort((a, b) => b.score - a.score);
  }
}
