/**
 * Which embedding model a library's vectors come from. A library records the model it was
 * created with (Library.embedder), and every add and search of that library uses that model, so a
 * deployment that changes its default (or an Iris release that does) keeps the libraries it has:
 * their vectors stay comparable with their queries, and only new libraries get the new model.
 *
 * Kept apart from the engines (models, OpenCV), so that creating a library loads none of them.
 */
import type { LibraryKind } from './engine';

/**
 * The similar / product default: InceptionV3's mixed7 block, GeM-pooled, on 256 px views, chosen
 * on the tuning stamps over MobileNetV2 and over the same block on 299 px views (BENCHMARKS.md
 * "Tuning choices for similar and product search"; about 4 times MobileNetV2's embedding
 * time, 1.8 times its whole describe time).
 * IRIS_SIMILAR_EMBEDDER=mobilenetv2-gem keeps the faster one; `inceptionv3-gem` (299 px) is what
 * libraries created before 256 px was the default keep.
 */
export const SIMILAR_EMBEDDER = 'inceptionv3-gem-256';

/** What the other kinds embed with unless IRIS_EMBEDDER says otherwise. */
export const DEFAULT_EMBEDDER = 'mobilenetv2';

/**
 * The model of similar and product libraries created before libraries recorded theirs
 * (MobileNetV2 GeM, the default until InceptionV3 replaced it).
 */
export const LEGACY_SIMILAR_EMBEDDER = 'mobilenetv2-gem';

const ranksBySubject = (kind: LibraryKind) => kind === 'similar' || kind === 'product';

/** The model a library of this kind is created with: IRIS_SIMILAR_EMBEDDER (similar, product), IRIS_EMBEDDER, else the default. */
export function embedderFor(kind: LibraryKind, env: NodeJS.ProcessEnv = process.env): string {
  if (ranksBySubject(kind)) return env.IRIS_SIMILAR_EMBEDDER || env.IRIS_EMBEDDER || SIMILAR_EMBEDDER;
  return env.IRIS_EMBEDDER || DEFAULT_EMBEDDER;
}

/** The model of a library: the one it recorded, else what a library without a record was made with. */
export function libraryEmbedder(lib: { kind: LibraryKind; embedder?: string }, env: NodeJS.ProcessEnv = process.env): string {
  if (lib.embedder) return lib.embedder;
  return ranksBySubject(lib.kind) ? LEGACY_SIMILAR_EMBEDDER : embedderFor(lib.kind, env);
}
