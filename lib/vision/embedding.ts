/**
 * What an image embedder is (the interface the search engines use) and the vector helpers the
 * embedders share. Kept apart from lib/vision/embedder.ts (which picks the configured model) so
 * that a model module can implement the interface without importing the module that loads it.
 */

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

/**
 * Generalised-mean pooling (GeM) of a row-major cells × channels feature map, L2-normalised: with
 * p = 3 large activations (the object) weigh more than the spread-out background; p = 1 is the
 * average.
 */
export function gemPool(map: Float32Array, channels: number, p = 3): Float32Array {
  const cells = map.length / channels;
  const out = new Float32Array(channels);
  for (let i = 0; i < cells; i++) {
    for (let k = 0; k < channels; k++) out[k] += Math.max(1e-6, map[i * channels + k]) ** p;
  }
  for (let k = 0; k < channels; k++) out[k] = (out[k] / cells) ** (1 / p);
  return l2normalise(out);
}
