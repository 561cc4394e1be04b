/**
 * Fabric ("materiel") engine: one vector per image that concatenates three unit blocks —
 * the CNN embedding, a colour histogram and a texture descriptor — each scaled by the square
 * root of its weight. The vector is then unit length and its cosine similarity with another is
 * exactly the weighted sum of the three blocks' similarities, so LanceDB's cosine search ranks
 * by the combined score without any re-ranking pass.
 */
import type { DecodedImage } from '../../images';
import { COLOUR_DIM, TEXTURE_DIM, colourHistogram, textureDescriptor } from '../../vision/colour-texture';
import type { Embedder } from '../../vision/embedder';
import type { Description } from '../engine';
import { EmbeddingEngine } from './embedding';

/** Colour and texture count as much as content for fabric. */
export const MATERIEL_WEIGHTS = { embedding: 0.4, colour: 0.35, texture: 0.25 };
/** Pixels (longest side) for the colour and texture statistics. */
const STATS_SIDE = 256;

export class MaterielEngine extends EmbeddingEngine {
  override readonly dimension: number;

  constructor(private readonly model: Embedder) {
    super('materiel', model);
    this.dimension = model.dimension + COLOUR_DIM + TEXTURE_DIM;
  }

  override async describe(image: DecodedImage): Promise<Description> {
    const s = this.model.inputSize;
    const [square, stats] = await Promise.all([
      image.rgb({ width: s, height: s, fit: 'fill' }),
      image.rgb({ width: STATS_SIDE, height: STATS_SIDE, fit: 'inside' }),
    ]);
    const emb = await this.model.embed(square);
    const w = MATERIEL_WEIGHTS;
    const vector = [
      ...Array.from(emb, (v) => v * Math.sqrt(w.embedding)),
      ...colourHistogram(stats).map((v) => v * Math.sqrt(w.colour)),
      ...textureDescriptor(stats).map((v) => v * Math.sqrt(w.texture)),
    ];
    return { vectors: [{ part: 'full', vector }] };
  }
}
