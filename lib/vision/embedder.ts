/**
 * Image embedders behind one interface, chosen by configuration (env IRIS_EMBEDDER, and
 * IRIS_SIMILAR_EMBEDDER for the similar / product engines only), so a deployment can plug in
 * another model without touching the search engines:
 *
 *   mobilenetv2        MobileNetV2 (nsfwjs weights), average-pooled: the default, and the classifier's features
 *   mobilenetv2-gem    the same backbone, GeM-pooled (the similar / product default)
 *   inceptionv3-gem    InceptionV3 (nsfwjs weights) cut at its mixed7 block, GeM-pooled, 768-d
 *   file:/path/dir     a TF.js model folder of the deployment's own (e.g. a CLIP image tower) on the
 *                      layer or copied from the bucket to /tmp: see lib/vision/file-embedder.ts
 *
 * Vectors are L2-normalised, so cosine distance = 1 - dot product.
 */
import { mobileNetV2Embedder, mobileNetV2GemEmbedder } from './mobilenet';
import { fileEmbedder } from './file-embedder';
import { inceptionV3GemEmbedder } from './inception';
import type { Embedder } from './embedding';

export { dot, l2normalise, type Embedder, type RgbImage } from './embedding';

type EmbedderFactory = () => Promise<Embedder>;

const factories: Record<string, EmbedderFactory> = {
  mobilenetv2: mobileNetV2Embedder,
  'mobilenetv2-gem': mobileNetV2GemEmbedder,
  'inceptionv3-gem': inceptionV3GemEmbedder,
};

const loaded = new Map<string, Promise<Embedder>>();

/** The configured embedder, loaded once per container. */
export function getEmbedder(name = process.env.IRIS_EMBEDDER || 'mobilenetv2'): Promise<Embedder> {
  const file = /^file:(.+)$/.exec(name);
  const key = file ? name : name.toLowerCase();
  const factory = file ? () => fileEmbedder(file[1]) : factories[key];
  if (!factory) {
    throw new Error(`IRIS_EMBEDDER=${name} is not a known embedder (known: ${Object.keys(factories).join(', ')})`);
  }
  let p = loaded.get(key);
  if (!p) {
    p = factory();
    loaded.set(key, p);
    // A failed load (e.g. a missing file) must not be cached for the container's lifetime.
    p.catch(() => loaded.delete(key));
  }
  return p;
}
