/**
 * Image features for the classifier: the embedder Iris ships (lib/vision: MobileNetV2, 1280-d,
 * L2-normalised) on the whole image resized to the model's input, followed by a 4×4×4 RGB colour
 * histogram of the image (L2-normalised, weight 0.5: 64 values). Chosen by 5-fold cross-validated
 * macro-F1 on the two tuning sets of bench/classify.ts (46 wallpaper photos; the tuning side of
 * the Tux Paint stamps, 157 cut-outs in 11 groups): embedding alone 62.0 / 52.1 %, with the
 * histogram at weight 2 (the first layout) 63.9 / 42.1 %, at weight 0.5 69.3 / 51.4 % — colour
 * helps where categories are partly colours (water, greenery) and hurts when it dominates the
 * embedding (white-backed cut-outs). Mid-level MobileNetV2 blocks, GeM or max pooling, [-1, 1]
 * input scaling, aspect-preserving padding and mirror test-time averaging did no better there;
 * training on mirrored and 80 %-centre copies with test-time averaging over them moved the two
 * sets in opposite directions (photos 69.3 → 64.7 %, stamps 51.4 → 59.6 %) at three times the
 * predict cost, so it is not used.
 * A per-sample cache in the bucket keeps
 * retraining (or a resumed run) from computing an unchanged sample's features again.
 *
 * The cache key names the sample, the write that stored its file (a new upload under the same name
 * is a new write, hence a new key) and the embedder, so a stale feature can never be read.
 */
import { getEmbedder, type Embedder } from '../vision/embedder';
import { decodeSample } from '../datasets/thumbnail';
import type { StoredSample } from '../datasets/samples';
import type { DecodedImage } from '../images';
import { isIrisError } from '../errors';
import type { Stores } from '../store/ports';
import { classifyObjects } from './keys';

export interface TrainingSample {
  sampleId: string;
  objectKey: string;
  /** The write that stored the file (or the item version for samples without one). */
  version: string;
  label: string;
  usage?: string;
}

export const embedder = (): Promise<Embedder> => getEmbedder();

const HIST_BINS = 64;
/**
 * Feature layouts by name suffix → histogram weight. A model records its layout, and predict
 * computes that layout, so models trained before a change keep answering; new training uses
 * CURRENT_LAYOUT.
 */
const LAYOUTS: Record<string, number> = {
  [`rgbhist${HIST_BINS}`]: 2,
  [`rgbhist${HIST_BINS}w0.5`]: 0.5,
};
const CURRENT_LAYOUT = `rgbhist${HIST_BINS}w0.5`;
/** The name of the current feature layout (in cache keys and model artefacts) and its length. */
export const featureName = (e: Embedder): string => `${e.name}+${CURRENT_LAYOUT}`;
export const featureDim = (e: Embedder): number => e.dimension + HIST_BINS;

/** The histogram weight of a layout this container can compute, or undefined (another embedder, an unknown layout). */
export function layoutWeight(e: Embedder, layout: string): number | undefined {
  const prefix = `${e.name}+`;
  return layout.startsWith(prefix) ? LAYOUTS[layout.slice(prefix.length)] : undefined;
}

/** A 4×4×4 RGB histogram of raw pixels, L2-normalised. */
export function colourHistogram(rgb: ArrayLike<number>): Float32Array {
  const h = new Float32Array(HIST_BINS);
  for (let i = 0; i + 2 < rgb.length; i += 3) h[((rgb[i] >> 6) << 4) | ((rgb[i + 1] >> 6) << 2) | (rgb[i + 2] >> 6)]++;
  let n = 0;
  for (const v of h) n += v * v;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < HIST_BINS; i++) h[i] /= n;
  return h;
}

/** The classifier's features of a decoded image in `layout` (default: the current one): embedding, then weighted colour histogram. */
export async function featureOf(e: Embedder, img: DecodedImage, layout = featureName(e)): Promise<Float32Array> {
  const weight = layoutWeight(e, layout);
  if (weight === undefined) throw new Error(`feature layout ${layout} cannot be computed by embedder ${e.name}`);
  const rgb = await img.rgb({ width: e.inputSize, height: e.inputSize, fit: 'fill' });
  const pixels = new Uint8Array(rgb.data.buffer, rgb.data.byteOffset, rgb.data.length);
  const embedding = await e.embed({ data: pixels, width: rgb.width, height: rgb.height });
  const out = new Float32Array(e.dimension + HIST_BINS);
  out.set(embedding);
  const h = colourHistogram(pixels);
  for (let i = 0; i < HIST_BINS; i++) out[e.dimension + i] = h[i] * weight;
  return out;
}

const toBytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
const fromBytes = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

export interface FeatureStats {
  cached: number;
  embedded: number;
  /** Samples whose file is gone or cannot be decoded (left out of training, with the reason). */
  skipped: Array<{ sample_id: string; reason: string }>;
}

/**
 * The features of `samples`, from the cache or embedded (and cached). `shouldStop` is asked
 * between samples; when it answers true the features gathered so far are returned (the cache keeps
 * what was embedded, so the next run picks up from there).
 */
export async function featuresOf(
  s: Stores,
  projectId: string,
  datasetId: string,
  samples: TrainingSample[],
  o: { shouldStop?: () => Promise<boolean> | boolean; onProgress?: (done: number) => Promise<void> | void; concurrency?: number } = {},
): Promise<{ features: Map<string, Float32Array>; stats: FeatureStats; complete: boolean }> {
  const e = await embedder();
  const features = new Map<string, Float32Array>();
  const stats: FeatureStats = { cached: 0, embedded: 0, skipped: [] };
  const n = o.concurrency ?? 8;
  for (let i = 0; i < samples.length; i += n) {
    if (o.shouldStop && (await o.shouldStop())) return { features, stats, complete: false };
    const chunk = samples.slice(i, i + n);
    await Promise.all(
      chunk.map(async (t) => {
        const key = classifyObjects.feature(projectId, featureName(e), datasetId, t.sampleId, t.version);
        const hit = await s.objects.get(key);
        if (hit && hit.body.length === featureDim(e) * 4) {
          features.set(t.sampleId, fromBytes(hit.body));
          stats.cached++;
          return;
        }
        let img: DecodedImage;
        try {
          img = await decodeSample(s, { sampleId: t.sampleId, objectKey: t.objectKey } as StoredSample);
        } catch (e) {
          if (!isIrisError(e) || e.kind === 'INTERNAL') throw e;
          stats.skipped.push({ sample_id: t.sampleId, reason: e.message });
          return;
        }
        const v = await featureOf(e, img);
        await s.objects.put(key, toBytes(v), { contentType: 'application/octet-stream' });
        features.set(t.sampleId, v);
        stats.embedded++;
      }),
    );
    await o.onProgress?.(Math.min(i + n, samples.length));
  }
  return { features, stats, complete: true };
}
