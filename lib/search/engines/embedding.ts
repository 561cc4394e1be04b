/**
 * Ranking engine on CNN embeddings (similar, product): every stored image is a candidate;
 * nothing is dropped. Score = 1 - cosine distance, clamped to [0, 1] (the backbone's pooled ReLU
 * features are non-negative, so cosine distance stays in [0, 1]).
 *
 * With subjects on (the similar and product kinds), an image is described by two views of its
 * main subject (lib/vision/subject.ts): a square crop around the COCO detector's best box
 * ('detected'; the whole picture when it finds nothing) and one around the border model's
 * foreground box ('foreground'). Added images and queries get the same two views; a stored
 * image's distance is its best over the view pairs (what the vector search gives for several
 * query vectors against several rows per image). Chosen on the tuning stamps (bench/similar-
 * explore.ts): of the variants tried this pair was best in context, and the whole picture as a
 * view, GrabCut cut-outs and colour fusion were not better. The subject's box (GrabCut-refined)
 * is returned with the description: the API stores it with the image and reports it with each
 * result, and the query's at the response's top level, for a console to draw.
 */
import type { DecodedImage } from '../../images';
import type { Embedder, RgbImage } from '../../vision/embedder';
import { cropRgb, type Rect } from '../../vision/pixels';
import { findSubject, scaleRect, squareAround, type BoxDetector } from '../../vision/subject';
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

/** Longest side (px) of the picture the subject is found in and cut from. */
export const SUBJECT_WORK_SIDE = 480;
/** Margin around the subject in its (square) crop, as a fraction of the subject's size. */
export const SUBJECT_MARGIN = 0.08;

export interface EmbeddingEngineOptions {
  /** Describe the main subject as a second view (false: the whole picture only). */
  subjects: boolean;
  /** The object detector for pictures with a busy background (loaded lazily). */
  detector?: () => Promise<BoxDetector>;
}

export class EmbeddingEngine implements SearchEngine {
  readonly metric = 'cosine' as const;
  readonly candidatePool = 1000;
  readonly dimension: number;

  constructor(
    readonly kind: LibraryKind,
    private readonly embedder: Embedder,
    private readonly options: EmbeddingEngineOptions = { subjects: false },
  ) {
    this.dimension = embedder.dimension;
  }

  async describe(image: DecodedImage): Promise<Description> {
    if (!this.options.subjects) {
      return { vectors: [{ part: 'full', vector: Array.from(await embedWhole(this.embedder, image)) }] };
    }
    const s = this.embedder.inputSize;
    const raw = await image.rgb({ width: SUBJECT_WORK_SIDE, height: SUBJECT_WORK_SIDE, fit: 'inside' });
    const work: RgbImage = { data: new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength), width: raw.width, height: raw.height };
    const detector = this.options.detector ? await this.options.detector() : undefined;
    const subject = await findSubject(work, detector);
    const { resizeRgb } = await import('../../vision/pixels');
    const view = (r: Rect) => resizeRgb(cropRgb(work, squareAround(r, work.width, work.height, SUBJECT_MARGIN)), s, s, 'fill');
    const [detected, foreground] = await this.embedder.embedBatch([await view(subject.detected), await view(subject.foreground)]);
    return {
      vectors: [
        { part: 'detected', vector: Array.from(detected) },
        { part: 'foreground', vector: Array.from(foreground) },
      ],
      subject: scaleRect(subject.box, image.width / work.width, image.height / work.height),
    };
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
