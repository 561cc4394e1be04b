/**
 * The matching engine of each library kind, built once per container (models and OpenCV load
 * lazily on first use of a kind that needs them).
 *
 *   same_hq     same picture, whole or in part: multi-part embeddings for recall, pHash and
 *               ORB + RANSAC geometric verification for the calibrated yes/no (same-image.ts)
 *   picturebook the same machinery with a homography model for photographed pages
 *   similar     ranking by CNN embedding (embedding.ts)
 *   product     the same embedding; class-id filters are applied by the API in the vector query
 *   materiel    embedding beside colour and texture descriptors (materiel.ts)
 *
 * The embedder comes from IRIS_EMBEDDER (lib/vision/embedder.ts).
 */
import { getEmbedder } from '../../vision/embedder';
import type { LibraryKind, SearchEngine } from '../engine';
import { EmbeddingEngine } from './embedding';
import { MaterielEngine } from './materiel';
import { SameImageEngine, PICTURE_BOOK, SAME_HQ } from './same-image';

const engines = new Map<LibraryKind, Promise<SearchEngine>>();

async function build(kind: LibraryKind): Promise<SearchEngine> {
  const embedder = await getEmbedder();
  switch (kind) {
    case 'similar':
    case 'product':
      return new EmbeddingEngine(kind, embedder);
    case 'materiel':
      return new MaterielEngine(embedder);
    case 'same_hq':
      return new SameImageEngine(kind, embedder, SAME_HQ);
    case 'picturebook':
      return new SameImageEngine(kind, embedder, PICTURE_BOOK);
    default:
      throw new Error(`unknown library kind: ${String(kind)}`);
  }
}

export function getEngine(kind: LibraryKind): Promise<SearchEngine> {
  let p = engines.get(kind);
  if (!p) {
    p = build(kind);
    engines.set(kind, p);
    p.catch(() => engines.delete(kind));
  }
  return p;
}
