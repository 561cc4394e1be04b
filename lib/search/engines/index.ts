/**
 * The matching engine of each library kind, built once per container (models and OpenCV load
 * lazily on first use of a kind that needs them).
 *
 *   same_hq     same picture, whole or in part: multi-part embeddings for recall, pHash and
 *               ORB + RANSAC geometric verification for the calibrated yes/no (same-image.ts)
 *   picturebook the same machinery with a homography model for photographed pages
 *   similar     ranking by CNN embedding of the whole picture and of its main subject (embedding.ts;
 *               the subject by lib/vision/subject.ts with the CenterNet detector of detector.ts),
 *               then the same-item check: ORB keypoints of the 30 nearest matched to the query's
 *   product     the same; class-id filters are applied by the API in the vector query
 *   materiel    embedding beside colour and texture descriptors (materiel.ts)
 *
 * The embedder is the library's own (lib/search/embedders.ts: the model it was created with; a
 * new library's comes from IRIS_EMBEDDER, and for similar and product from IRIS_SIMILAR_EMBEDDER,
 * else SIMILAR_EMBEDDER). IRIS_SUBJECTS=off makes them embed the
 * whole picture only (the engine before subjects, e.g. for a comparison); IRIS_SAME_ITEM=off
 * turns the same-item check off, IRIS_CLASS_PROFILE=off the class profile's part in the ranking.
 */
import { getEmbedder } from '../../vision/embedder';
import { embedderFor } from '../embedders';
import { centerNet } from '../../vision/detector';
import type { LibraryKind, SearchEngine } from '../engine';
import { EmbeddingEngine, SAME_ITEM, classProfileFor } from './embedding';
import { MaterielEngine } from './materiel';
import { SameImageEngine, PICTURE_BOOK, SAME_HQ } from './same-image';

export { SIMILAR_EMBEDDER } from '../embedders';

const engines = new Map<string, Promise<SearchEngine>>();

async function build(kind: LibraryKind, name: string): Promise<SearchEngine> {
  if (kind === 'similar' || kind === 'product') {
    return new EmbeddingEngine(kind, await getEmbedder(name), {
      subjects: process.env.IRIS_SUBJECTS !== 'off',
      detector: centerNet,
      ...(process.env.IRIS_SAME_ITEM === 'off' ? {} : { sameItem: SAME_ITEM }),
      ...(process.env.IRIS_CLASS_PROFILE === 'off' ? {} : { classProfile: classProfileFor(name) }),
    });
  }
  const embedder = await getEmbedder(name);
  switch (kind) {
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

/** The engine of a kind with an embedding model (default: what a new library of that kind gets), built once per container. */
export function getEngine(kind: LibraryKind, embedder = embedderFor(kind)): Promise<SearchEngine> {
  const key = `${kind} ${embedder}`;
  let p = engines.get(key);
  if (!p) {
    p = build(kind, embedder);
    engines.set(key, p);
    p.catch(() => engines.delete(key));
  }
  return p;
}
