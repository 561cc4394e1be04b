/**
 * Image embedders behind one interface, chosen by configuration (env IRIS_EMBEDDER, and
 * IRIS_SIMILAR_EMBEDDER for the similar / product engines only), so a deployment can plug in
 * another model without touching the search engines:
 *
 *   mobilenetv2        MobileNetV2 (nsfwjs weights), average-pooled: the default, and the classifier's features
 *   mobilenetv2-gem    the same backbone, GeM-pooled (the similar / product default before InceptionV3)
 *   inceptionv3-gem-256  InceptionV3 (nsfwjs weights) cut at its mixed7 block, GeM-pooled, 768-d, on
 *                      256 px views (the similar / product default)
 *   inceptionv3-gem-224  the same on 224 px views (faster; see lib/vision/inception.ts)
 *   inceptionv3-gem    the same on 299 px views (the network's own side; the default of libraries created
 *                      before 256 px was)
 *   file:/path/dir     a TF.js model folder of the deployment's own (e.g. a CLIP image tower) on the
 *                      layer or copied from the bucket to /tmp: see lib/vision/file-embedder.ts
 *
 * Vectors are L2-normalised, so cosine distance = 1 - dot product.
 */
import { mobileNetV2Embedder, mobileNetV2GemEmbedder } from './mobilenet';
import { fileEmbedder } from './file-embedder';
import { INCEPTION_INPUT, INCEPTION_SIMILAR_SIDE, inceptionV3GemEmbedder, inceptionV3GemName } from './inception';
import type { Embedder } from './embedding';

export { dot, l2normalise, type Embedder, type RgbImage } from './embedding';

type EmbedderFactory = () => Promise<Embedder>;

const factories: Record<string, EmbedderFactory> = {
  mobilenetv2: mobileNetV2Embedder,
  'mobilenetv2-gem': mobileNetV2GemEmbedder,
  ...Object.fromEntries([INCEPTION_INPUT, INCEPTION_SIMILAR_SIDE, 224].map((side) => [inceptionV3GemName(side), () => inceptionV3GemEmbedder(side)])),
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
