/**
 * InceptionV3 from the weights that ship in the nsfwjs package (Keras InceptionV3, 299 px, under
 * nsfwjs's dense head; uint8-quantised, 22 MB of weights), loaded by lib/vision/nsfwjs-models.ts.
 *
 * Unlike the package's MobileNetV2, this backbone is partly fine-tuned: its exported config marks
 * the layers up to mixed5 trainable=false (ImageNet as is) and those from conv2d_56 (inside
 * mixed6) on trainable, i.e. tuned by nsfwjs for its five classes. So its last block (mixed10)
 * describes objects worse than MobileNetV2 does, while the middle blocks describe them better
 * (BENCHMARKS.md "Tuning choices for similar and product search", bench/similar-backbones.ts).
 *
 * Input: RGB scaled to [0, 1] (nsfwjs divides by 255 for every model), not Keras' [-1, 1].
 *
 * The Lambda layer holds the network cut at mixed7 (layers/native/cut-inception.mjs): there, only
 * the embedder's block can be read; the deeper blocks are for the tuning probe, from node_modules.
 */
import { gemPool, type Embedder, type RgbImage } from './embedding';
import { loadNsfwjsModel, nsfwjsModelFiles, predictBatch } from './nsfwjs-models';

export const INCEPTION_INPUT = 299;
const FOLDER = 'inception_v3';

/** Blocks that can be read out, with their map side and depth at 299 px. */
export const INCEPTION_LAYERS = {
  mixed5: { size: 17, channels: 768 },
  mixed7: { size: 17, channels: 768 },
  mixed8: { size: 8, channels: 1280 },
  mixed9: { size: 8, channels: 2048 },
  mixed10: { size: 8, channels: 2048 },
} as const;
export type InceptionLayer = keyof typeof INCEPTION_LAYERS;

/** A 3 × 3 stride-2 'valid' convolution or pool. */
const halve = (n: number) => Math.floor((n - 3) / 2) + 1;

/**
 * The side of a block's map for an input of `input` px: the stem takes 299 to 35 (three
 * halvings, two 3 × 3 'valid' convolutions), mixed3 to 17, mixed8 to 8.
 */
export function mapSide(sizeAt299: number, input: number): number {
  let n = halve(halve(halve(input) - 2) - 2);
  if (sizeAt299 <= 17) n = halve(n);
  if (sizeAt299 <= 8) n = halve(n);
  return n;
}

/** The model's files in the nsfwjs package (the layer build copies them). */
export const inceptionV3Files = () => nsfwjsModelFiles(FOLDER);

/**
 * The maps of the given blocks (row-major size × size × channels) for a batch of images, in one
 * forward pass that stops at the deepest block asked for: per image, one Float32Array per block.
 */
export async function inceptionV3FeatureMaps(
  layers: InceptionLayer[] = ['mixed10'],
  input: number = INCEPTION_INPUT,
): Promise<{
  input: number;
  layers: Array<{ name: InceptionLayer; size: number; channels: number }>;
  maps(images: RgbImage[]): Promise<Array<Record<InceptionLayer, Float32Array>>>;
}> {
  const deepest = (Object.keys(INCEPTION_LAYERS) as InceptionLayer[]).filter((l) => layers.includes(l)).at(-1)!;
  // Always the network cut at that block with a free input size: one model in memory serves every
  // side (its 299 px maps equal the whole network's: test/unit/vision/inception.test.ts).
  const { tf, model } = await loadNsfwjsModel(FOLDER, { anySizeUpTo: deepest });
  const backbone = tf.model({ inputs: model.inputs, outputs: layers.map((l) => model.getLayer(l).output as never) });
  return {
    input,
    layers: layers.map((name) => ({ name, ...INCEPTION_LAYERS[name], size: mapSide(INCEPTION_LAYERS[name].size, input) })),
    async maps(images) {
      const outs = await predictBatch(tf, backbone, images, input);
      return outs.map((perLayer) => Object.fromEntries(layers.map((l, k) => [l, perLayer[k]])) as Record<InceptionLayer, Float32Array>);
    },
  };
}

/** The block and GeM exponent of inceptionV3GemEmbedder (chosen on the tuning stamps). */
export const INCEPTION_EMBEDDING = { layer: 'mixed7' as InceptionLayer, p: 3 };

/**
 * The input side of the similar / product default (`inceptionv3-gem-256`). On the tuning stamps
 * (bench/similar-backbones.ts --sides), the two subject views at 256 px ranked the item first by
 * embedding 54.1 % of the time in context against 49.0 % at 299 px, with the same category
 * precision@5 (32.0 %; clean 46.5 % against 47.9 %), at 0.69 times the embedding time; at 224 px
 * 56.7 % first but 29.4 % p@5, at 0.53 times.
 */
export const INCEPTION_SIMILAR_SIDE = 256;

/** The embedder's name at an input side: the network's own 299 px keeps the first name. */
export const inceptionV3GemName = (input: number) => (input === INCEPTION_INPUT ? 'inceptionv3-gem' : `inceptionv3-gem-${input}`);

/**
 * InceptionV3's mixed7 block (17 × 17 × 768 at 299 px, 14 × 14 at 256, the last block before the
 * 8 × 8 ones), GeM-pooled: 768-d. On the tuning stamps, as the similar engine's two subject views,
 * it ranked the photographed item first by embedding 49.0 % of the time in context at 299 px
 * against MobileNetV2's 36.3 %, and category precision@5 32.0 % against 25.1 % — at about 7 times
 * MobileNetV2's compute. Each input side is an embedder of its own (their vectors differ), named
 * by inceptionV3GemName.
 */
export async function inceptionV3GemEmbedder(input: number = INCEPTION_INPUT): Promise<Embedder> {
  const { layer, p } = INCEPTION_EMBEDDING;
  const fm = await inceptionV3FeatureMaps([layer], input);
  const { channels } = INCEPTION_LAYERS[layer];
  const run = async (images: RgbImage[]) => (await fm.maps(images)).map((m) => gemPool(m[layer], channels, p));
  // Warm-up: the first WASM execution compiles kernels.
  await run([{ data: new Uint8Array(input * input * 3), width: input, height: input }]);
  return {
    name: inceptionV3GemName(input),
    dimension: channels,
    inputSize: input,
    embed: async (image) => (await run([image]))[0],
    async embedBatch(images) {
      const out: Float32Array[] = [];
      // Small batches keep peak memory bounded on a 1 GB Lambda.
      for (let i = 0; i < images.length; i += 4) out.push(...(await run(images.slice(i, i + 4))));
      return out;
    },
  };
}
