/**
 * MobileNetV2 feature extractor from the weights that ship in the nsfwjs package: the
 * ImageNet-pretrained Keras MobileNetV2 backbone (alpha 1.0, 224 px; its layers are marked
 * trainable=false in the exported config) under nsfwjs's dense head. We cut the model at the
 * 7x7 average pooling: 1280-d output.
 *
 * Input scaling is nsfwjs's own [0, 1], not Keras' [-1, 1]: on the labelled photo set of
 * bench/search.ts, precision@5 is 41 % with [0, 1] and 26 % with [-1, 1] — the weights as
 * shipped expect what nsfwjs feeds them.
 *
 * Loading: lib/vision/nsfwjs-models.ts (the package's own files, no conversion step).
 */
import { gemPool, l2normalise, type Embedder, type RgbImage } from './embedding';
import { loadNsfwjsModel, predictBatch } from './nsfwjs-models';

const INPUT = 224;
const FEATURE_LAYER = 'average_pooling2d_1';

/** The nsfwjs Keras model with its weights, loaded once (shared by the embedders below). */
const loadFull = () => loadNsfwjsModel('mobilenet_v2');

/**
 * The backbone's last feature map (out_relu, 7 x 7 x 1280 at 224 px) for a batch of images, as
 * one Float32Array per image (row-major 7 x 7 x 1280). Pooled by the caller (e.g. GeM).
 */
export async function mobileNetV2FeatureMaps(): Promise<{ size: number; channels: number; maps(images: RgbImage[], input?: number): Promise<Float32Array[]> }> {
  const { tf, model: full } = await loadFull();
  const backbone = tf.model({ inputs: full.inputs, outputs: full.getLayer('out_relu').output });
  return {
    size: 7,
    channels: 1280,
    maps: async (images, input = INPUT) => (await predictBatch(tf, backbone, images, input)).map(([map]) => map),
  };
}

export async function mobileNetV2Embedder(): Promise<Embedder> {
  const { tf, model: full } = await loadFull();
  const backbone = tf.model({ inputs: full.inputs, outputs: full.getLayer(FEATURE_LAYER).output });

  // The 1 × 1 × 1280 average pool, flattened and unit-normalised.
  const run = async (images: RgbImage[]): Promise<Float32Array[]> => (await predictBatch(tf, backbone, images, INPUT)).map(([pooled]) => l2normalise(pooled));
  // Warm-up: the first WASM execution compiles kernels.
  await run([{ data: new Uint8Array(INPUT * INPUT * 3), width: INPUT, height: INPUT }]);

  return {
    name: 'mobilenetv2',
    dimension: 1280,
    inputSize: INPUT,
    embed: async (image) => (await run([image]))[0],
    async embedBatch(images) {
      const out: Float32Array[] = [];
      // Small batches keep peak memory bounded on a 1 GB Lambda.
      for (let i = 0; i < images.length; i += 8) out.push(...(await run(images.slice(i, i + 8))));
      return out;
    },
  };
}

/** GeM exponent of mobileNetV2GemEmbedder (chosen on the tuning stamps, bench/similar-explore.ts). */
export const GEM_P = 3;

/**
 * The same backbone pooled by generalised mean (GeM, p = GEM_P) over its 7 x 7 map instead of
 * the average: large activations (the object) weigh more than the spread-out background.
 * Used by the similar and product engines; `mobilenetv2` (average pooling) stays what the
 * classifier's features and the other engines use.
 */
export async function mobileNetV2GemEmbedder(): Promise<Embedder> {
  const fm = await mobileNetV2FeatureMaps();
  const run = async (images: RgbImage[]) => (await fm.maps(images)).map((m) => gemPool(m, fm.channels, GEM_P));
  await run([{ data: new Uint8Array(INPUT * INPUT * 3), width: INPUT, height: INPUT }]);
  return {
    name: 'mobilenetv2-gem',
    dimension: fm.channels,
    inputSize: INPUT,
    embed: async (image) => (await run([image]))[0],
    async embedBatch(images) {
      const out: Float32Array[] = [];
      for (let i = 0; i < images.length; i += 8) out.push(...(await run(images.slice(i, i + 8))));
      return out;
    },
  };
}
