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
