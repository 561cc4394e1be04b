/**
 * Image embedders behind one interface, chosen by configuration (env IRIS_EMBEDDER), so a
 * deployment can plug in another model (e.g. an ONNX CLIP image encoder: one more entry in the
 * table below) without touching the search engines. Vectors are L2-normalised, so cosine
 * distance = 1 - dot product.
 */
import { mobileNetV2Embedder } from './mobilenet';
import type { Embedder } from './embedding';

export { dot, l2normalise, type Embedder, type RgbImage } from './embedding';

type EmbedderFactory = () => Promise<Embedder>;

const factories: Record<string, EmbedderFactory> = {
  mobilenetv2: mobileNetV2Embedder,
};

const loaded = new Map<string, Promise<Embedder>>();

/** The configured embedder, loaded once per container. */
export function getEmbedder(name = process.env.IRIS_EMBEDDER || 'mobilenetv2'): Promise<Embedder> {
  const key = name.toLowerCase();
  const factory = factories[key];
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
