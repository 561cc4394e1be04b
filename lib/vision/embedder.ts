/**
 * Image embedders behind one interface, chosen by configuration (env IRIS_EMBEDDER), so a
 * deployment can plug in another model (e.g. an ONNX CLIP image encoder) without touching the
 * search engines. Vectors are L2-normalised, so cosine distance = 1 - dot product.
 */
import { mobileNetV2Embedder } from './mobilenet';

/** Raw RGB pixels, 3 channels, uint8, row-major (what DecodedImage.rgb() gives). */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Embedder {
  readonly name: string;
  readonly dimension: number;
  /** The side of the square the model sees; callers may pre-resize to it to save work. */
  readonly inputSize: number;
  /** One L2-normalised vector for the whole image. */
  embed(image: RgbImage): Promise<Float32Array>;
  /** Several images in one forward pass (same result as embed() on each). */
  embedBatch(images: RgbImage[]): Promise<Float32Array[]>;
}

type EmbedderFactory = () => Promise<Embedder>;

const factories: Record<string, EmbedderFactory> = {
  mobilenetv2: mobileNetV2Embedder,
};

/** Registers another embedder under a name usable in IRIS_EMBEDDER (e.g. from a plug-in module). */
export function registerEmbedder(name: string, factory: EmbedderFactory): void {
  factories[name.toLowerCase()] = factory;
}

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

export function l2normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
